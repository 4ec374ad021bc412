import { mkdir, stat } from 'node:fs/promises';
import { dirname, resolve } from 'node:path';
import { UserError } from '../generators/user-error.js';

const isMissing = (path: string) =>
  stat(path).then(
    () => false,
    (error: NodeJS.ErrnoException) => error.code === 'ENOENT',
  );

/**
 * Creates a directory the user named (with `option`, for the message), and its missing parents, one level
 * at a time: Node's recursive mkdir never returns for a path under /proc (it retries ENOENT forever).
 * Whatever stands in the way is one line saying what and how to fix it.
 */
export async function makeUserDirectory(path: string, option: string): Promise<void> {
  const missing: string[] = [];
  for (let dir = resolve(path); (await isMissing(dir)) && dirname(dir) !== dir; dir = dirname(dir)) {
    missing.unshift(dir);
  }
  for (const dir of missing) {
    await mkdir(dir).catch((error: NodeJS.ErrnoException) => {
      if (error.code !== 'EEXIST') {
        throw new UserError(
          `${option} ${path}: cannot create ${dir} (${error.code ?? error.message}); choose a directory you can write to`,
        );
      }
    });
  }
  const info = await stat(path).catch((error: NodeJS.ErrnoException) => {
    throw new UserError(
      `${option} ${path} cannot be used (${error.code ?? error.message}); choose a directory`,
    );
  });
  if (!info.isDirectory()) throw new UserError(`${option} ${path} is not a directory; choose a directory`);
}
