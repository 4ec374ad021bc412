import { pushHeadersOf, readUserBytes, type PushHeadersConfig } from '../push-headers.js';
import type { SenderOptions } from './sender.js';

/** Environment variable read for the basic-auth password when no password file is given. */
export const PASSWORD_ENV = 'SANDBOX_REMOTE_WRITE_PASSWORD';

/** Where and how to push, as the user gave it (files not yet read). */
export interface RemoteWriteConfig extends PushHeadersConfig {
  url: string;
  caFile?: string;
  insecureSkipVerify?: boolean;
}

/** The sender's options: secrets read from their files, each refused with one line saying how to fix it. */
export function senderOptionsOf(
  config: RemoteWriteConfig,
  env: NodeJS.ProcessEnv = process.env,
): SenderOptions {
  return {
    url: config.url,
    headers: pushHeadersOf(config, { flag: '--remote-write', passwordEnv: PASSWORD_ENV }, env),
    ca: config.caFile === undefined ? undefined : readUserBytes(config.caFile, '--remote-write-ca'),
    insecureSkipVerify: config.insecureSkipVerify,
  };
}
