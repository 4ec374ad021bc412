import { pushHeadersOf, type PushHeadersConfig } from '../push-headers.js';
import { pushTlsOf, type PushTlsConfig } from '../push-tls.js';
import type { SenderOptions } from './sender.js';

/** Environment variable read for the basic-auth password when no password file is given. */
export const PASSWORD_ENV = 'SANDBOX_REMOTE_WRITE_PASSWORD';

/** Where and how to push, as the user gave it (files not yet read). */
export interface RemoteWriteConfig extends PushHeadersConfig, PushTlsConfig {
  url: string;
}

/** The sender's options: secrets read from their files, each refused with one line saying how to fix it. */
export function senderOptionsOf(
  config: RemoteWriteConfig,
  env: NodeJS.ProcessEnv = process.env,
): SenderOptions {
  return {
    url: config.url,
    headers: pushHeadersOf(config, { flag: '--remote-write', passwordEnv: PASSWORD_ENV }, env),
    ...pushTlsOf(config, config.url, '--remote-write'),
  };
}
