import { formatDuration } from '../../../generators/model/duration.js';
import type { Scenario } from '../../scenario/schema.js';
import type { Notification } from '../../stack/webhook-receiver.js';
import type { ExpectationResult } from '../judge.js';

/** Alertmanager's group_wait in the sandbox (10s) plus delivery. */
export const NOTIFICATION_GRACE_MS = 15_000;

/**
 * Adds Alertmanager's side to the `fires` expectations that held in Prometheus: a firing notification with
 * the expected labels must have reached the webhook. Other expectations are left as they are.
 */
export function checkNotifications(
  scenario: Scenario,
  results: readonly ExpectationResult[],
  notifications: readonly Notification[],
  startMs: number,
): ExpectationResult[] {
  return results.map((result, i) => {
    const e = scenario.expect[i]!;
    if (!e.fires || !result.passed) return result;
    const delivered = notifications.find(
      (n) =>
        n.status === 'firing' &&
        n.alertname === e.alert &&
        n.receivedAt >= startMs &&
        Object.entries(e.labels ?? {}).every(([k, v]) => n.labels[k] === v),
    );
    return delivered
      ? {
          ...result,
          detail: `${result.detail}, notified via ${delivered.receiver} at ${formatDuration(Math.round((delivered.receivedAt - startMs) / 1000) * 1000)}`,
        }
      : {
          ...result,
          passed: false,
          detail: `${result.detail}, but Alertmanager delivered no notification to the webhook`,
        };
  });
}
