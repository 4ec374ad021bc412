import type { Command } from 'commander';
import { parseDuration } from '../../generators/model/duration.js';
import { UserError } from '../../generators/user-error.js';
import type { LiveRemoteWrite } from '../../generators/live/remote-series.js';
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
  remoteWriteInsecureSkipVerify?: boolean;
  remoteWriteQueue: number;
}

const DEFAULT_QUEUE = 500_000;

/** The --remote-write options (shared by the commands that run generators). */
export function withRemoteWriteOptions(command: Command): Command {
  return command
    .option(
      '--remote-write <url>',
      'push every series over Prometheus remote write 1.0 (e.g. http://127.0.0.1:9090/api/v1/write)',
      parseUrl,
    )
    .option('--remote-write-interval <duration>', 'wall time between two pushes', parseInterval, '15s')
    .option(
      '--remote-write-header <name=value>',
      'add this HTTP header to every push (repeatable)',
      parseHeader,
    )
    .option('--remote-write-tenant <id>', 'tenant for Mimir/Cortex (the X-Scope-OrgID header)')
    .option(
      '--remote-write-user <name>',
      `basic auth user; the password comes from --remote-write-password-file or ${PASSWORD_ENV}`,
    )
    .option('--remote-write-password-file <path>', 'basic auth password (a file of mode 0600)')
    .option('--remote-write-bearer-token-file <path>', 'bearer token (a file of mode 0600)')
    .option('--remote-write-ca <path>', "PEM CA certificates the receiver's certificate must chain to")
    .option('--remote-write-insecure-skip-verify', "do not verify the receiver's TLS certificate")
    .option(
      '--remote-write-queue <samples>',
      'samples held while the receiver is slow or down; beyond, the oldest are dropped and counted',
      parsePositiveInteger('500000'),
      DEFAULT_QUEUE,
    );
}

/** The generators' remote write, secrets read; undefined without --remote-write (other flags then refused). */
export function remoteWriteOf(flags: RemoteWriteFlags): LiveRemoteWrite | undefined {
  if (flags.remoteWrite === undefined) {
    const given = Object.entries({
      '--remote-write-header': flags.remoteWriteHeader,
      '--remote-write-tenant': flags.remoteWriteTenant,
      '--remote-write-user': flags.remoteWriteUser,
      '--remote-write-password-file': flags.remoteWritePasswordFile,
      '--remote-write-bearer-token-file': flags.remoteWriteBearerTokenFile,
      '--remote-write-ca': flags.remoteWriteCa,
      '--remote-write-insecure-skip-verify': flags.remoteWriteInsecureSkipVerify,
    }).find(([, value]) => value !== undefined);
    if (given) throw new UserError(`${given[0]} needs --remote-write URL: give the receiver's URL too`);
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
      insecureSkipVerify: flags.remoteWriteInsecureSkipVerify,
    }),
    intervalMs: parseDuration(flags.remoteWriteInterval)!,
    queueCapacity: flags.remoteWriteQueue,
  };
}
