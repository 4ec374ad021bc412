import { spawn, type ChildProcess } from 'node:child_process';
import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { readProcessIdentity } from '../../../sandbox/stack/process-identity.js';
import type { SandboxState } from '../../../sandbox/stack/state.js';
import { requireBinaries } from '../../support/binaries.js';
import { runCli, runCliAsync, startCli } from '../../support/cli.js';
import { waitFor } from '../../support/ports.js';
import { processesUsing } from '../../support/processes.js';
import { killReapers } from '../../support/reapers.js';

const sleepers: ChildProcess[] = [];
afterAll(() => {
  for (const s of sleepers) s.kill('SIGKILL');
});

function unrelatedSleep(): ChildProcess {
  const child = spawn('sleep', ['600'], { detached: true, stdio: 'ignore' });
  sleepers.push(child);
  return child;
}

const alive = (pid: number) => readProcessIdentity(pid) !== undefined;

describe('sandbox down trusts nothing it cannot prove', () => {
  it('leaves a process that reused a recorded pid, and a directory without the marker, and says why', () => {
    const stateDir = mkdtempSync(join(tmpdir(), 'obs-sandbox-down-'));
    const foreign = mkdtempSync(join(tmpdir(), 'obs-sandbox-not-a-run-'));
    writeFileSync(join(foreign, 'precious.txt'), 'keep me\n');
    const cliPid = unrelatedSleep().pid!;
    const servicePid = unrelatedSleep().pid!;
    const oldPid = unrelatedSleep().pid!;
    try {
      const now = readProcessIdentity(cliPid)!;
      // What a crashed sandbox recorded: the same pids, started earlier, running node and prometheus.
      const state: SandboxState = {
        phase: 'running',
        pid: cliPid,
        process: { ...now, startTicks: now.startTicks - 100, cmdline: ['node', 'sandbox', 'start'] },
        startedAt: new Date().toISOString(),
        runtime: 'native',
        dataDir: foreign,
        run: { path: foreign, id: '0'.repeat(24), dev: 1, ino: 1 },
        grafana: { user: 'admin', password: 'x' },
        services: [
          {
            service: 'prometheus',
            state: 'running',
            runtime: 'native',
            pid: servicePid,
            process: { ...readProcessIdentity(servicePid)!, cmdline: ['/usr/bin/prometheus'] },
          },
          // A state file from before start times were recorded: its pid proves nothing.
          { service: 'alertmanager', state: 'running', runtime: 'native', pid: oldPid },
        ],
        generators: [],
      };
      writeFileSync(join(stateDir, 'state.json'), JSON.stringify(state), { mode: 0o600 });
      const down = runCli(['down'], 120_000, { ...process.env, OBS_SANDBOX_STATE_DIR: stateDir });
      expect(down.code, down.stderr).toBe(0);
      expect(down.stdout).toMatch(
        new RegExp(
          `left pid ${cliPid} alone: pid ${cliPid} now belongs to a process started at another time \\(sleep 600\\)`,
        ),
      );
      expect(down.stdout).toMatch(
        new RegExp(
          `left pid ${servicePid} \\(prometheus\\) alone: pid ${servicePid} now runs another command \\(sleep 600\\)`,
        ),
      );
      expect(down.stdout).toMatch(
        new RegExp(`left pid ${oldPid} \\(alertmanager\\) alone: no start time recorded`),
      );
      expect(down.stdout).toContain(`left ${foreign} alone: ${foreign} has no .obs-sandbox-run marker`);
      for (const pid of [cliPid, servicePid, oldPid]) expect(alive(pid), `pid ${pid}`).toBe(true);
      expect(readFileSync(join(foreign, 'precious.txt'), 'utf8')).toBe('keep me\n');
      expect(existsSync(join(stateDir, 'state.json'))).toBe(false);
    } finally {
      rmSync(stateDir, { recursive: true, force: true });
      rmSync(foreign, { recursive: true, force: true });
    }
  }, 150_000);

  it('removes a run directory with a marker it finds without a state file, and none without one', () => {
    const stateDir = mkdtempSync(join(tmpdir(), 'obs-sandbox-down-'));
    try {
      const marked = join(stateDir, `run-${'a1'.repeat(12)}`);
      const unmarked = join(stateDir, 'run-unmarked');
      mkdirSync(join(marked, 'prometheus'), { recursive: true });
      writeFileSync(join(marked, '.obs-sandbox-run'), `${'a1'.repeat(12)}\n`);
      mkdirSync(unmarked);
      const down = runCli(['down'], 120_000, { ...process.env, OBS_SANDBOX_STATE_DIR: stateDir });
      expect(down.code, down.stderr).toBe(0);
      expect(down.stdout).toContain(`removed ${marked}`);
      expect(readdirSync(stateDir)).toEqual(['run-unmarked']);
    } finally {
      rmSync(stateDir, { recursive: true, force: true });
    }
  }, 150_000);
});

const bins = await requireBinaries(['prometheus', 'alertmanager', 'promtool']);

describe.skipIf(!bins.available)('sandbox down after a SIGKILL during start-up', () => {
  it.each([
    ['while promtool loads the history', 'promtool', 7000],
    ['while Prometheus starts', '/prometheus', 7000],
  ] as const)(
    'SIGKILL %s: down leaves no process, no run directory and nothing in $TMPDIR',
    async (_when, trigger, offset) => {
      const stateDir = mkdtempSync(join(tmpdir(), 'obs-sandbox-kill-'));
      const tmp = mkdtempSync(join(tmpdir(), 'obs-sandbox-kill-tmp-'));
      const env = { ...process.env, OBS_SANDBOX_STATE_DIR: stateDir, TMPDIR: tmp };
      try {
        const cli = startCli(
          [
            'start',
            '--no-tui',
            '--runtime',
            'native',
            '--port-offset',
            String(offset),
            '--port',
            String(offset + 470),
          ],
          env,
        );
        // Polled often: promtool runs for a second or two.
        const deadline = Date.now() + 120_000;
        while (!processesUsing(stateDir).some((p) => p.includes(trigger))) {
          if (Date.now() > deadline || cli.child.exitCode !== null)
            throw new Error(`no ${trigger} seen: ${cli.stderr()}`);
          await new Promise((r) => setTimeout(r, 20));
        }
        // Its reaper killed first, as if it had died too: `down` is what is left.
        killReapers(stateDir);
        const exited = new Promise((resolve) => cli.child.once('exit', resolve));
        cli.child.kill('SIGKILL');
        await exited;
        expect(JSON.parse(readFileSync(join(stateDir, 'state.json'), 'utf8'))).toMatchObject({
          phase: 'starting',
        });
        const down = await runCliAsync(['down'], env);
        expect(down.code, down.stderr).toBe(0);
        expect(down.stdout).toMatch(/removed .*run-[0-9a-f]{24}/);
        await waitFor('every process of the run gone', async () =>
          processesUsing(stateDir).length === 0 ? true : undefined,
        );
        expect(readdirSync(stateDir)).toEqual([]);
        // tsx-*: tsx's compile cache, when the CLI and its reaper run from the sources (a test run alone).
        expect(readdirSync(tmp).filter((f) => !f.startsWith('tsx-'))).toEqual([]);
      } finally {
        rmSync(stateDir, { recursive: true, force: true });
        rmSync(tmp, { recursive: true, force: true });
      }
    },
    240_000,
  );
});
