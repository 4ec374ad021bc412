import { randomBytes } from 'node:crypto';
import { mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { MISSING_SECRET_FILE } from '../../generators/outputs/push-headers.js';
import { UserError } from '../../generators/user-error.js';

/** A secret token (a control API's, the webhook's) and the 0600 file that holds it (the token itself is never printed). */
export interface SecretToken {
  token: string;
  file: string;
  /** Removes the file when it was made for this process alone (no file was named). */
  dispose(): Promise<void>;
}

/**
 * Reads a token from a file that only its owner can read: a token others can read would let them switch
 * faults, or forge notifications. Exit 2 with the fix when the file is missing, open to others or empty.
 */
export async function readTokenFile(file: string, flag: string, what = 'control token'): Promise<string> {
  const info = await stat(file).catch(() => undefined);
  // A missing "file" may be the token itself, typed where its file goes: its name is not shown.
  if (!info) throw new UserError(`${flag}: ${MISSING_SECRET_FILE}`);
  if (!info.isFile()) throw new UserError(`${flag} ${file}: not a file; give the ${what}'s file`);
  if ((info.mode & 0o077) !== 0) {
    throw new UserError(
      `${flag} ${file}: readable by others (mode ${(info.mode & 0o777).toString(8)}); run \`chmod 600 ${file}\``,
    );
  }
  const token = (await readFile(file, 'utf8')).trim();
  if (token === '') throw new UserError(`${flag} ${file}: the file is empty; write the ${what} into it`);
  return token;
}

const newToken = () => randomBytes(24).toString('base64url');

/**
 * A generator's token (its control API's, its webhook's): from `file` when it exists, else a new one written
 * there (mode 0600), else (no file named) a new one in a fresh private temporary directory, removed by `dispose`.
 */
export async function secretToken(
  file: string | undefined,
  flag: string,
  what = 'control token',
): Promise<SecretToken> {
  if (file !== undefined) {
    const exists = await stat(file).then(
      () => true,
      () => false,
    );
    if (exists) return { token: await readTokenFile(file, flag, what), file, dispose: async () => undefined };
    const token = newToken();
    await writeFile(file, `${token}\n`, { mode: 0o600, flag: 'wx' });
    return { token, file, dispose: async () => undefined };
  }
  const dir = await mkdtemp(join(tmpdir(), 'obs-sandbox-token-'));
  const made = join(dir, 'token');
  const token = newToken();
  await writeFile(made, `${token}\n`, { mode: 0o600, flag: 'wx' });
  return { token, file: made, dispose: () => rm(dir, { recursive: true, force: true }) };
}
