import type { AgentOptions } from 'node:https';
import { UserError } from '../user-error.js';
import { readSecret, readUserBytes } from './push-headers.js';

/** The TLS settings of a push output (remote write, Loki, OTLP), as the user gave them (files not yet read). */
export interface PushTlsConfig {
  /** PEM CA certificates the receiver's certificate must chain to. */
  caFile?: string;
  /** Client certificate (PEM) for a receiver that asks for one (mutual TLS), with its key. */
  certFile?: string;
  /** The client certificate's private key (PEM, mode 0600). */
  keyFile?: string;
  insecureSkipVerify?: boolean;
}

/** The TLS settings, read. */
export interface PushTls {
  ca?: string | Buffer;
  cert?: string | Buffer;
  key?: string | Buffer;
  insecureSkipVerify?: boolean;
}

/**
 * The TLS settings read from their files, or undefined when none was given; refused for a receiver that is
 * not `https` (where they would be ignored). `flag` is the flags' common prefix: `--remote-write`, `--loki`.
 */
export function pushTlsOf(config: PushTlsConfig, url: string, flag: string): PushTls | undefined {
  const given = (
    [
      [`${flag}-ca`, config.caFile],
      [`${flag}-cert`, config.certFile],
      [`${flag}-key`, config.keyFile],
      [`${flag}-insecure-skip-verify`, config.insecureSkipVerify || undefined],
    ] as const
  ).filter(([, value]) => value !== undefined);
  if (given.length === 0) return undefined;
  if (!/^https:/i.test(url))
    throw new UserError(
      `${given[0]![0]} applies to an https receiver only: give an https:// ${flag} URL, or leave it out`,
    );
  if ((config.certFile === undefined) !== (config.keyFile === undefined))
    throw new UserError(`${flag}-cert and ${flag}-key go together: give the client certificate and its key`);
  return {
    ca: config.caFile === undefined ? undefined : readUserBytes(config.caFile, `${flag}-ca`),
    cert: config.certFile === undefined ? undefined : readUserBytes(config.certFile, `${flag}-cert`),
    key: config.keyFile === undefined ? undefined : readSecret(config.keyFile, `${flag}-key`),
    insecureSkipVerify: config.insecureSkipVerify,
  };
}

/** The options of an https agent or request that pushes with these settings. */
export function tlsAgentOptions(tls: PushTls): AgentOptions {
  return { ca: tls.ca, cert: tls.cert, key: tls.key, rejectUnauthorized: tls.insecureSkipVerify !== true };
}
