/**
 * How fast the built CLI starts, whole process, against a bare `node -e 0` in the same hyperfine run (Debian's
 * hyperfine; `npm run build` first): `--help`, `--version`, `faults`, and `check --help` (the heaviest
 * command's modules without its work). Goal: `--help` <= 150 ms over bare node. Prints the median wall time,
 * the difference from bare node, and user+system CPU.
 *
 *   npx tsx bench/cli-startup.ts [runs]      (default 10)
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { isMain } from './support.js';

const CLI = 'node dist/sandbox/cli/main.js';
const COMMANDS: Record<string, string> = {
  'node -e 0': 'node -e 0',
  'sandbox --help': `${CLI} --help`,
  'sandbox --version': `${CLI} --version`,
  'sandbox faults': `${CLI} faults`,
  'sandbox check --help': `${CLI} check --help`,
};

interface HyperfineResult {
  command: string;
  median: number;
  user: number;
  system: number;
}

export function benchCliStartup(runs = 10): void {
  const dir = mkdtempSync(join(tmpdir(), 'obs-sandbox-bench-cli-'));
  try {
    const out = join(dir, 'results.json');
    execFileSync(
      'hyperfine',
      ['--warmup', '2', '--runs', String(runs), '--style', 'none', '--export-json', out].concat(
        Object.entries(COMMANDS).flatMap(([name, command]) => ['-n', name, command]),
      ),
      { stdio: ['ignore', 'ignore', 'inherit'] },
    );
    const results = (JSON.parse(readFileSync(out, 'utf8')) as { results: HyperfineResult[] }).results;
    const bare = results[0]!.median;
    console.log(`CLI start-up, median of ${runs} (hyperfine), against bare node in the same run:`);
    for (const r of results) {
      const over = r === results[0] ? '' : `  +${Math.round((r.median - bare) * 1000)} ms over bare node`;
      console.log(
        `  ${r.command.padEnd(22)} ${(r.median * 1000).toFixed(0).padStart(5)} ms wall  ${((r.user + r.system) * 1000).toFixed(0).padStart(5)} ms CPU${over}`,
      );
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

if (isMain(import.meta.url)) benchCliStartup(Number(process.argv[2] ?? 10));
