/**
 * Runs every benchmark, each in its own process so that memory figures are not mixed, and prints figures.
 * Goals are printed next to the figures; nothing is asserted (tests check behaviour, benches measure).
 *
 *   npm run bench
 */
import { spawnSync } from 'node:child_process';

const BENCHES: [script: string, ...args: string[]][] = [
  ['bench/cli-startup.ts'],
  ['bench/model-time.ts'],
  ['bench/scrape-render.ts'],
  ['bench/declared-systems.ts'],
  ['bench/replay.ts'],
  ['bench/mutate.ts'],
  ['bench/stack-ready.ts'],
  ['bench/start-ready.ts'],
  ['bench/k8s-render.ts'],
  ['bench/logs-throughput.ts'],
  ['bench/spans-throughput.ts'],
  ['bench/live-rss.ts', process.env.BENCH_SECONDS ?? '60'],
  ['bench/tui.ts', process.env.BENCH_TUI_SECONDS ?? '60'],
];

for (const [script, ...args] of BENCHES) {
  console.log(`\n== ${script} ${args.join(' ')}`);
  const result = spawnSync(process.execPath, ['--import', 'tsx', script, ...args], { stdio: 'inherit' });
  if (result.status !== 0) console.log(`(${script} exited with ${result.status})`);
}
