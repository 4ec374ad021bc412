import { existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { defaultSystems, ruleFilesOf } from '../../generators/systems/index.js';
import { collectRuleFiles, loadAlertRules } from '../../sandbox/rules/rule-files.js';
import { stateFile } from '../../sandbox/stack/state.js';
import { SandboxSession, type SessionEvent } from '../../sandbox/session/session.js';
import { TRAFFIC_QUERIES } from '../../sandbox/session/traffic-tracker.js';
import { requireBinaries } from '../support/binaries.js';
import { freePort, waitFor } from '../support/ports.js';

const bins = await requireBinaries(['prometheus', 'alertmanager']);
const stateRoot = mkdtempSync(join(tmpdir(), 'obs-sandbox-tui-'));
process.env.OBS_SANDBOX_STATE_DIR = stateRoot;

type Of<T extends SessionEvent['type']> = Extract<SessionEvent, { type: T }>;

describe.skipIf(!bins.available)('SandboxSession over the native stack', () => {
  let session: SandboxSession;
  const events: SessionEvent[] = [];
  const of = <T extends SessionEvent['type']>(type: T) => events.filter((e): e is Of<T> => e.type === type);
  let startedAt = 0;
  let viewAtReady: ReturnType<SandboxSession['view']>;
  const alert = (name: string) => session.view().alerts.find((a) => a.name === name);

  beforeAll(async () => {
    session = new SandboxSession({
      runtime: 'native',
      generatorPort: 0,
      interval: '1s',
      refreshMs: 500,
      ports: {
        prometheus: await freePort(),
        alertmanager: await freePort(),
        grafana: await freePort(),
        loki: await freePort(),
        jaeger: {
          ui: await freePort(),
          otlpHttp: await freePort(),
          otlpGrpc: await freePort(),
          health: await freePort(),
        },
      },
      scenarios: ['node-down'],
    });
    session.subscribe((event) => void (event && events.push(event)));
    startedAt = Date.now();
    await session.start();
    viewAtReady = session.view();
  }, 60_000);

  afterAll(async () => {
    await session?.stop();
    rmSync(stateRoot, { recursive: true, force: true });
  });

  it('records the start-up: Prometheus and Alertmanager done, the missing services skipped with a reason', () => {
    const view = session.view();
    expect(view.phase).toBe('running');
    expect(view.runtime).toBe('native');
    expect(view.scenarios).toEqual(['node-down']);
    expect(of('ready')).toHaveLength(1);
    const steps = new Map(view.progress.map((s) => [s.id, s]));
    for (const id of ['sandbox', 'prometheus', 'alertmanager'])
      expect(steps.get(id), id).toMatchObject({ state: 'done' });
    // The rules load after ready: no start-up step of their own.
    expect(steps.has('rules')).toBe(false);
    for (const service of ['grafana', 'loki', 'jaeger'] as const) {
      const status = view.services.find((s) => s.service === service)!;
      const step = steps.get(service)!;
      expect(step.label).toBe(`starting ${service}`);
      if (status.state === 'running') expect(step.state).toBe('done');
      else {
        // Here: no Grafana, Loki or Jaeger binary, so the sandbox runs without them and says why.
        expect(status.state).toBe('unavailable');
        expect(step.state).toBe('skipped');
        expect(step.reason).toMatch(/OBS_SANDBOX_\w+_PATH|install/);
      }
    }
    for (const step of view.progress) expect(step.elapsedMs).toBeGreaterThanOrEqual(0);
  });

  it('is ready before the rules load, says so, and announces them once Prometheus has them', async () => {
    // 20s and two 1s intervals.
    expect(viewAtReady.rulesLoading).toEqual({ waitMs: 22_000 });
    const loaded = await waitFor(
      'the rules loaded',
      async () => of('rules').find((e) => e.state === 'loaded'),
      30_000,
    );
    const types = events.map((e) => (e.type === 'rules' ? `rules ${e.state}` : e.type));
    const ready = types.indexOf('ready');
    // Every service's final state comes before ready, and the rules after it.
    expect(types.lastIndexOf('service')).toBeLessThan(ready);
    expect(types.slice(ready, ready + 2)).toEqual(['ready', 'rules loading']);
    expect(types.indexOf('rules loaded')).toBeGreaterThan(ready);
    expect(loaded.state === 'loaded' && loaded.afterReadyMs).toBeGreaterThan(0);
    expect(of('message').map((e) => e.text)).toContainEqual(
      expect.stringMatching(/^alert rules loaded after the first scrape of every generator target/),
    );
    expect(session.view().rulesLoading).toBeUndefined();
  }, 40_000);

  it('lists every bundled alerting rule, none of them firing without a fault', async () => {
    const bundled = (await loadAlertRules(await collectRuleFiles([], ruleFilesOf(defaultSystems())))).map(
      (r) => r.alert,
    );
    expect(bundled.length).toBeGreaterThan(0);
    await waitFor('the alerting rules', async () => (session.view().alerts.length > 0 ? true : undefined));
    const rows = session.view().alerts;
    expect(rows.map((r) => r.name).sort()).toEqual([...bundled].sort());
    expect(alert('EmergencyActive')).toMatchObject({ state: 'inactive', severity: 'warning', count: 0 });
  });

  it('reads every traffic query from the real Prometheus', async () => {
    const traffic = await waitFor(
      'a value for every traffic query',
      async () => {
        const series = session.view().traffic;
        return series.every((s) => s.current !== undefined) ? series : undefined;
      },
      25_000,
    ).catch((error: Error) => {
      const missing = session
        .view()
        .traffic.filter((s) => s.current === undefined)
        .map((s) => `${s.id}: ${TRAFFIC_QUERIES.find((q) => q.id === s.id)!.promql}`);
      throw new Error(`${error.message}; no value for ${missing.join(' | ')}`);
    });
    expect(traffic.map((s) => s.id)).toEqual(TRAFFIC_QUERIES.map((q) => q.id));
    const byId = new Map(traffic.map((s) => [s.id, s]));
    expect(byId.get('receipts')!.current).toBeGreaterThan(0);
    expect(byId.get('http')!.current).toBeGreaterThan(0);
    for (const s of traffic) {
      expect(Number.isFinite(s.current), s.id).toBe(true);
      expect(s.history.at(-1), s.id).toBe(s.current);
    }
  }, 30_000);

  it('fires EmergencyActive when the emergency fault is toggled on, notifies, and clears it again', async () => {
    session.toggleFault('emergency');
    expect(of('fault').at(-1)).toEqual({ type: 'fault', name: 'emergency', active: true, params: '' });
    expect(session.view().faults.find((f) => f.name === 'emergency')!.active).toBe(true);

    const firing = await waitFor(
      'EmergencyActive firing',
      async () => (alert('EmergencyActive')?.state === 'firing' ? alert('EmergencyActive') : undefined),
      20_000,
    );
    expect(firing).toMatchObject({ severity: 'warning', count: 1 });
    expect(firing.sinceMs).toBeLessThanOrEqual(Date.now());
    // Firing rows come first (other alerts may be pending on normal traffic: ReceiptRateAnomaly's 2σ band).
    expect(session.view().alerts[0]!.state).toBe('firing');
    expect(of('alert')).toContainEqual(
      expect.objectContaining({ name: 'EmergencyActive', state: 'firing', severity: 'warning' }),
    );

    // Alertmanager waits group_wait (10s) before it calls the webhook.
    const notified = await waitFor(
      'the EmergencyActive notification',
      async () => of('notification').find((e) => e.notification.alertname === 'EmergencyActive'),
      25_000,
    );
    expect(notified.notification).toMatchObject({ status: 'firing', receiver: 'sandbox-warning' });
    expect(session.view().notifications.map((n) => n.alertname)).toContain('EmergencyActive');

    session.toggleFault('emergency');
    expect(of('fault').at(-1)).toMatchObject({ name: 'emergency', active: false });
    expect(session.view().faults.find((f) => f.name === 'emergency')!.active).toBe(false);
    await waitFor('EmergencyActive inactive', async () =>
      alert('EmergencyActive')?.state === 'inactive' ? true : undefined,
    );
    expect(
      of('alert')
        .filter((e) => e.name === 'EmergencyActive')
        .at(-1),
    ).toMatchObject({ state: 'inactive' });
  }, 50_000);

  it('runs a bundled scenario live and shows it aborted when stopped', async () => {
    session.runScenario('node-down');
    await waitFor('the scenario to start', async () =>
      of('scenario').some((e) => e.event.type === 'started') ? true : undefined,
    );
    expect(session.view().scenario).toMatchObject({ name: 'node-down', state: 'running' });
    session.stopScenario();
    const finished = await waitFor('the scenario to finish', async () =>
      of('scenario').find((e) => e.event.type === 'finished'),
    );
    expect(finished.event.type === 'finished' && finished.event.result.passed).toBe(false);
    expect(session.view().scenario!.state).toBe('aborted');
    expect(session.view().faults.filter((f) => f.active)).toEqual([]);
  });

  it('tails the generator logs with levels and jobs', () => {
    const logs = session.view().logs;
    expect(logs.length).toBeGreaterThan(0);
    expect(logs.length).toBeLessThanOrEqual(200);
    for (const line of logs) {
      expect(['debug', 'info', 'warn', 'error']).toContain(line.level);
      expect(line.job).toMatch(/^[a-z][\w-]+$/);
      expect(line.message).not.toBe('');
    }
    expect(new Set(logs.map((l) => l.job)).size).toBeGreaterThan(1);
    // Wall-clock times of this run; the jobs' lines interleave (not strictly in order), and the model may
    // stamp a line a little ahead of the wall clock (seen: under a second).
    for (const line of logs) expect(line.timeMs).toBeGreaterThan(startedAt - 60_000);
    for (const line of logs) expect(line.timeMs).toBeLessThanOrEqual(Date.now() + 5000);
  });

  it('stops with teardown steps and leaves no state behind', async () => {
    const prometheus = session.view().services.find((s) => s.service === 'prometheus')!.url!;
    const dataDir = session.state!.dataDir;
    expect(existsSync(stateFile())).toBe(true);
    const before = events.length;
    await session.stop();
    const types = events.slice(before).map((e) => e.type);
    expect(types.filter((t) => t === 'stopping' || t === 'stopped')).toEqual(['stopping', 'stopped']);
    const view = session.view();
    expect(view.phase).toBe('stopped');
    expect(view.progress.map((s) => [s.label, s.state])).toEqual([
      // The generators first, so that their last log lines still reach Loki.
      ['stopping the generators', 'done'],
      ['stopping the stack', 'done'],
      ['removing data', 'done'],
    ]);
    expect(existsSync(stateFile())).toBe(false);
    expect(readdirSync(stateRoot)).not.toContain('state.json');
    expect(existsSync(dataDir)).toBe(false);
    await expect(fetch(`${prometheus}/-/ready`)).rejects.toThrow();
  });
});
