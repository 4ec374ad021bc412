import type { Command } from 'commander';
import { createWriteStream } from 'node:fs';
import { WallClock } from '../../../generators/clock.js';
import { LiveGenerators } from '../../../generators/live/live-generators.js';
import { displayUrl } from '../../../generators/outputs/display-url.js';
import { formatLogLine } from '../../../generators/outputs/logs/log-line.js';
import { commandSetup, seedOf, withSystemOption } from '../command-setup.js';
import { targetsOf } from '../../../generators/systems/targets.js';
import {
  MAX_SCALE,
  SERIES_BUDGET,
  seriesOverBudget,
  shardTargets,
  type Shard,
} from '../../../generators/systems/scale.js';
import { estimateShardSeries, type SeriesEstimate } from '../../../generators/live/series-estimate.js';
import { UserError } from '../../../generators/user-error.js';
import {
  lokiOutputOf,
  otlpOutputOf,
  remoteWriteOf,
  withLokiOptions,
  withOtlpOptions,
  withRemoteWriteOptions,
  type LokiFlags,
  type OtlpFlags,
  type RemoteWriteFlags,
} from '../remote-write-options.js';
import { isLoopbackAddress, listenAddresses } from '../listen-addresses.js';
import { parseKnobs } from '../knob-options.js';
import {
  assertPortsFit,
  MAX_SPEED,
  collect,
  parsePort,
  parsePositiveInteger,
  parseSeed,
  parseShard,
  positiveUpTo,
} from '../options.js';
import { onShutdown } from '../shutdown.js';
import type { CliIo } from '../io.js';
import { summaryOf } from '../command-table.js';
import { startGeneratorControl } from '../../generate-control/generator-control.js';
import { startGeneratorWebhook } from '../../generate-control/generator-webhook.js';

interface GenerateOptions extends RemoteWriteFlags, LokiFlags, OtlpFlags {
  scale: number;
  shard?: Shard;
  scrape: boolean;
  port: number;
  seed: number | string;
  rateScale: number;
  speed: number;
  fault: string[];
  knob: string[];
  logFile?: string;
  bind: string;
  allowRemote?: boolean;
  webhookPort?: number;
  webhookTokenFile?: string;
  webhookOpen?: boolean;
  json?: boolean;
  controlPort?: number;
  controlTokenFile?: string;
}

export const DEFAULT_BASE_PORT = 9470;
/** The platform's rate_scale knob allows no more. */
export const MAX_RATE_SCALE = 1000;

export function registerGenerate(program: Command, io: CliIo): void {
  const command = program
    .command('generate')
    .description(summaryOf('generate'))
    .option(
      '--port <n>',
      'port of the first target; the others follow (0: any free ports)',
      parsePort,
      DEFAULT_BASE_PORT,
    )
    .option('--seed <n>', 'random seed; the same seed gives the same traffic', parseSeed, 1)
    .option(
      '--rate-scale <x>',
      `multiply every traffic rate (at most ${MAX_RATE_SCALE})`,
      positiveUpTo(MAX_RATE_SCALE, '0.5 or 10'),
      1,
    )
    .option(
      '--speed <x>',
      `run model time this many times faster than wall time (at most ${MAX_SPEED})`,
      positiveUpTo(MAX_SPEED, '60'),
      1,
    )
    .option(
      '--fault <name[:k=v,...]>',
      'start with a fault switched on (repeatable; see `sandbox faults`)',
      collect,
      [],
    )
    .option(
      '--knob <name=value>',
      'set a traffic knob (repeatable; `sandbox faults` lists the knobs)',
      collect,
      [],
    )
    .option('--log-file <path>', 'also append every log line (JSON) to this file')
    .option(
      '--bind <addresses>',
      'comma-separated IP addresses to listen on (any but loopback needs --allow-remote)',
      '127.0.0.1',
    )
    .option('--allow-remote', 'allow --bind addresses other than loopback (reachable from other machines)')
    .option(
      '--webhook-port <n>',
      "also receive Alertmanager's webhook notifications on this port and print them",
      parsePort,
    )
    .option('--webhook-token-file <file>', "the secret in the webhook's URL path (0600; made when missing)")
    .option(
      '--webhook-open',
      'receive notifications without a secret path (only where nobody but Alertmanager reaches the port)',
    )
    .option('--json', 'print the targets as one JSON object on stdout')
    .option('--control-port <n>', 'serve a control API (faults, knobs) on --bind at this port', parsePort)
    .option('--control-token-file <file>', "the control API's token (0600; made when missing)")
    .option(
      '--scale <n>',
      `run N copies of the systems, each with seeds of its own and a replica label (at most ${MAX_SCALE}, and ${SERIES_BUDGET.toLocaleString('en')} series per process: see --shard)`,
      parsePositiveInteger('10'),
      1,
    )
    .option(
      '--shard <i/N>',
      'serve only shard i of N: N processes share one scaled system, without overlap',
      parseShard,
    )
    .option('--no-scrape', 'serve no scrape targets (when only pushing with --remote-write)');
  withLokiOptions(command, 'push logs to this Loki (e.g. http://127.0.0.1:3100)');
  withOtlpOptions(command, 'export traces over OTLP/HTTP to this endpoint (e.g. http://127.0.0.1:4318)');
  withRemoteWriteOptions(command);
  withSystemOption(command).action(async (options: GenerateOptions, cmd: Command) => {
    const hosts = listenAddresses(options.bind, options.allowRemote === true);
    const { project, catalogue } = await commandSetup(cmd);
    const seed = seedOf(cmd, project);
    const faults = options.fault.map((spec) => catalogue.faults.parse(spec));
    const knobs = { ...parseKnobs(options.knob, catalogue.knobs), rate_scale: options.rateScale };
    const remoteWrite = remoteWriteOf(options);
    const loki = lokiOutputOf(options);
    const otlp = otlpOutputOf(options);
    if (!options.scrape && !remoteWrite)
      throw new UserError('--no-scrape leaves the series nowhere to go: give --remote-write URL too');
    const webhookFlag = options.webhookOpen
      ? '--webhook-open'
      : options.webhookTokenFile && '--webhook-token-file';
    if (webhookFlag && options.webhookPort === undefined)
      throw new UserError(`${webhookFlag} goes with --webhook-port: give the port too, or leave it out`);
    if (options.webhookOpen && options.webhookTokenFile !== undefined)
      throw new UserError('--webhook-open takes no secret: leave out --webhook-token-file or --webhook-open');
    if (options.scale > MAX_SCALE)
      throw new UserError(`--scale ${options.scale} is over ${MAX_SCALE}; give ${MAX_SCALE} or less`);
    const targetCount = shardTargets(targetsOf(catalogue.systems), options.scale, options.shard).length;
    if (targetCount === 0)
      throw new UserError(
        `--shard ${options.shard!.index}/${options.shard!.count} has no targets: there are only ${targetsOf(catalogue.systems).length * options.scale}; use fewer shards or a larger --scale`,
      );
    // At --scale the shard's series are estimated (and bounded) before anything is built; that estimate is also
    // the count the summary gives, rather than materialising every series (250k at scale) just to count them.
    let estimate: SeriesEstimate | undefined;
    if (options.scale > 1) {
      estimate = await estimateShardSeries(catalogue.systems, seed, Date.now(), options.scale, options.shard);
      const over = seriesOverBudget({ ...estimate, scale: options.scale, shard: options.shard });
      if (over) throw new UserError(over);
    }
    if (options.scrape)
      assertPortsFit('--port', options.port, targetCount, `the ${targetCount} scrape targets`);
    const exposed = hosts.filter((h) => !isLoopbackAddress(h));
    if (exposed.length > 0)
      io.status(`warning: listening on ${exposed.join(', ')}, reachable from other machines`);
    const logFile = options.logFile ? createWriteStream(options.logFile, { flags: 'a' }) : undefined;
    const webhook =
      options.webhookPort === undefined
        ? undefined
        : await startGeneratorWebhook({
            host: hosts[0]!,
            port: options.webhookPort,
            tokenFile: options.webhookTokenFile,
            open: options.webhookOpen,
            onNotification: (n) =>
              io.status(
                `notification ${n.status}: ${n.alertname} (${n.receiver}) ${JSON.stringify(n.labels)}`,
              ),
          });
    const live = await LiveGenerators.start({
      systems: catalogue.systems,
      seed,
      port: options.port,
      hosts,
      knobs,
      faults,
      loki,
      otlp,
      scale: options.scale,
      shard: options.shard,
      scrape: options.scrape,
      remoteWrite,
      clock: new WallClock(options.speed),
      onStatus: (message) => io.status(message),
      onLog: logFile && ((record) => logFile.write(`${formatLogLine(record)}\n`)),
    }).catch(async (error: unknown) => {
      await webhook?.stop();
      throw error;
    });
    const control =
      options.controlPort === undefined
        ? undefined
        : await startGeneratorControl(live, {
            hosts,
            port: options.controlPort,
            tokenFile: options.controlTokenFile,
          }).catch(async (error: unknown) => {
            await live.stop();
            await webhook?.stop();
            throw error;
          });
    onShutdown(async () => {
      io.status('stopping generators');
      await control?.stop();
      await live.stop();
      await webhook?.stop();
      await new Promise<void>((resolve) => (logFile ? logFile.end(resolve) : resolve()));
    }, io.status);
    const summary = {
      targets: live.targets(),
      seed,
      faults: faults.map((f) => catalogue.faults.validate(f.name, f.params)),
      logs: loki ? displayUrl(loki.url) : options.logFile ? `file:${options.logFile}` : 'memory',
      traces: options.otlp ? displayUrl(options.otlp) : 'memory',
      ...(remoteWrite && {
        remoteWrite: {
          url: displayUrl(remoteWrite.sender.url),
          series: estimate?.series ?? (await live.seriesCount()),
        },
      }),
      ...(options.scale > 1 && { scale: options.scale }),
      ...(options.shard && { shard: `${options.shard.index}/${options.shard.count}` }),
      ...(control && { control: { urls: control.urls, tokenFile: control.tokenFile } }),
      ...(webhook && { webhook: { url: webhook.url, tokenFile: webhook.tokenFile } }),
    };
    if (options.json) {
      io.out(JSON.stringify(summary));
      return;
    }
    io.out(`generators running (seed ${String(seed)}); Ctrl-C stops them`);
    for (const target of summary.targets) io.out(`  ${target.job.padEnd(22)} ${target.url}`);
    io.out(
      `  logs:   ${loki ? `pushed to Loki at ${summary.logs}` : summary.logs === 'memory' ? 'kept in memory (use --loki or --log-file)' : summary.logs}`,
    );
    io.out(`  traces: ${options.otlp ? `exported to ${summary.traces}` : 'kept in memory (use --otlp)'}`);
    if (control) io.out(`  control: ${control.urls.join(', ')} (token in ${control.tokenFile})`);
    if (webhook)
      io.out(`  webhook: ${webhook.url}${webhook.tokenFile ? ` (token in ${webhook.tokenFile})` : ''}`);
    if (summary.remoteWrite)
      io.out(
        `  remote write: ${summary.remoteWrite.series} series every ${options.remoteWriteInterval} to ${summary.remoteWrite.url}`,
      );
    if (options.scale > 1 || options.shard)
      io.out(
        `  scale:  ${options.scale} replicas${options.shard ? `, shard ${options.shard.index}/${options.shard.count} (${targetCount} targets)` : ''}`,
      );
    io.out(`  faults: ${faults.length === 0 ? 'none' : faults.map((f) => f.name).join(', ')}`);
  });
}
