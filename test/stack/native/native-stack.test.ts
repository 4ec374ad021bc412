import { existsSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { queryVector } from '../../../sandbox/stack/prometheus-api.js';
import { stateFile } from '../../../sandbox/stack/state.js';
import { startSandbox, type TestSandbox } from '../../../sandbox/testing.js';
import { requireBinaries } from '../../support/binaries.js';
import { waitFor } from '../../support/ports.js';

const bins = await requireBinaries(['prometheus', 'alertmanager']);

describe.skipIf(!bins.available)('the native stack end to end', () => {
  let test: TestSandbox;
  // The sandbox underneath: what this file checks is the stack, not the test handle.
  let sandbox: TestSandbox['sandbox'];

  beforeAll(async () => {
    // A 1s interval: the start waits for the first scrapes, staggered within it, and the alert fires at the
    // first evaluation. The history keeps its own 15s step.
    test = await startSandbox({ runtime: 'native', interval: '1s' });
    sandbox = test.sandbox;
    test.fault('emergency');
  }, 180_000);

  afterAll(() => test?.stop());

  it('runs the real Prometheus and Alertmanager, and says why the others are unavailable', () => {
    const states = Object.fromEntries(sandbox.stack.services().map((s) => [s.service, s.state]));
    expect(states.prometheus).toBe('running');
    expect(states.alertmanager).toBe('running');
    for (const s of sandbox.stack.services().filter((x) => x.state === 'unavailable'))
      expect(s.reason).toMatch(/OBS_SANDBOX_\w+_PATH|install/);
  });

  it('keeps its state, with the generated Grafana password, in a 0600 file', () => {
    expect(existsSync(stateFile(sandbox.stateDir))).toBe(true);
    expect(statSync(stateFile(sandbox.stateDir)).mode & 0o777).toBe(0o600);
    expect(sandbox.state.grafana.password).toMatch(/^[\w-]{24}$/);
    expect(sandbox.state.grafana.password).not.toBe('admin');
  });

  it('fires the alert of a fault in Prometheus and delivers it through Alertmanager to the webhook', async () => {
    const api = sandbox.stack.statuses.get('prometheus')!.url!;
    const firing = await waitFor(
      'EmergencyActive firing in Prometheus',
      async () => {
        const body = (await (await fetch(`${api}/api/v1/alerts`)).json()) as {
          data: { alerts: { labels: Record<string, string>; state: string }[] };
        };
        return body.data.alerts.find((a) => a.labels.alertname === 'EmergencyActive' && a.state === 'firing');
      },
      60_000,
    );
    expect(firing.labels.severity).toBe('warning');
    const delivered = await waitFor(
      'the notification at the webhook',
      async () => test.notifications().find((n) => n.alertname === 'EmergencyActive'),
      60_000,
    ).catch(async (error: Error) => {
      // What Alertmanager holds and says, to tell a lost notification from one never sent.
      const am = sandbox.stack.statuses.get('alertmanager')!.url!;
      const held = await (await fetch(`${am}/api/v2/alerts`)).text();
      const log = (service: string) =>
        readFileSync(join(sandbox.state.dataDir, 'logs', `${service}.log`), 'utf8').slice(-3000);
      throw new Error(
        `${error.message}\nAlertmanager holds: ${held}\nits log:\n${log('alertmanager')}\nPrometheus' log:\n${log('prometheus')}`,
      );
    });
    expect(delivered).toMatchObject({
      status: 'firing',
      receiver: 'sandbox-warning',
      labels: { severity: 'warning' },
    });
  }, 130_000);

  it('starts with 1h10m of simulated history in Prometheus, continuous with the live series', async () => {
    const api = sandbox.stack.statuses.get('prometheus')!.url!;
    const counts = await queryVector(api, 'count_over_time(up{job="vaultmesh-portal"}[2h])');
    // One series (the history carries the instance Prometheus scrapes), a sample per 15s for 70 minutes,
    // then the live scrapes.
    expect(counts).toHaveLength(1);
    expect(counts[0]!.value).toBeGreaterThanOrEqual(280);
    const [span] = await queryVector(api, 'time() - min(timestamp(up{job="vaultmesh-portal"} offset 69m))');
    expect(span!.value).toBeGreaterThan(69 * 60);
    // A counter over the boundary does not reset: the hour's increase is about an hour of receipts.
    const [hour] = await queryVector(api, 'sum(increase(vaultmesh_receipts_total[1h])) / 3600');
    expect(hour!.value).toBeGreaterThan(4);
    expect(hour!.value).toBeLessThan(16);
  });

  it('scrapes every generator target', async () => {
    const api = sandbox.stack.statuses.get('prometheus')!.url!;
    const jobs = await waitFor('generator targets up', async () => {
      const body = (await (await fetch(`${api}/api/v1/targets`)).json()) as {
        data: { activeTargets: { labels: { job: string }; health: string }[] };
      };
      const up = body.data.activeTargets.filter((t) => t.health === 'up').map((t) => t.labels.job);
      return ['vaultmesh-portal', 'vaultmesh-guardian', 'vaultmesh-oracle', 'zkp-dataset-ledger'].every((j) =>
        up.includes(j),
      )
        ? up
        : undefined;
    });
    expect(jobs).toContain('prometheus');
  });
});
