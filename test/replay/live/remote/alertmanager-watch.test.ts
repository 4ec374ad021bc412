import { createServer, type Server } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AlertmanagerWatch } from '../../../../sandbox/replay/live/remote/alertmanager-watch.js';
import { checkNotifications } from '../../../../sandbox/replay/live/notifications.js';
import type { ExpectationResult } from '../../../../sandbox/replay/judge.js';
import { scenarioSchema } from '../../../../sandbox/scenario/scenario-schema.js';

const alert = (alertname: string, node: string, receivers: string[], state = 'active') => ({
  labels: { alertname, node, severity: 'warning' },
  startsAt: '2026-01-05T12:00:00Z',
  fingerprint: `${alertname}-${node}`,
  receivers: receivers.map((name) => ({ name })),
  status: { state },
});

let alerts: object[] = [];
const tenants: (string | undefined)[] = [];
let server: Server;
let url: string;
beforeAll(async () => {
  server = createServer((req, res) => {
    tenants.push(req.headers['x-scope-orgid'] as string | undefined);
    res.writeHead(req.url === '/alertmanager/api/v2/alerts' ? 200 : 404).end(JSON.stringify(alerts));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  url = `http://127.0.0.1:${(server.address() as { port: number }).port}/alertmanager`;
});
afterAll(() => new Promise((resolve) => server.close(resolve)));

const scenario = scenarioSchema.parse({
  name: 's',
  description: 'd',
  duration: '1m',
  expect: [
    { alert: 'NodeUnhealthy', labels: { node: 'a' }, fires: { within: '30s' }, notifies: 'team-a' },
    { alert: 'NodeUnhealthy', labels: { node: 'b' }, fires: { within: '30s' }, notifies: 'team-a' },
    { alert: 'NodeDown', fires: { within: '30s' } },
  ],
});
const fired = (alert: string): ExpectationResult => ({
  alert,
  expectation: alert,
  passed: true,
  detail: 'fired at 5s',
});

describe("Alertmanager's view of the alerts, as a remote run's notifications", () => {
  it('counts an active alert once per receiver (with the tenant sent), and not a silenced or inhibited one', async () => {
    const watch = new AlertmanagerWatch({ url, headers: { 'X-Scope-OrgID': 'team-a' } });
    const start = Date.now() - 1000;
    alerts = [alert('NodeUnhealthy', 'a', ['default']), alert('NodeDown', 'a', ['team-a'], 'suppressed')];
    await watch.poll();
    alerts.push(alert('NodeUnhealthy', 'b', ['team-a', 'audit']));
    await watch.poll();
    expect(tenants.every((t) => t === 'team-a')).toBe(true);
    expect(watch.notifications().map((n) => `${n.alertname}/${n.labels.node}/${n.receiver}`)).toEqual([
      'NodeUnhealthy/a/default',
      'NodeUnhealthy/b/team-a',
      'NodeUnhealthy/b/audit',
    ]);
    const [wrong, right, silenced] = checkNotifications(
      scenario,
      [fired('NodeUnhealthy'), fired('NodeUnhealthy'), fired('NodeDown')],
      watch.notifications(),
      start,
      'alertmanager',
    );
    expect(wrong).toMatchObject({
      passed: false,
      detail: 'fired at 5s, but notified via default, expected team-a',
    });
    expect(right).toMatchObject({ passed: true, detail: expect.stringMatching(/notified via team-a at/) });
    expect(silenced).toMatchObject({
      passed: false,
      detail:
        'fired at 5s, but Alertmanager holds no active alert of it (never received, silenced or inhibited)',
    });
  });
});
