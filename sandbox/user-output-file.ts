import { stat, writeFile } from 'node:fs/promises';
import { dirname, resolve } from 'node:path';
import { UserError } from '../generators/user-error.js';

const code = (error: unknown) => (error as NodeJS.ErrnoException).code ?? String(error);

/**
 * Refuses, before any work, a file the user asked a report in (`option`, for the message) whose directory
 * does not exist or is a file: finding out after minutes of replays would lose them.
 */
export async function assertOutputFileWritable(path: string, option: string): Promise<void> {
  const dir = dirname(resolve(path));
  const info = await stat(dir).catch((error: unknown) => {
    throw new UserError(
      `${option} ${path}: its directory ${dir} cannot be used (${code(error)}); create it first`,
    );
  });
  if (!info.isDirectory())
    throw new UserError(`${option} ${path}: ${dir} is not a directory; choose another path`);
}

/** Writes a report the user asked for; a failure is one line naming the option and the file. */
export async function writeOutputFile(path: string, text: string, option: string): Promise<void> {
  await writeFile(path, text).catch((error: unknown) => {
    throw new UserError(`${option} ${path} cannot be written (${code(error)}); choose another path`);
  });
}
