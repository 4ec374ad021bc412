import { describe, expect, it } from 'vitest';
import { liveStatus } from '../../../sandbox/replay/live/expectation-status.js';
import { checkNotifications } from '../../../sandbox/replay/live/notifications.js';
import { judge } from '../../../sandbox/replay/judge.js';
import { scenarioSchema } from '../../../sandbox/scenario/scenario-schema.js';
import type { Notification } from '../../../sandbox/stack/webhook-receiver.js';

const scenario = scenarioSchema.parse({
  name: 'unit',
  description: 'unit',
  duration: '10m',
  steps: [{ at: '2m', name: 'fault', fault: 'node_down' }],
  expect: [
    { alert: 'NodeDown', labels: { severity: 'critical' }, fires: { after: 'fault', within: '3m' } },
    { alert: 'NodeDown', silent: { to: '2m' } },
    { alert: 'AnchorFailure', never: true },
  ],
});
const START = 1_000_000;
const firingAt = (minutes: number) => ({
  at: START + minutes * 60_000,
  alertname: 'NodeDown',
  state: 'firing' as const,
  labels: { severity: 'critical', node: 'node-sin-04' },
});
const statuses = (elapsedMin: number, observations: ReturnType<typeof firingAt>[], latencyMs = 30_000) => {
  const { results } = judge(scenario, observations, START, latencyMs);
  return scenario.expect.map((e, i) => liveStatus(e, results[i]!, scenario, elapsedMin * 60_000, latencyMs));
};

describe('live judging', () => {
  it('decides each expectation as soon as it cannot change, and waits otherwise', () => {
    expect(statuses(1, [])).toEqual(['waiting', 'waiting', 'waiting']);
    expect(statuses(3, [])).toEqual(['waiting', 'passed', 'waiting']);
    expect(statuses(4, [firingAt(4)])).toEqual(['passed', 'passed', 'waiting']);
    // The deadline (2m + 3m) plus the live latency (30s) has gone by without firing.
    expect(statuses(5.4, [])).toEqual(['waiting', 'passed', 'waiting']);
    expect(statuses(5.6, [])).toEqual(['failed', 'passed', 'waiting']);
    expect(statuses(1.5, [firingAt(1)])).toEqual(['failed', 'failed', 'waiting']);
  });

  it('allows the live latency on firing deadlines only', () => {
    const late = judge(scenario, [firingAt(5.25)], START, 30_000).results[0]!;
    expect(late.passed).toBe(true);
    const tooLate = judge(scenario, [firingAt(5.25)], START, 0).results[0]!;
    expect(tooLate.detail).toBe('expected firing by 5m, fired at 5m15s');
  });

  it('requires a firing notification with the expected labels for alerts that fired', () => {
    const { results } = judge(scenario, [firingAt(4)], START, 0);
    const note = (
      labels: Record<string, string>,
      status: 'firing' | 'resolved' = 'firing',
    ): Notification => ({
      receivedAt: START + 250_000,
      receiver: 'sandbox-critical',
      status,
      alertname: 'NodeDown',
      labels,
      startsAt: '',
    });
    const ok = checkNotifications(scenario, results, [note({ severity: 'critical' })], START);
    expect(ok[0]).toMatchObject({
      passed: true,
      detail: 'fired at 4m, notified via sandbox-critical at 4m10s',
    });
    for (const missing of [
      [],
      [note({ severity: 'warning' })],
      [note({ severity: 'critical' }, 'resolved')],
    ]) {
      const checked = checkNotifications(scenario, results, missing, START);
      expect(checked[0]).toMatchObject({
        passed: false,
        detail: 'fired at 4m, but Alertmanager delivered no notification to the webhook',
      });
      expect(checked.slice(1)).toEqual(results.slice(1));
    }
  });
});
