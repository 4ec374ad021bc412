/**
 * Remote write into the real Prometheus (3.5, started here with --web.enable-remote-write-receiver):
 *
 * 1. Throughput of one generator process (in this process, --scale 100): every series pushed once per
 *    round of 15 s of model time; samples per second per core (CPU time of collecting, encoding and sending,
 *    the model's own stepping not counted) and bytes on the wire per sample. Goal: >= 100,000/s per core,
 *    the queue bounded (its capacity) and nothing dropped.
 * 2. Scale: the built `sandbox generate --scale N --remote-write URL` (scrape targets on) for N = 1, 10, 100,
 *    each for SECONDS (default 35) of wall time at a 15 s push interval: series served and pushed (counted in
 *    the receiver), peak RSS and CPU, and both per 100k series. Needs `npm run build` first.
 *
 *   npx tsx bench/remote-write.ts [seconds]
 */
import { spawn } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { createInterface } from 'node:readline';
import { VirtualClock } from '../generators/clock.js';
import { LiveGenerators } from '../generators/live/live-generators.js';
import { ensureBinary } from '../sandbox/binaries/index.js';
import { startReceiver } from '../test/support/remote-write-receiver.js';
import { isMain, mb } from './support.js';

const CLI = 'dist/sandbox/cli/main.js';
const ROUND_MS = 15_000;

async function throughput(prometheus: string, scale = 100, rounds = 8): Promise<void> {
  const receiver = await startReceiver(prometheus);
  const start = Math.floor(Date.now() / 60_000) * 60_000 - rounds * ROUND_MS;
  const clock = new VirtualClock(start);
  const live = await LiveGenerators.start({
    seed: 1,
    port: 0,
    clock,
    scale,
    scrape: false,
    stepIntervalMs: 3_600_000,
    remoteWrite: { sender: { url: receiver.url }, intervalMs: 3_600_000, queueCapacity: 500_000 },
  });
  try {
    await live.pushNow();
    const before = live.remoteWriteStats()!;
    let cpuUs = 0;
    let wallMs = 0;
    for (let round = 0; round < rounds; round++) {
      clock.advanceBy(ROUND_MS);
      while (!live.step());
      const cpu = process.cpuUsage();
      const t0 = performance.now();
      await live.pushNow();
      wallMs += performance.now() - t0;
      const used = process.cpuUsage(cpu);
      cpuUs += used.user + used.system;
    }
    const after = live.remoteWriteStats()!;
    const sent = after.sent - before.sent;
    const bytes = after.bytes - before.bytes;
    console.log(
      `throughput (--scale ${scale}, ${(await live.seriesCount()).toLocaleString('en')} series, ${rounds} pushes):\n` +
        `  ${Math.round(sent / (cpuUs / 1e6)).toLocaleString('en')} samples/s per core (goal >= 100,000), ` +
        `${Math.round(sent / (wallMs / 1000)).toLocaleString('en')} samples/s of wall time (Prometheus on the same 2 cores)\n` +
        `  ${(bytes / sent).toFixed(2)} bytes on the wire per sample (protobuf + snappy), ${after.requests - before.requests} requests\n` +
        `  dropped ${after.dropped}; queue bounded at 500,000 samples`,
    );
  } finally {
    await live.stop();
    await receiver.stop();
  }
}

function procStat(pid: number): { cpuSeconds: number; rssMb: number } {
  const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
  const ticks = Number(fields[11]) + Number(fields[12]);
  const rssPages = Number(fields[21]);
  return { cpuSeconds: ticks / 100, rssMb: mb(rssPages * 4096) };
}

interface ScaleFigures {
  series: number;
  rssMb: number;
  cores: number;
}

async function scaled(prometheus: string, scale: number, seconds: number): Promise<ScaleFigures> {
  const receiver = await startReceiver(prometheus);
  const child = spawn(
    process.execPath,
    [CLI, 'generate', '--port', '0', '--json', '--scale', String(scale), '--remote-write', receiver.url],
    { stdio: ['ignore', 'pipe', 'inherit'] },
  );
  try {
    const first = await new Promise<string>((resolve) =>
      createInterface({ input: child.stdout! }).once('line', resolve),
    );
    const summary = JSON.parse(first) as { targets: unknown[]; remoteWrite: { series: number } };
    const begin = procStat(child.pid!);
    const started = Date.now();
    let peakRss = begin.rssMb;
    while (Date.now() - started < seconds * 1000) {
      await new Promise((r) => setTimeout(r, 1000));
      peakRss = Math.max(peakRss, procStat(child.pid!).rssMb);
    }
    const cores = (procStat(child.pid!).cpuSeconds - begin.cpuSeconds) / ((Date.now() - started) / 1000);
    const pushed = await receiver.everything(Date.now()).then((v) => v.length);
    const series = pushed;
    const per100k = 100_000 / series;
    console.log(
      `--scale ${String(scale).padEnd(3)} ${summary.remoteWrite.series.toLocaleString('en').padStart(7)} series served at start by ${summary.targets.length} targets, ` +
        `${pushed.toLocaleString('en').padStart(7)} pushed (in the receiver); RSS ${peakRss} MB (${Math.round(peakRss * per100k)} MB per 100k series), ` +
        `CPU ${(cores * 100).toFixed(1)}% of a core (${(cores * per100k).toFixed(2)} cores per 100k series)`,
    );
    return { series, rssMb: peakRss, cores };
  } finally {
    child.kill('SIGTERM');
    await new Promise((r) => child.once('exit', r));
    await receiver.stop();
  }
}

export async function main(seconds = 35): Promise<void> {
  if (!existsSync(CLI)) throw new Error(`${CLI} is missing: run npm run build first`);
  const prometheus = (await ensureBinary('prometheus')).path;
  await throughput(prometheus);
  console.log(`scale (${seconds} s each, pushing every 15 s, scrape targets served too):`);
  const figures: ScaleFigures[] = [];
  for (const scale of [1, 10, 100]) figures.push(await scaled(prometheus, scale, seconds));
  const [one, , hundred] = figures as [ScaleFigures, ScaleFigures, ScaleFigures];
  const per100k = 100_000 / (hundred.series - one.series);
  console.log(
    `marginal cost from --scale 1 to 100 (the process's fixed cost left out): ` +
      `${Math.round((hundred.rssMb - one.rssMb) * per100k)} MB RSS and ` +
      `${((hundred.cores - one.cores) * per100k).toFixed(2)} cores per 100k series`,
  );
}

if (isMain(import.meta.url)) await main(Number(process.argv[2] ?? 35));
