/**
 * Simulated replay of every bundled scenario: wall time, the overhead over running promtool alone on the
 * same generated test files (same parallelism), and the virtual-to-wall speed-up.
 *
 *   npx tsx bench/replay.ts
 */
import { execFile } from 'node:child_process';
import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { availableParallelism, tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { ensureBinary } from '../sandbox/binaries/index.js';
import { replayAll } from '../sandbox/testing.js';
import { isMain } from './support.js';

const run = promisify(execFile);

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
    const results = await replayAll({ keepDir: keep });
    const wallMs = performance.now() - started;
    const files = (await readdir(keep)).map((f) => join(keep, f));
    const aloneMs = await promtoolAlone(promtool, files, availableParallelism());
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
      `virtual-to-wall speed-up:    ${Math.round(virtualMs / wallMs)}x (goal >= 1000x; warm-ups not counted)`,
    );
    return { wallMs, aloneMs, virtualMs };
  } finally {
    await rm(keep, { recursive: true, force: true });
  }
}

if (isMain(import.meta.url)) await main();
