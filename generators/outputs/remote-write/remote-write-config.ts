import { readFileSync, statSync } from 'node:fs';
import { UserError } from '../../user-error.js';
import type { SenderOptions } from './sender.js';

/** Environment variable read for the basic-auth password when no password file is given. */
export const PASSWORD_ENV = 'SANDBOX_REMOTE_WRITE_PASSWORD';

/** Where and how to push, as the user gave it (files not yet read). */
export interface RemoteWriteConfig {
  url: string;
  /** Sent with every request (after auth and tenant, so the user's own win). */
  headers?: Readonly<Record<string, string>>;
  /** Mimir/Cortex tenant: the X-Scope-OrgID header. */
  tenant?: string;
  /** Basic auth: the password comes from `passwordFile` (mode 0600) or PASSWORD_ENV, never from a flag. */
  user?: string;
  passwordFile?: string;
  bearerTokenFile?: string;
  caFile?: string;
  insecureSkipVerify?: boolean;
}

/** The sender's options: secrets read from their files, each refused with one line saying how to fix it. */
export function senderOptionsOf(
  config: RemoteWriteConfig,
  env: NodeJS.ProcessEnv = process.env,
): SenderOptions {
  const headers: Record<string, string> = {};
  if (config.user !== undefined && config.bearerTokenFile !== undefined)
    throw new UserError(
      '--remote-write-user and --remote-write-bearer-token-file exclude each other: give one',
    );
  if (config.user !== undefined) {
    const password =
      config.passwordFile !== undefined
        ? readSecret(config.passwordFile, '--remote-write-password-file')
        : env[PASSWORD_ENV];
    if (password === undefined || password === '')
      throw new UserError(
        `--remote-write-user needs a password: give --remote-write-password-file FILE (mode 0600) or set ${PASSWORD_ENV}`,
      );
    headers.Authorization = `Basic ${Buffer.from(`${config.user}:${password}`).toString('base64')}`;
  } else if (config.passwordFile !== undefined) {
    throw new UserError('--remote-write-password-file needs --remote-write-user NAME');
  }
  if (config.bearerTokenFile !== undefined)
    headers.Authorization = `Bearer ${readSecret(config.bearerTokenFile, '--remote-write-bearer-token-file')}`;
  if (config.tenant !== undefined) headers['X-Scope-OrgID'] = config.tenant;
  Object.assign(headers, config.headers);
  return {
    url: config.url,
    headers,
    ca: config.caFile === undefined ? undefined : readFile(config.caFile, '--remote-write-ca'),
    insecureSkipVerify: config.insecureSkipVerify,
  };
}

/** A secret file: readable by its owner only (as ssh insists), its content trimmed of the final newline. */
function readSecret(path: string, flag: string): string {
  let mode: number;
  try {
    mode = statSync(path).mode;
  } catch (error) {
    throw new UserError(
      `${flag} ${path}: ${(error as NodeJS.ErrnoException).code ?? 'cannot read it'}; give a readable file`,
    );
  }
  if ((mode & 0o077) !== 0)
    throw new UserError(
      `${flag} ${path}: others can read it (mode ${(mode & 0o777).toString(8)}); run chmod 600 ${path}`,
    );
  const secret = readFile(path, flag)
    .toString('utf8')
    .replace(/\r?\n$/, '');
  if (secret === '') throw new UserError(`${flag} ${path}: the file is empty; put the secret in it`);
  return secret;
}

function readFile(path: string, flag: string): Buffer {
  try {
    return readFileSync(path);
  } catch (error) {
    throw new UserError(
      `${flag} ${path}: ${(error as NodeJS.ErrnoException).code ?? 'cannot read it'}; give a readable file`,
    );
  }
}
