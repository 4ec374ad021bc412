/**
 * Simulated replay of every bundled scenario: wall time, the overhead over running promtool alone on the
 * same generated test files (same parallelism), and the virtual-to-wall speed-up.
 *
 *   npx tsx bench/replay.ts
 */
import { execFile } from 'node:child_process';
import { mkdtemp, readFile, readdir, rm } from 'node:fs/promises';
import { availableParallelism, tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { ensureBinary } from '../sandbox/binaries/index.js';
import { replay, replayAll } from '../sandbox/testing.js';
import { isMain } from './support.js';

const run = promisify(execFile);

/** CPU seconds of this process and its finished children (utime, stime, cutime, cstime of /proc/self/stat). */
async function cpuSeconds(): Promise<number> {
  const stat = await readFile('/proc/self/stat', 'utf8');
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  const ticks = [11, 12, 13, 14].reduce((sum, i) => sum + Number(fields[i]), 0);
  return ticks / 100;
}

async function promtoolAlone(promtool: string, files: string[], parallel: number): Promise<number> {
  const started = performance.now();
  let next = 0;
  const worker = async () => {
    while (next < files.length) {
      const file = files[next++]!;
      await run(promtool, ['test', 'rules', file], { maxBuffer: 1 << 30 }).catch(() => undefined);
    }
  };
  await Promise.all(Array.from({ length: parallel }, worker));
  return performance.now() - started;
}

export async function main() {
  const promtool = (await ensureBinary('promtool')).path;
  const keep = await mkdtemp(join(tmpdir(), 'obs-sandbox-bench-'));
  try {
    const started = performance.now();
    const cpuStart = await cpuSeconds();
    const results = await replayAll({ keepDir: keep });
    const wallMs = performance.now() - started;
    const cpu = (await cpuSeconds()) - cpuStart;
    const files = (await readdir(keep)).map((f) => join(keep, f));
    const aloneCpuStart = await cpuSeconds();
    const aloneMs = await promtoolAlone(promtool, files, availableParallelism());
    const aloneCpu = (await cpuSeconds()) - aloneCpuStart;
    const virtualMs = results.reduce((sum, r) => sum + r.virtualMs, 0);
    const failed = results.filter((r) => !r.passed).length;
    console.log(
      `${results.length} bundled scenarios (${failed} failed), ${(virtualMs / 3_600_000).toFixed(1)} h of scenario time`,
    );
    console.log(`replay wall time:            ${(wallMs / 1000).toFixed(1)} s (goal <= 10 s)`);
    console.log(`promtool alone, same files:  ${(aloneMs / 1000).toFixed(1)} s`);
    console.log(
      `overhead over promtool:      ${Math.round(((wallMs - aloneMs) / aloneMs) * 100)}% (goal <= 25%)`,
    );
    console.log(
      `CPU: replay ${cpu.toFixed(1)} s, promtool alone ${aloneCpu.toFixed(1)} s: ${(cpu / aloneCpu).toFixed(2)}x promtool's CPU (goal <= 1.2x)`,
    );
    console.log(
      `virtual-to-wall speed-up:    ${Math.round(virtualMs / wallMs)}x (goal >= 1000x; warm-ups not counted)`,
    );
    const sankofaStart = performance.now();
    const [sankofa] = await replay(['sankofa-phoenix-baseline']);
    console.log(
      `sankofa-phoenix-baseline alone (8 days: 1 d warm-up, 7 d judged, evaluation every 4m): ${((performance.now() - sankofaStart) / 1000).toFixed(1)} s, ${sankofa?.passed ? 'passed' : 'FAILED'} (goal < 60 s)`,
    );
    return { wallMs, aloneMs, virtualMs, cpu, aloneCpu };
  } finally {
    await rm(keep, { recursive: true, force: true });
  }
}

if (isMain(import.meta.url)) await main();
