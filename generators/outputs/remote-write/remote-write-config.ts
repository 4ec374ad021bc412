import { UserError } from '../../user-error.js';
import { pushHeadersOf, readSecret, readUserBytes, type PushHeadersConfig } from '../push-headers.js';
import type { SenderOptions } from './sender.js';

/** Environment variable read for the basic-auth password when no password file is given. */
export const PASSWORD_ENV = 'SANDBOX_REMOTE_WRITE_PASSWORD';

/** Where and how to push, as the user gave it (files not yet read). */
export interface RemoteWriteConfig extends PushHeadersConfig {
  url: string;
  caFile?: string;
  /** Client certificate (PEM) for a receiver that asks for one (mutual TLS), with its key. */
  certFile?: string;
  /** The client certificate's private key (PEM, mode 0600). */
  keyFile?: string;
  insecureSkipVerify?: boolean;
}

/** The TLS settings, read; refused for a receiver that is not `https`, where they would be ignored. */
function tlsOf(config: RemoteWriteConfig): Pick<SenderOptions, 'ca' | 'cert' | 'key' | 'insecureSkipVerify'> {
  const given = (
    [
      ['--remote-write-ca', config.caFile],
      ['--remote-write-cert', config.certFile],
      ['--remote-write-key', config.keyFile],
      ['--remote-write-insecure-skip-verify', config.insecureSkipVerify || undefined],
    ] as const
  ).filter(([, value]) => value !== undefined);
  if (given.length > 0 && !/^https:/i.test(config.url))
    throw new UserError(
      `${given[0]![0]} applies to an https receiver only: give an https:// --remote-write URL, or leave it out`,
    );
  if ((config.certFile === undefined) !== (config.keyFile === undefined))
    throw new UserError(
      '--remote-write-cert and --remote-write-key go together: give the client certificate and its key',
    );
  return {
    ca: config.caFile === undefined ? undefined : readUserBytes(config.caFile, '--remote-write-ca'),
    cert: config.certFile === undefined ? undefined : readUserBytes(config.certFile, '--remote-write-cert'),
    key: config.keyFile === undefined ? undefined : readSecret(config.keyFile, '--remote-write-key'),
    insecureSkipVerify: config.insecureSkipVerify,
  };
}

/** The sender's options: secrets read from their files, each refused with one line saying how to fix it. */
export function senderOptionsOf(
  config: RemoteWriteConfig,
  env: NodeJS.ProcessEnv = process.env,
): SenderOptions {
  return {
    url: config.url,
    headers: pushHeadersOf(config, { flag: '--remote-write', passwordEnv: PASSWORD_ENV }, env),
    ...tlsOf(config),
  };
}
