import { formatDuration } from '../../../generators/model/duration.js';
import type { Scenario } from '../../scenario/scenario-schema.js';
import type { Notification } from '../../stack/webhook-receiver.js';
import type { ExpectationResult } from '../judge.js';

/**
 * Adds Alertmanager's side to the `fires` expectations that held in Prometheus: a firing notification with
 * the expected labels must have reached the webhook (source `alertmanager`: Alertmanager must hold the
 * alert, not silenced or inhibited, routed to the expected receiver). Other expectations are left as they are.
 */
export function checkNotifications(
  scenario: Scenario,
  results: readonly ExpectationResult[],
  notifications: readonly Notification[],
  startMs: number,
  source: 'webhook' | 'alertmanager' = 'webhook',
): ExpectationResult[] {
  return results.map((result, i) => {
    const e = scenario.expect[i]!;
    if (!e.fires || !result.passed) return result;
    const matching = notifications.filter(
      (n) =>
        n.status === 'firing' &&
        n.alertname === e.alert &&
        n.receivedAt >= startMs &&
        Object.entries(e.labels ?? {}).every(([k, v]) => n.labels[k] === v),
    );
    const delivered = matching.find((n) => e.notifies === undefined || n.receiver === e.notifies);
    const at = (n: Notification) => formatDuration(Math.round((n.receivedAt - startMs) / 1000) * 1000);
    if (delivered)
      return {
        ...result,
        detail: `${result.detail}, notified via ${delivered.receiver} at ${at(delivered)}`,
      };
    // An inhibited alert is not delivered at all, so it never counts as notified.
    const elsewhere = [...new Set(matching.map((n) => n.receiver))];
    return {
      ...result,
      passed: false,
      detail:
        elsewhere.length > 0
          ? `${result.detail}, but notified via ${elsewhere.join(', ')}, expected ${e.notifies}`
          : source === 'webhook'
            ? `${result.detail}, but Alertmanager delivered no notification to the webhook${e.notifies ? ` (expected via ${e.notifies}; inhibited, or routed to no receiver)` : ''}`
            : `${result.detail}, but Alertmanager holds no active alert of it (never received, silenced or inhibited)${e.notifies ? `; expected via ${e.notifies}` : ''}`,
    };
  });
}
