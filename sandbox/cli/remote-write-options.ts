import type { Command } from 'commander';
import { parseDuration } from '../../generators/model/duration.js';
import { UserError } from '../../generators/user-error.js';
import type { LiveRemoteWrite } from '../../generators/live/remote-series.js';
import { pushHeadersOf, type PushHeadersConfig } from '../../generators/outputs/push-headers.js';
import { PASSWORD_ENV, senderOptionsOf } from '../../generators/outputs/remote-write/remote-write-config.js';
import { parseHeader, parseInterval, parsePositiveInteger, parseUrl } from './options.js';

export interface RemoteWriteFlags {
  remoteWrite?: string;
  remoteWriteInterval: string;
  remoteWriteHeader?: Record<string, string>;
  remoteWriteUser?: string;
  remoteWritePasswordFile?: string;
  remoteWriteBearerTokenFile?: string;
  remoteWriteTenant?: string;
  remoteWriteCa?: string;
  remoteWriteCert?: string;
  remoteWriteKey?: string;
  remoteWriteInsecureSkipVerify?: boolean;
  remoteWriteQueue: number;
}

export interface LokiFlags {
  loki?: string;
  lokiHeader?: Record<string, string>;
  lokiTenant?: string;
  lokiUser?: string;
  lokiPasswordFile?: string;
  lokiBearerTokenFile?: string;
}

/** Where the generators push their log lines, with the headers of every push (secrets read). */
export interface LokiOutput {
  url: string;
  headers: Record<string, string>;
}

/** Environment variable read for Loki's basic-auth password when no password file is given. */
export const LOKI_PASSWORD_ENV = 'SANDBOX_LOKI_PASSWORD';

const DEFAULT_QUEUE = 500_000;

/**
 * The header, tenant and auth flags of one push output, named `${flag}-header` and so on; `receiver` says
 * what receives the pushes in their help.
 */
function withPushHeaderOptions(
  command: Command,
  flag: string,
  receiver: string,
  passwordEnv: string,
): Command {
  return command
    .option(`${flag}-header <name=value>`, 'add this HTTP header to every push (repeatable)', parseHeader)
    .option(`${flag}-tenant <id>`, `tenant for ${receiver} (the X-Scope-OrgID header)`)
    .option(
      `${flag}-user <name>`,
      `basic auth user; the password comes from ${flag}-password-file or ${passwordEnv}`,
    )
    .option(`${flag}-password-file <path>`, 'basic auth password (a file of mode 0600)')
    .option(`${flag}-bearer-token-file <path>`, 'bearer token (a file of mode 0600)');
}

/** The --remote-write options (shared by the commands that run generators). */
export function withRemoteWriteOptions(command: Command): Command {
  command
    .option(
      '--remote-write <url>',
      'push every series over Prometheus remote write 1.0 (e.g. http://127.0.0.1:9090/api/v1/write)',
      parseUrl,
    )
    .option('--remote-write-interval <duration>', 'wall time between two pushes', parseInterval, '15s');
  return withPushHeaderOptions(command, '--remote-write', 'Mimir/Cortex', PASSWORD_ENV)
    .option('--remote-write-ca <path>', "PEM CA certificates the receiver's certificate must chain to")
    .option('--remote-write-cert <path>', 'client certificate (PEM) for mutual TLS, with --remote-write-key')
    .option('--remote-write-key <path>', "the client certificate's key (PEM, a file of mode 0600)")
    .option('--remote-write-insecure-skip-verify', "do not verify the receiver's TLS certificate")
    .option(
      '--remote-write-queue <samples>',
      'samples held while the receiver is slow or down; beyond, the oldest are dropped and counted',
      parsePositiveInteger('500000'),
      DEFAULT_QUEUE,
    );
}

/** The --loki options; `what` says where the lines go (the help of `--loki` itself). */
export function withLokiOptions(command: Command, what: string): Command {
  command.option('--loki <url>', what, parseUrl);
  return withPushHeaderOptions(command, '--loki', 'multi-tenant Loki', LOKI_PASSWORD_ENV);
}

/** Refuses the flags that only mean something with `${flag} URL` when it was not given. */
function refuseWithoutUrl(flag: string, given: Record<string, unknown>, urlName: string): void {
  const first = Object.entries(given).find(([, value]) => value !== undefined);
  if (first) throw new UserError(`${flag}${first[0]} needs ${flag} URL: give ${urlName} too`);
}

/** The generators' remote write, secrets read; undefined without --remote-write (other flags then refused). */
export function remoteWriteOf(flags: RemoteWriteFlags): LiveRemoteWrite | undefined {
  if (flags.remoteWrite === undefined) {
    refuseWithoutUrl(
      '--remote-write',
      {
        '-header': flags.remoteWriteHeader,
        '-tenant': flags.remoteWriteTenant,
        '-user': flags.remoteWriteUser,
        '-password-file': flags.remoteWritePasswordFile,
        '-bearer-token-file': flags.remoteWriteBearerTokenFile,
        '-ca': flags.remoteWriteCa,
        '-cert': flags.remoteWriteCert,
        '-key': flags.remoteWriteKey,
        '-insecure-skip-verify': flags.remoteWriteInsecureSkipVerify,
      },
      "the receiver's URL",
    );
    return undefined;
  }
  return {
    sender: senderOptionsOf({
      url: flags.remoteWrite,
      headers: flags.remoteWriteHeader,
      tenant: flags.remoteWriteTenant,
      user: flags.remoteWriteUser,
      passwordFile: flags.remoteWritePasswordFile,
      bearerTokenFile: flags.remoteWriteBearerTokenFile,
      caFile: flags.remoteWriteCa,
      certFile: flags.remoteWriteCert,
      keyFile: flags.remoteWriteKey,
      insecureSkipVerify: flags.remoteWriteInsecureSkipVerify,
    }),
    intervalMs: parseDuration(flags.remoteWriteInterval)!,
    queueCapacity: flags.remoteWriteQueue,
  };
}

/** The generators' Loki, secrets read; undefined without --loki (its other flags then refused). */
export function lokiOutputOf(flags: LokiFlags): LokiOutput | undefined {
  const config: PushHeadersConfig = {
    headers: flags.lokiHeader,
    tenant: flags.lokiTenant,
    user: flags.lokiUser,
    passwordFile: flags.lokiPasswordFile,
    bearerTokenFile: flags.lokiBearerTokenFile,
  };
  if (flags.loki === undefined) {
    refuseWithoutUrl(
      '--loki',
      {
        '-header': config.headers,
        '-tenant': config.tenant,
        '-user': config.user,
        '-password-file': config.passwordFile,
        '-bearer-token-file': config.bearerTokenFile,
      },
      "Loki's URL",
    );
    return undefined;
  }
  return {
    url: flags.loki,
    headers: pushHeadersOf(config, { flag: '--loki', passwordEnv: LOKI_PASSWORD_ENV }),
  };
}
