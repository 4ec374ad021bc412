import { describe, expect, it } from 'vitest';
import type { ExpectationResult } from '../../sandbox/replay/judge.js';
import { checkNotifications } from '../../sandbox/replay/live/notifications.js';
import { scenarioSchema } from '../../sandbox/scenario/scenario-schema.js';
import type { Notification } from '../../sandbox/stack/webhook-receiver.js';

const scenario = scenarioSchema.parse({
  name: 'live-routing',
  description: 'routing checked on what arrived',
  duration: '10m',
  expect: [
    { alert: 'Down', labels: { severity: 'critical' }, fires: { within: '5m' }, notifies: 'pagerduty' },
  ],
});
const fired: ExpectationResult[] = [
  { alert: 'Down', expectation: 'Down fires', passed: true, detail: 'fired at 2m' },
];
const START = 1_000_000;
const notification = (receiver: string, status: Notification['status'] = 'firing'): Notification => ({
  receivedAt: START + 150_000,
  receiver,
  status,
  alertname: 'Down',
  labels: { alertname: 'Down', severity: 'critical' },
  startsAt: '',
});

describe('live notifications with notifies:', () => {
  it('passes when the notification arrived through the named receiver', () => {
    const [result] = checkNotifications(scenario, fired, [notification('pagerduty')], START);
    expect(result).toMatchObject({ passed: true, detail: 'fired at 2m, notified via pagerduty at 2m30s' });
  });

  it('fails when it arrived through another receiver', () => {
    const [result] = checkNotifications(scenario, fired, [notification('slack-notifications')], START);
    expect(result).toMatchObject({
      passed: false,
      detail: 'fired at 2m, but notified via slack-notifications, expected pagerduty',
    });
  });

  it('fails when nothing arrived (an inhibited alert is never delivered), resolved ones do not count', () => {
    const [result] = checkNotifications(scenario, fired, [notification('pagerduty', 'resolved')], START);
    expect(result!.passed).toBe(false);
    expect(result!.detail).toMatch(/delivered no notification .*expected via pagerduty; inhibited/);
  });
});
