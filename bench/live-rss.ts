/**
 * Resident memory of the built `sandbox generate` at default rates: it runs for N seconds (default 60)
 * while this script scrapes every target once a second, as Prometheus would at a 1 s interval, and reads
 * the child's RSS from /proc. Needs `npm run build` first.
 *
 *   npx tsx bench/live-rss.ts [seconds]
 */
import { spawn } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { createInterface } from 'node:readline';
import { isMain } from './support.js';

const CLI = 'dist/sandbox/cli/main.js';

function rssMb(pid: number): number {
  const line = readFileSync(`/proc/${pid}/status`, 'utf8')
    .split('\n')
    .find((l) => l.startsWith('VmRSS:'));
  return Math.round(Number(line?.split(/\s+/)[1] ?? 0) / 102.4) / 10;
}

export async function main(seconds = 60) {
  if (!existsSync(CLI)) throw new Error(`${CLI} is missing: run npm run build first`);
  const child = spawn(process.execPath, [CLI, 'generate', '--port', '0', '--json'], {
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const first = await new Promise<string>((resolve) =>
    createInterface({ input: child.stdout! }).once('line', resolve),
  );
  const { targets } = JSON.parse(first) as { targets: { url: string }[] };
  const samples: number[] = [];
  let scrapes = 0;
  const started = Date.now();
  while (Date.now() - started < seconds * 1000) {
    await Promise.all(targets.map((t) => fetch(t.url).then((r) => r.text())));
    scrapes += targets.length;
    samples.push(rssMb(child.pid!));
    await new Promise((r) => setTimeout(r, 1000));
  }
  child.kill('SIGTERM');
  const result = {
    seconds,
    scrapes,
    startRssMb: samples[0]!,
    maxRssMb: Math.max(...samples),
    endRssMb: samples.at(-1)!,
  };
  console.log(
    `sandbox generate for ${seconds} s, ${scrapes} scrapes: RSS start ${result.startRssMb} MB, ` +
      `max ${result.maxRssMb} MB, end ${result.endRssMb} MB (goal <= 150 MB)`,
  );
  return result;
}

if (isMain(import.meta.url)) await main(Number(process.argv[2] ?? 60));
