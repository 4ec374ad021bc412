import type { ApiAlertingRule } from '../stack/prometheus-api.js';
import type { Notification } from '../stack/webhook-receiver.js';
import type { AlertRow, AlertState } from '../tui/view-model.js';

const RANK: Record<AlertState, number> = { firing: 0, pending: 1, inactive: 2 };
const COMMON_LABELS = new Set(['alertname', 'severity', 'job', 'instance']);

/**
 * One row per alerting rule, in the state of its worst alert: firing (since activeAt + for), pending (since
 * activeAt) or inactive. Sorted firing first, then by how long, then by name.
 */
export function alertRows(rules: readonly ApiAlertingRule[]): AlertRow[] {
  const rows = rules.map((rule): AlertRow => {
    const active = rule.alerts
      .filter((a) => a.state === rule.state)
      .sort((a, b) => Date.parse(a.activeAt) - Date.parse(b.activeAt));
    const first = active[0];
    if (rule.state === 'inactive' || !first) {
      return { name: rule.name, state: 'inactive', severity: rule.labels.severity, count: 0 };
    }
    const activeAt = Date.parse(first.activeAt);
    const labels = Object.fromEntries(Object.entries(first.labels).filter(([k]) => !COMMON_LABELS.has(k)));
    return {
      name: rule.name,
      state: rule.state,
      severity: first.labels.severity ?? rule.labels.severity,
      sinceMs: rule.state === 'firing' ? activeAt + rule.duration * 1000 : activeAt,
      labels,
      count: active.length,
    };
  });
  return rows.sort(
    (a, b) =>
      RANK[a.state] - RANK[b.state] || (a.sinceMs ?? 0) - (b.sinceMs ?? 0) || a.name.localeCompare(b.name),
  );
}

/**
 * For each notification, the labels that tell it apart from the others of the same alert name (the values
 * of the keys where any two of them differ, in key order): four `ReceiptWriteFailure` alerts that differ
 * by `scroll` give `{ scroll: ... }` each. Empty when an alert name has one label set.
 */
export function distinguishingLabels(notifications: readonly Notification[]): Record<string, string>[] {
  const keysByName = new Map<string, Set<string>>();
  for (const name of new Set(notifications.map((n) => n.alertname))) {
    const same = notifications.filter((n) => n.alertname === name);
    const keys = new Set(same.flatMap((n) => Object.keys(n.labels)));
    const differing = [...keys].filter((k) => new Set(same.map((n) => n.labels[k])).size > 1).sort();
    keysByName.set(name, new Set(differing));
  }
  return notifications.map((n) =>
    Object.fromEntries([...(keysByName.get(n.alertname) ?? [])].map((k) => [k, n.labels[k] ?? ''])),
  );
}
