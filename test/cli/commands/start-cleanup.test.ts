import { existsSync, mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { requireBinaries } from '../../support/binaries.js';
import { runCli, startCli } from '../../support/cli.js';
import { waitFor } from '../../support/ports.js';
import { processesUsing } from '../../support/processes.js';
import { killReapers, reapersOf } from '../../support/reapers.js';
import { stalledPrometheus } from '../../support/stalled-prometheus.js';

const bins = await requireBinaries(['prometheus', 'alertmanager']);
// The stack's and the generators' ports with this file's --port-offset and --port (not the defaults, which
// the user's own sandbox may hold). A 1s interval: the start waits for Prometheus' first scrapes, which it
// staggers within the interval, and what is cleaned up does not depend on it.
const START = [
  ...['start', '--no-tui', '--runtime', 'native', '--interval', '1s'],
  ...['--port-offset', '2000', '--port', '11470'],
];
const PORTS = [11090, 11093, 11470, 11471, 11472, 11473];
/**
 * No history, where what is cleaned up does not depend on it: its blocks are in the run directory, removed
 * whole. (Simulating the default history takes most of a start.) The SIGINT once running and the start-up
 * cases keep it: a run directory with blocks in it, and a wide window while Prometheus waits for them.
 */
const NO_HISTORY = ['--history', '0'];

async function free(port: number): Promise<boolean> {
  const server = createServer();
  return new Promise((resolve) => {
    server.once('error', () => resolve(false));
    server.listen(port, '127.0.0.1', () => server.close(() => resolve(true)));
  });
}

/** Whether the state file says the sandbox runs (it is written, phase starting, before anything is made). */
async function running(stateDir: string): Promise<true | undefined> {
  const file = join(stateDir, 'state.json');
  if (!existsSync(file)) return undefined;
  return (JSON.parse(readFileSync(file, 'utf8')) as { phase: string }).phase === 'running' || undefined;
}

const portsFree = (await Promise.all(PORTS.map(free))).every(Boolean);
if (!portsFree && process.env.CI !== 'true')
  console.warn('[native-cleanup] skipping: ports 11090/11093/11470-11473 are busy');

describe.skipIf(!bins.available || (!portsFree && process.env.CI !== 'true'))(
  'sandbox start cleans up on signals',
  () => {
    it.each([
      ['SIGINT', 'during start-up', 400, []],
      ['SIGTERM', 'during start-up', 1200, []],
      ['SIGINT', 'while services start', 1700, []],
      ['SIGINT', 'once running', -1, []],
      ['SIGTERM', 'once running (no history)', -1, NO_HISTORY],
      ['SIGHUP', 'once running (the terminal closed, no history)', -1, NO_HISTORY],
    ] as const)(
      '%s %s leaves no process, data or state behind',
      async (signal, _when, afterMs, history) => {
        const stateDir = mkdtempSync(join(tmpdir(), 'obs-sandbox-cleanup-'));
        try {
          const cli = startCli([...START, ...history], {
            ...process.env,
            OBS_SANDBOX_STATE_DIR: stateDir,
          });
          if (afterMs < 0) await cli.firstLine.then(() => waitFor('the summary', () => running(stateDir)));
          else await new Promise((r) => setTimeout(r, afterMs));
          const code = await cli.stop(signal);
          // null: killed by the signal before the CLI had loaded, when there is nothing to clean up yet.
          expect([0, 129, 130, 143, null]).toContain(code);
          await waitFor(
            'every service process gone',
            async () => (processesUsing(stateDir).length === 0 ? true : undefined),
            10_000,
          );
          expect(readdirSync(stateDir).filter((f) => f !== 'sandbox.log')).toEqual([]);
          for (const port of PORTS) expect(await free(port), `port ${port}`).toBe(true);
        } finally {
          rmSync(stateDir, { recursive: true, force: true });
        }
      },
      120_000,
    );

    const stalled = stalledPrometheus(bins.available ? bins.get('prometheus').path : '');
    it("SIGTERM while the stack's services start undoes the start-up in reverse, then exits 143", async () => {
      const stateDir = mkdtempSync(join(tmpdir(), 'obs-sandbox-cleanup-'));
      try {
        // A Prometheus that never gets ready holds the start in this step: the real one may let it finish first.
        const cli = startCli(START, { ...process.env, ...stalled.env, OBS_SANDBOX_STATE_DIR: stateDir });
        let output = '';
        cli.child.stdout!.setEncoding('utf8').on('data', (chunk: string) => (output += chunk));
        await waitFor(
          'Alertmanager started, Prometheus not yet ready',
          async () =>
            (processesUsing(stateDir).some((p) => p.includes('alertmanager')) &&
              processesUsing(stateDir).some((p) => p.includes(stalled.marker))) ||
            undefined,
          60_000,
        );
        expect(await cli.stop('SIGTERM'), output).toBe(143);
        expect(output).toContain('SIGTERM during start-up: stopping what was started');
        // Undone before the exit, not by the exit hooks after it: nothing to wait for.
        expect(processesUsing(stateDir)).toEqual([]);
        expect(readdirSync(stateDir).filter((f) => f !== 'sandbox.log')).toEqual([]);
        for (const port of PORTS) expect(await free(port), `port ${port}`).toBe(true);
      } finally {
        rmSync(stateDir, { recursive: true, force: true });
      }
    }, 120_000);

    it('after SIGKILL (no cleanup possible), its reaper removes everything within seconds', async () => {
      const stateDir = mkdtempSync(join(tmpdir(), 'obs-sandbox-cleanup-'));
      const env = { ...process.env, OBS_SANDBOX_STATE_DIR: stateDir };
      try {
        const cli = startCli([...START, ...NO_HISTORY], env);
        await cli.firstLine;
        await waitFor('the state file', () => running(stateDir));
        expect(reapersOf(stateDir)).toHaveLength(1);
        // Not cli.stop('SIGKILL'), which runs `down` itself.
        const exited = new Promise((resolve) => cli.child.once('exit', resolve));
        cli.child.kill('SIGKILL');
        await exited;
        await waitFor(
          'the reaper to remove every process, the run directory and the state, and to end',
          async () => {
            const left = [...processesUsing(stateDir), ...reapersOf(stateDir).map((pid) => `reaper ${pid}`)];
            left.push(...readdirSync(stateDir).filter((f) => f !== 'sandbox.log'));
            return left.length === 0 ? true : undefined;
          },
          30_000,
        );
        for (const port of PORTS) expect(await free(port), `port ${port}`).toBe(true);
        const down = runCli(['down'], 60_000, env);
        expect(down.code).toBe(0);
        expect(down.stdout.trim()).toBe('nothing to clean up');
      } finally {
        rmSync(stateDir, { recursive: true, force: true });
      }
    }, 120_000);

    it('after SIGKILL of the command and its reaper, sandbox down removes what was left', async () => {
      const stateDir = mkdtempSync(join(tmpdir(), 'obs-sandbox-cleanup-'));
      const env = { ...process.env, OBS_SANDBOX_STATE_DIR: stateDir };
      try {
        const cli = startCli([...START, ...NO_HISTORY], env);
        await cli.firstLine;
        await waitFor('the state file', () => running(stateDir));
        killReapers(stateDir);
        // Not cli.stop('SIGKILL'), which runs `down` itself.
        const exited = new Promise((resolve) => cli.child.once('exit', resolve));
        cli.child.kill('SIGKILL');
        await exited;
        expect(processesUsing(stateDir).length).toBeGreaterThan(0);
        const down = runCli(['down'], 60_000, env);
        expect(down.code).toBe(0);
        expect(down.stdout).toMatch(/killed leftover prometheus/);
        expect(processesUsing(stateDir)).toEqual([]);
        expect(readdirSync(stateDir).filter((f) => f !== 'sandbox.log')).toEqual([]);
      } finally {
        rmSync(stateDir, { recursive: true, force: true });
      }
    }, 120_000);
  },
);
