import type { Command } from 'commander';
import { parseDuration } from '../../generators/model/duration.js';
import type { LiveRemoteWrite } from '../../generators/live/remote-series.js';
import { pushHeadersOf } from '../../generators/outputs/push-headers.js';
import type { PushTarget } from '../../generators/outputs/push-target.js';
import { pushTlsOf } from '../../generators/outputs/push-tls.js';
import { PASSWORD_ENV, senderOptionsOf } from '../../generators/outputs/remote-write/remote-write-config.js';
import { parseInterval, parsePositiveInteger, parseUrl } from './options.js';
import {
  pushConfigOf,
  withPushHeaderOptions,
  withPushTlsOptions,
  type PushFlags,
  type PushOutputNames,
} from './push-options.js';

export type RemoteWriteFlags = PushFlags<'remoteWrite'> & {
  remoteWriteInterval: string;
  remoteWriteQueue: number;
};

export type LokiFlags = PushFlags<'loki'>;

export type OtlpFlags = PushFlags<'otlp'>;

/** Where the generators push their log lines, with the headers of every push and its TLS (secrets read). */
export type LokiOutput = PushTarget;

/** Environment variable read for Loki's basic-auth password when no password file is given. */
export const LOKI_PASSWORD_ENV = 'SANDBOX_LOKI_PASSWORD';

/** Environment variable read for the OTLP receiver's basic-auth password when no password file is given. */
export const OTLP_PASSWORD_ENV = 'SANDBOX_OTLP_PASSWORD';

const REMOTE_WRITE: PushOutputNames<'remoteWrite'> = {
  key: 'remoteWrite',
  flag: '--remote-write',
  receiver: 'Mimir/Cortex',
  urlName: "the receiver's URL",
  passwordEnv: PASSWORD_ENV,
};

const LOKI: PushOutputNames<'loki'> = {
  key: 'loki',
  flag: '--loki',
  receiver: 'multi-tenant Loki',
  urlName: "Loki's URL",
  passwordEnv: LOKI_PASSWORD_ENV,
};

const OTLP: PushOutputNames<'otlp'> = {
  key: 'otlp',
  flag: '--otlp',
  receiver: 'a multi-tenant Tempo or collector',
  urlName: "the OTLP receiver's URL",
  passwordEnv: OTLP_PASSWORD_ENV,
};

const DEFAULT_QUEUE = 500_000;

/** The --remote-write options (shared by the commands that run generators). */
export function withRemoteWriteOptions(command: Command): Command {
  command
    .option(
      '--remote-write <url>',
      'push every series over Prometheus remote write 1.0 (e.g. http://127.0.0.1:9090/api/v1/write)',
      parseUrl,
    )
    .option('--remote-write-interval <duration>', 'wall time between two pushes', parseInterval, '15s');
  return withPushTlsOptions(withPushHeaderOptions(command, REMOTE_WRITE), REMOTE_WRITE).option(
    '--remote-write-queue <samples>',
    'samples held while the receiver is slow or down; beyond, the oldest are dropped and counted',
    parsePositiveInteger('500000'),
    DEFAULT_QUEUE,
  );
}

/** The --loki options; `what` says where the lines go (the help of `--loki` itself). */
export function withLokiOptions(command: Command, what: string): Command {
  command.option('--loki <url>', what, parseUrl);
  return withPushTlsOptions(withPushHeaderOptions(command, LOKI), LOKI);
}

/** The --otlp options; `what` says where the spans go (the help of `--otlp` itself). */
export function withOtlpOptions(command: Command, what: string): Command {
  command.option('--otlp <url>', what, parseUrl);
  return withPushTlsOptions(withPushHeaderOptions(command, OTLP), OTLP);
}

/** The generators' remote write, secrets read; undefined without --remote-write (other flags then refused). */
export function remoteWriteOf(flags: RemoteWriteFlags): LiveRemoteWrite | undefined {
  const config = pushConfigOf(flags, REMOTE_WRITE);
  if (config === undefined) return undefined;
  return {
    sender: senderOptionsOf(config),
    intervalMs: parseDuration(flags.remoteWriteInterval)!,
    queueCapacity: flags.remoteWriteQueue,
  };
}

/** One push output's target, secrets read; undefined without its URL (its other flags then refused). */
function pushTargetOf<K extends string>(
  flags: PushFlags<K>,
  names: PushOutputNames<K>,
): PushTarget | undefined {
  const config = pushConfigOf(flags, names);
  if (config === undefined) return undefined;
  return {
    url: config.url,
    headers: pushHeadersOf(config, names),
    tls: pushTlsOf(config, config.url, names.flag),
  };
}

/** The generators' Loki, secrets read; undefined without --loki (its other flags then refused). */
export function lokiOutputOf(flags: LokiFlags): LokiOutput | undefined {
  return pushTargetOf(flags, LOKI);
}

/** The generators' OTLP receiver, secrets read; undefined without --otlp (its other flags then refused). */
export function otlpOutputOf(flags: OtlpFlags): PushTarget | undefined {
  return pushTargetOf(flags, OTLP);
}
