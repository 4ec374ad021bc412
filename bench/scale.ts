/**
 * Scale: the built `sandbox generate --no-scrape --remote-write URL` pushing into the real Prometheus (3.5,
 * started here with --web.enable-remote-write-receiver, a temporary data dir, on loopback), every 15 s.
 *
 * 1. One process at --scale 1, 10, 100 and SHARD_SCALE / 4 (about 250k series): active series in Prometheus
 *    (prometheus_tsdb_head_series), samples/s it appended, the generator's peak RSS (VmHWM) and CPU, and
 *    both per 100k series.
 * 2. Four shards (--shard 0/4 ... 3/4 of --scale SHARD_SCALE, about 1M series, mimir-distributed's "small"
 *    sizing): each shard's peak RSS (goal < 1 GB), and whether Prometheus, on the same cores, keeps up.
 *
 * The machine's load average is printed with each run: it is shared, and the figures move with it.
 *
 *   npm run build && npx tsx bench/scale.ts [seconds per run, default 90] [shards]
 *
 * With `shards`, only part 2 runs.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { createInterface } from 'node:readline';
import { ensureBinary } from '../sandbox/binaries/index.js';
import { startReceiver } from '../test/support/remote-write-receiver.js';
import { isMain } from './support.js';

const CLI = 'dist/sandbox/cli/main.js';
const INTERVAL_S = 15;
/** Replicas of about 278 series each: 3,600 make about 1M series. */
const SHARD_SCALE = 3600;
const TICKS_PER_SECOND = 100;

interface Proc {
  child: ChildProcess;
  stderr: string[];
}

/** CPU seconds so far, and resident memory now and at its peak (MB), from /proc. */
function usage(pid: number): { cpu: number; rssMb: number; peakMb: number } {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const kb = (field: string) => Number(new RegExp(`${field}:\\s+(\\d+)`).exec(status)?.[1] ?? 0);
  return {
    cpu: (Number(stat[11]) + Number(stat[12])) / TICKS_PER_SECOND,
    rssMb: Math.round(kb('VmRSS') / 1024),
    peakMb: Math.round(kb('VmHWM') / 1024),
  };
}

const load = () => readFileSync('/proc/loadavg', 'utf8').split(' ').slice(0, 3).join(' ');
const n = (x: number) => Math.round(x).toLocaleString('en');

async function stopProc(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise((r) => child.once('exit', r));
  child.kill('SIGTERM');
  await exited;
}

/** One of Prometheus' own gauges or counters, read from its /metrics: the sum of its series (0 before any). */
async function promMetric(api: string, name: string): Promise<number> {
  const text = await (await fetch(`${api}/metrics`)).text();
  const lines = text.split('\n').filter((l) => l.startsWith(`${name} `) || l.startsWith(`${name}{`));
  return lines.reduce((sum, l) => sum + Number(l.slice(l.lastIndexOf(' ') + 1)), 0);
}

async function startGenerator(url: string, scale: number, shard?: string): Promise<Proc> {
  const args = [CLI, 'generate', '--json', '--no-scrape', '--scale', String(scale), '--remote-write', url];
  if (shard) args.push('--shard', shard);
  args.push('--remote-write-interval', `${INTERVAL_S}s`);
  const child = spawn(process.execPath, args, { stdio: ['ignore', 'pipe', 'pipe'] });
  const stderr: string[] = [];
  createInterface({ input: child.stderr! }).on('line', (l) => stderr.push(l));
  const first = await new Promise<string | undefined>((resolve) => {
    createInterface({ input: child.stdout! }).once('line', resolve);
    child.once('exit', () => resolve(undefined));
  });
  if (first === undefined) throw new Error(`generate --scale ${scale} exited: ${stderr.join(' ')}`);
  return { child, stderr };
}

interface RunFigures {
  series: number;
  samplesPerSecond: number;
  generators: { peakMb: number; cores: number }[];
  prometheus: { peakMb: number; cores: number };
  /** Lines of the generators that say samples were dropped or not delivered. */
  trouble: string[];
}

/** Runs the generators for `seconds` of wall time after they have all started, measuring as it goes. */
async function run(
  prometheus: string,
  scale: number,
  shards: string[],
  seconds: number,
): Promise<RunFigures> {
  const receiver = await startReceiver(prometheus);
  const url = receiver.url;
  const gens: Proc[] = [];
  try {
    for (const shard of shards) gens.push(await startGenerator(url, scale, shard || undefined));
    const pids = gens.map((g) => g.child.pid!);
    const promPid = receiver.pid;
    const cpu0 = pids.map((p) => usage(p).cpu);
    const promCpu0 = usage(promPid).cpu;
    const appended0 = await promMetric(receiver.api, 'prometheus_tsdb_head_samples_appended_total');
    const t0 = Date.now();
    let series = 0;
    while (Date.now() - t0 < seconds * 1000) {
      await new Promise((r) => setTimeout(r, 2000));
      series = Math.max(series, await promMetric(receiver.api, 'prometheus_tsdb_head_series'));
    }
    const wall = (Date.now() - t0) / 1000;
    const appended =
      (await promMetric(receiver.api, 'prometheus_tsdb_head_samples_appended_total')) - appended0;
    const trouble = gens.flatMap((g) => g.stderr.filter((l) => /dropped|not delivered|failed|full/.test(l)));
    const prom = usage(promPid);
    return {
      series,
      samplesPerSecond: appended / wall,
      generators: pids.map((p, i) => ({ peakMb: usage(p).peakMb, cores: (usage(p).cpu - cpu0[i]!) / wall })),
      prometheus: { peakMb: prom.peakMb, cores: (prom.cpu - promCpu0) / wall },
      trouble,
    };
  } finally {
    for (const g of gens) await stopProc(g.child);
    await receiver.stop();
  }
}

async function single(prometheus: string, scale: number, seconds: number): Promise<void> {
  const before = load();
  const f = await run(prometheus, scale, [''], seconds);
  const [g] = f.generators as [{ peakMb: number; cores: number }];
  const per100k = 100_000 / f.series;
  console.log(
    `--scale ${String(scale).padEnd(4)} ${n(f.series).padStart(7)} active series, ${n(f.samplesPerSecond).padStart(6)} samples/s appended; ` +
      `generator peak RSS ${g.peakMb} MB (${Math.round(g.peakMb * per100k)} MB per 100k series), ` +
      `CPU ${(g.cores * 100).toFixed(1)}% of a core (${(g.cores * INTERVAL_S * per100k).toFixed(2)} CPU s per 100k series per push); ` +
      `Prometheus ${f.prometheus.peakMb} MB, ${(f.prometheus.cores * 100).toFixed(0)}% of a core; load ${before} -> ${load()}` +
      (f.trouble.length > 0 ? `\n  generator said: ${f.trouble.slice(0, 3).join(' | ')}` : ''),
  );
}

async function sharded(prometheus: string, seconds: number): Promise<void> {
  const before = load();
  const shards = ['0/4', '1/4', '2/4', '3/4'];
  const f = await run(prometheus, SHARD_SCALE, shards, seconds);
  const pushed = f.series / INTERVAL_S;
  console.log(
    `4 shards of --scale ${SHARD_SCALE} (load ${before} -> ${load()}):\n` +
      f.generators
        .map(
          (g, i) =>
            `  shard ${shards[i]}: peak RSS ${g.peakMb} MB, CPU ${(g.cores * 100).toFixed(1)}% of a core`,
        )
        .join('\n') +
      `\n  Prometheus: ${n(f.series)} active series (goal 1,000,000), ${n(f.samplesPerSecond)} samples/s appended ` +
      `of the ${n(pushed)}/s its series make at ${INTERVAL_S} s (${((100 * f.samplesPerSecond) / pushed).toFixed(0)}%), ` +
      `peak RSS ${f.prometheus.peakMb} MB, ${(f.prometheus.cores * 100).toFixed(0)}% of a core` +
      (f.trouble.length > 0
        ? `\n  generators said (${f.trouble.length} lines): ${f.trouble.slice(0, 3).join(' | ')}`
        : '\n  no generator dropped or failed to deliver a sample'),
  );
}

export async function main(seconds = 90, shardsOnly = false): Promise<void> {
  if (!existsSync(CLI)) throw new Error(`${CLI} is missing: run npm run build first`);
  const prometheus = (await ensureBinary('prometheus')).path;
  if (!shardsOnly) {
    console.log(`one process, pushing every ${INTERVAL_S} s, ${seconds} s each:`);
    for (const scale of [1, 10, 100, SHARD_SCALE / 4]) await single(prometheus, scale, seconds);
  }
  await sharded(prometheus, seconds);
}

if (isMain(import.meta.url)) await main(Number(process.argv[2] ?? 90), process.argv[3] === 'shards');
