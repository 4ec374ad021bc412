import { parse } from 'yaml';
import type { AlertObservation } from '../../promtool/promtool-output.js';
import { groupKey, routesFor } from '../../routing/route-timing.js';
import { getJson, type ApiEndpoint } from './api-endpoint.js';

/** From Alertmanager's flush to the webhook, and Prometheus' send to Alertmanager: a margin on top. */
export const DELIVERY_MARGIN_MS = 5_000;

/**
 * The configuration the running Alertmanager loaded (its /api/v2/status), or undefined when it does not
 * answer (its defaults then stand for it: group_wait 30s).
 */
export async function loadedAlertmanagerConfig(
  alertmanager: ApiEndpoint,
): Promise<Record<string, unknown> | undefined> {
  try {
    const status = await getJson<{ config?: { original?: string } }>(alertmanager, '/api/v2/status');
    const config: unknown = parse(status.config?.original ?? '');
    return typeof config === 'object' && config !== null ? (config as Record<string, unknown>) : undefined;
  } catch {
    return undefined;
  }
}

const sameLabels = (a: Readonly<Record<string, string>>, b: Readonly<Record<string, string>>) =>
  Object.keys(a).length === Object.keys(b).length && Object.entries(a).every(([k, v]) => b[k] === v);

/**
 * How long after an alert first fired its notification may take: on each route it ends on, the route's
 * group_wait for a new group, or its group_interval when another alert of the same group fired before it
 * (the group was already flushed); the longest of those, plus the delivery margin.
 */
export function notificationGraceMs(
  config: Record<string, unknown>,
  alert: { alertname: string; labels: Readonly<Record<string, string>>; firedAt: number },
  observations: readonly AlertObservation[],
): number {
  const labels = { alertname: alert.alertname, ...alert.labels };
  const waits = routesFor(config, labels).map((route) => {
    const key = groupKey(route, labels);
    const joined = observations.some(
      (o) =>
        o.state === 'firing' &&
        o.at < alert.firedAt &&
        groupKey(route, { alertname: o.alertname, ...o.labels }) === key &&
        !sameLabels({ alertname: o.alertname, ...o.labels }, labels),
    );
    return joined ? route.groupIntervalMs : route.groupWaitMs;
  });
  return Math.max(0, ...waits) + DELIVERY_MARGIN_MS;
}
