import { mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { describe, it } from 'vitest';
import type { SandboxState } from '../../../sandbox/stack/state.js';
import { requireBinaries } from '../../support/binaries.js';
import { startCli, type RunningCli } from '../../support/cli.js';

const bins = await requireBinaries(['prometheus', 'alertmanager', 'promtool']);

/**
 * Lines of a running command's stdout until `done` says stop. Running out of time is a failure that shows
 * every line read, never a partial list the assertions would then misread.
 */
async function linesUntil(
  cli: RunningCli,
  done: (line: string, all: string[]) => boolean,
  timeoutMs = 120_000,
): Promise<string[]> {
  const lines: string[] = [];
  const reader = createInterface({ input: cli.child.stdout! });
  let timedOut = false;
  const timer = setTimeout(() => {
    timedOut = true;
    reader.close();
  }, timeoutMs);
  let finished = false;
  for await (const line of reader) {
    lines.push(line);
    if (done(line, lines)) {
      finished = true;
      break;
    }
  }
  clearTimeout(timer);
  if (!finished)
    throw new Error(
      `${timedOut ? `no awaited line within ${timeoutMs / 1000}s` : 'stdout ended first'}; read:\n${lines.join('\n')}\nstderr:\n${cli.stderr()}`,
    );
  return lines;
}

// The two starts run at once, on ports and state directories of their own.
describe.skipIf(!bins.available)('sandbox start without a terminal', { concurrent: true }, () => {
  it('prints plain timestamped lines: services, URLs, alerts changing state, then stopping', async ({
    expect,
  }) => {
    const stateDir = mkdtempSync(join(tmpdir(), 'obs-sandbox-plain-'));
    const cli = startCli(
      [
        'start',
        '--runtime',
        'native',
        '--port',
        '0',
        '--port-offset',
        '4000',
        '--interval',
        '1s',
        '--fault',
        'emergency',
      ],
      { ...process.env, OBS_SANDBOX_STATE_DIR: stateDir },
    );
    try {
      const lines = await linesUntil(cli, (line) => /alert EmergencyActive firing/.test(line));
      for (const line of lines) expect(line).toMatch(/^\d\d:\d\d:\d\d /);
      const text = lines.join('\n');
      expect(text).toMatch(/prometheus +running +3\.\d+\.\d+ +http:\/\/127\.0\.0\.1:13090/);
      expect(text).toMatch(/loaded 1h10m(\d+s)? of simulated history into Prometheus/);
      expect(text).toMatch(/sandbox running \(pid \d+, native runtime\)/);
      expect(text).toMatch(/vaultmesh-portal +http:\/\/127\.0\.0\.1:\d+\/metrics/);
      expect(text).toMatch(/alert EmergencyActive firing \(warning\)/);
      // Ready first; the rules load after the first scrapes, and only then can an alert fire.
      const at = (pattern: RegExp) => lines.findIndex((l) => pattern.test(l));
      const ready = at(/sandbox running \(pid/);
      const loading = at(/alert rules: loading after Prometheus' first scrapes \(at most 22s\)/);
      const loaded = at(/alert rules loaded \(\d+\.\d+s after ready\)$/);
      expect(
        [ready, loading, loaded].every((i) => i >= 0),
        text,
      ).toBe(true);
      expect(ready).toBeLessThan(loading);
      expect(loading).toBeLessThan(loaded);
      expect(loaded).toBeLessThan(at(/alert EmergencyActive firing/));
      expect(await cli.stop('SIGTERM')).toBe(0);
    } finally {
      await cli.stop('SIGKILL');
      rmSync(stateDir, { recursive: true, force: true });
    }
  }, 180_000);

  it('--json prints every event as one JSON object per line', async ({ expect }) => {
    const stateDir = mkdtempSync(join(tmpdir(), 'obs-sandbox-json-'));
    const cli = startCli(
      [
        'start',
        '--json',
        '--runtime',
        'native',
        '--port',
        '0',
        '--port-offset',
        '12250',
        '--interval',
        '1s',
        '--history',
        '10m',
      ],
      { ...process.env, OBS_SANDBOX_STATE_DIR: stateDir },
    );
    try {
      const lines = await linesUntil(cli, (line) => line.includes('"type":"rules","state":"loaded"'));
      const events = lines.map(
        (line) => JSON.parse(line) as { time: string; type: string; [k: string]: unknown },
      );
      for (const e of events) expect(Date.parse(e.time)).not.toBeNaN();
      const services = events
        .filter((e) => e.type === 'service')
        .map((e) => e.status as { service: string; state: string });
      // Every service reports its final state before ready: what was printed, in order, if not.
      const order = events.map((e) =>
        e.type === 'service'
          ? `${(e.status as { service: string }).service}:${(e.status as { state: string }).state}`
          : e.type,
      );
      expect(services, order.join(' ')).toContainEqual(
        expect.objectContaining({ service: 'prometheus', state: 'running' }),
      );
      expect(services).toContainEqual(expect.objectContaining({ service: 'grafana' }));
      // Ready first, then the rules: loading, then loaded. Alerts may come between the two: Prometheus
      // evaluates the rules as soon as it has them, before the load is confirmed (and --history 10m is shorter
      // than some rules look back, as the warnings say).
      expect(order.indexOf('rules')).toBeGreaterThan(order.indexOf('ready'));
      const afterReady = events.slice(order.indexOf('ready') + 1).filter((e) => e.type === 'rules');
      expect(afterReady.map((e) => [e.type, e.state])).toEqual([
        ['rules', 'loading'],
        ['rules', 'loaded'],
      ]);
      expect(afterReady[0]).toMatchObject({ waitMs: 22_000 });
      expect(afterReady[1]!.afterReadyMs).toBeGreaterThan(0);
      const ready = events.find((e) => e.type === 'ready')!.sandbox as {
        rules: string;
        runtime: string;
        generators: unknown[];
        grafana: { password: string };
        control: { url: string };
        stateFile: string;
      };
      expect(ready.rules).toBe('loading');
      expect(ready.runtime).toBe('native');
      expect(ready.generators).toHaveLength(4);
      expect(ready.grafana.password).toMatch(/^[\w-]{24}$/);
      // The secrets stay in the 0600 state file: no control token, no webhook path, on stdout.
      const state = JSON.parse(readFileSync(ready.stateFile, 'utf8')) as SandboxState;
      expect(state.rules).toBe('loaded');
      expect(statSync(ready.stateFile).mode & 0o777).toBe(0o600);
      expect(ready.control).toEqual({ url: state.control!.url });
      const secrets = [state.control!.token, new URL(state.webhookUrl!).pathname.split('/')[2]!];
      for (const secret of secrets) {
        expect(secret).toMatch(/^[\w-]{32}$/);
        for (const line of lines) expect(line).not.toContain(secret);
      }
      expect(await cli.stop('SIGINT')).toBe(0);
    } finally {
      await cli.stop('SIGKILL');
      rmSync(stateDir, { recursive: true, force: true });
    }
  }, 180_000);
});
