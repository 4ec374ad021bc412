/**
 * The reaper of a test process' CLIs: a SIGKILL of the test process, which runs no clean-up of its own, kills
 * the CLIs it marked (a quiet `generate` otherwise runs for ever) and no other, and the reaper exits.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { readdirSync, readFileSync } from 'node:fs';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import {
  identityMismatch,
  readProcessIdentity,
  type ProcessIdentity,
} from '../../sandbox/stack/process-identity.js';
import { CLI_REAPER_ENV, CLI_REAPER_PROCESS } from './cli-reaper.js';

const module = (name: string) => JSON.stringify(fileURLToPath(new URL(name, import.meta.url)));

/**
 * A test process as a child: starts a reaper, then `generate` twice, one marked for the reaper and one not,
 * printing which and its pid once it runs (generate prints nothing more); then waits to be killed.
 */
const TEST_PROCESS = `
import { spawn } from 'node:child_process';
import { CLI_ENTRY } from ${module('./cli-entry.ts')};
import { startCliReaper } from ${module('./cli-reaper.ts')};
const reaper = startCliReaper(CLI_ENTRY.at(-1), console.error);
for (const [name, env] of [['marked', { ...process.env, ...reaper.env }], ['unmarked', process.env]]) {
  const cli = spawn(process.execPath, [...CLI_ENTRY, 'generate', '--port', '0'], { env, stdio: ['ignore', 'pipe', 'inherit'] });
  cli.stdout.once('data', () => console.log(name, cli.pid));
}
setInterval(() => undefined, 60_000);
`;

const spawned: number[] = [];
afterEach(() => {
  for (const pid of spawned.splice(0)) {
    try {
      process.kill(pid, 'SIGKILL');
    } catch {
      // Gone, as it should be.
    }
  }
});

/** The CLI reapers the process started (their orders are in their environment). */
const cliReapersOf = (parent: number) =>
  readdirSync('/proc')
    .map(Number)
    .filter((pid) => {
      try {
        const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
        return (
          Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]) === parent &&
          readFileSync(`/proc/${pid}/cmdline`, 'utf8').includes(CLI_REAPER_PROCESS) &&
          readFileSync(`/proc/${pid}/environ`, 'utf8').includes(`${CLI_REAPER_ENV}=`)
        );
      } catch {
        return false;
      }
    });

/** Whether the process is gone within the time (by its identity: its pid may be reused). */
async function gone(identity: ProcessIdentity, timeoutMs: number): Promise<boolean> {
  const deadline = performance.now() + timeoutMs;
  while (identityMismatch(identity) === undefined) {
    if (performance.now() > deadline) return false;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  return true;
}

describe('startCliReaper', () => {
  it('kills the CLIs marked for it once their test process is SIGKILLed, and no other', async () => {
    const testProcess: ChildProcess = spawn(
      process.execPath,
      ['--import', 'tsx', '--input-type=module', '-e', TEST_PROCESS],
      { stdio: ['ignore', 'pipe', 'inherit'] },
    );
    spawned.push(testProcess.pid!);
    const clis: Record<string, number> = {};
    for await (const line of createInterface({ input: testProcess.stdout! })) {
      const [name, pid] = line.split(' ');
      clis[name!] = Number(pid);
      spawned.push(Number(pid));
      if (Object.keys(clis).length === 2) break;
    }
    const { marked, unmarked } = clis as { marked: number; unmarked: number };
    const reapers = cliReapersOf(testProcess.pid!);
    expect(reapers).toHaveLength(1);
    const [cli, reaper, other] = [marked, reapers[0]!, unmarked].map((pid) => readProcessIdentity(pid)!);
    const exited = once(testProcess, 'exit');
    testProcess.kill('SIGKILL');
    await exited;
    // Generous: the machine may be loaded; by hand it takes a fifth of a second.
    expect(await gone(cli!, 15_000)).toBe(true);
    expect(await gone(reaper!, 15_000)).toBe(true);
    expect(identityMismatch(other!)).toBeUndefined();
  }, 180_000);
});
