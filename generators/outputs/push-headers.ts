import { readFileSync, statSync } from 'node:fs';
import { UserError } from '../user-error.js';

/** The auth, tenant and headers of a push output (remote write, Loki), as the user gave them. */
export interface PushHeadersConfig {
  /** Sent with every request (after auth and tenant, so the user's own win). */
  headers?: Readonly<Record<string, string>>;
  /** Mimir/Cortex/Loki tenant: the X-Scope-OrgID header. */
  tenant?: string;
  /** Basic auth: the password comes from `passwordFile` (mode 0600) or the output's environment variable. */
  user?: string;
  passwordFile?: string;
  bearerTokenFile?: string;
}

/** How an output's settings are named to the user, for its refusals. */
export interface PushHeadersNames {
  /** The flags' common prefix: `--remote-write`, `--loki`. */
  flag: string;
  /** Environment variable read for the basic-auth password when no password file is given. */
  passwordEnv: string;
}

/** The headers of every push: secrets read from their files, each refusal one line saying how to fix it. */
export function pushHeadersOf(
  config: PushHeadersConfig,
  names: PushHeadersNames,
  env: NodeJS.ProcessEnv = process.env,
): Record<string, string> {
  const { flag } = names;
  const headers: Record<string, string> = {};
  if (config.user !== undefined && config.bearerTokenFile !== undefined)
    throw new UserError(`${flag}-user and ${flag}-bearer-token-file exclude each other: give one`);
  if (config.user !== undefined) {
    const password =
      config.passwordFile !== undefined
        ? readSecret(config.passwordFile, `${flag}-password-file`)
        : env[names.passwordEnv];
    if (password === undefined || password === '')
      throw new UserError(
        `${flag}-user needs a password: give ${flag}-password-file FILE (mode 0600) or set ${names.passwordEnv}`,
      );
    headers.Authorization = `Basic ${Buffer.from(`${config.user}:${password}`).toString('base64')}`;
  } else if (config.passwordFile !== undefined) {
    throw new UserError(`${flag}-password-file needs ${flag}-user NAME`);
  }
  if (config.bearerTokenFile !== undefined)
    headers.Authorization = `Bearer ${readSecret(config.bearerTokenFile, `${flag}-bearer-token-file`)}`;
  if (config.tenant !== undefined) headers['X-Scope-OrgID'] = config.tenant;
  Object.assign(headers, config.headers);
  return headers;
}

/**
 * Takes the user and password out of `url` (fetch refuses a URL that holds them, and they must never be
 * shown) and gives them back as a basic-auth header; no header when it has none.
 */
export function takeUrlCredentials(url: URL): Record<string, string> {
  if (url.username === '' && url.password === '') return {};
  const userInfo = `${decodeURIComponent(url.username)}:${decodeURIComponent(url.password)}`;
  url.username = '';
  url.password = '';
  return { Authorization: `Basic ${Buffer.from(userInfo).toString('base64')}` };
}

/** What is said of a secret's file that does not exist, without its name (which may be the secret itself). */
export const MISSING_SECRET_FILE =
  'no such file (its name is not shown: it may be the secret itself); give the path of the file that holds the secret';

/** A secret file: readable by its owner only (as ssh insists), its content trimmed of the final newline. */
export function readSecret(path: string, flag: string): string {
  let mode: number;
  try {
    mode = statSync(path).mode;
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    // A missing "file" may be the secret itself, typed where its file goes: its name is not shown.
    if (code === 'ENOENT') throw new UserError(`${flag}: ${MISSING_SECRET_FILE}`);
    throw new UserError(`${flag} ${path}: ${code ?? 'cannot read it'}; give a readable file`);
  }
  if ((mode & 0o077) !== 0)
    throw new UserError(
      `${flag} ${path}: others can read it (mode ${(mode & 0o777).toString(8)}); run chmod 600 ${path}`,
    );
  const secret = readUserBytes(path, flag)
    .toString('utf8')
    .replace(/\r?\n$/, '');
  if (secret === '') throw new UserError(`${flag} ${path}: the file is empty; put the secret in it`);
  return secret;
}

/** A file the user named with `flag`, or one line saying why it cannot be read. */
export function readUserBytes(path: string, flag: string): Buffer {
  try {
    return readFileSync(path);
  } catch (error) {
    throw new UserError(
      `${flag} ${path}: ${(error as NodeJS.ErrnoException).code ?? 'cannot read it'}; give a readable file`,
    );
  }
}
