import { didYouMean, UserError } from '../../generators/user-error.js';
import { fetchAlertingRules, fetchAlerts, type ApiAlert } from '../stack/prometheus-api.js';

export type AlertState = 'firing' | 'pending' | 'inactive';

export interface WaitForAlertOptions {
  /** Labels the alert must carry (a subset of its labels). */
  labels?: Readonly<Record<string, string>>;
  /** The state to wait for (default 'firing'); 'inactive': no such alert pending or firing. */
  state?: AlertState;
  /** Milliseconds before giving up (default 60 000). */
  timeout?: number;
}

const POLL_MS = 500;

const selector = (name: string, labels: Readonly<Record<string, string>>) => {
  const pairs = Object.entries(labels).map(([k, v]) => `${k}=${JSON.stringify(v)}`);
  return pairs.length > 0 ? `${name}{${pairs.join(', ')}}` : name;
};

/** What Prometheus showed of the alert, for the timeout's message. */
function describeSeen(name: string, seen: readonly ApiAlert[] | undefined, error: unknown): string {
  if (seen === undefined) return `Prometheus did not answer (${String(error)})`;
  const same = seen.filter((a) => a.labels.alertname === name);
  if (same.length === 0) {
    const others = [...new Set(seen.map((a) => `${a.labels.alertname} (${a.state})`))];
    return `no ${name} alert was pending or firing${others.length > 0 ? `; active: ${others.join(', ')}` : ''}`;
  }
  const shown = same.slice(0, 5).map((a) => `${a.state} ${JSON.stringify(a.labels)}`);
  return `it was ${shown.join('; ')}${same.length > 5 ? ` and ${same.length - 5} more` : ''}`;
}

/**
 * Polls Prometheus' /api/v1/alerts until an alert named `name` with these labels is in `state` (or, for
 * 'inactive', none is pending or firing); returns the matching alerts. A name no loaded rule has is
 * refused at once.
 */
export async function waitForAlert(
  prometheusUrl: string,
  name: string,
  options: WaitForAlertOptions = {},
): Promise<ApiAlert[]> {
  const { labels = {}, state = 'firing', timeout = 60_000 } = options;
  const rules = (await fetchAlertingRules(prometheusUrl)).map((r) => r.name);
  if (!rules.includes(name))
    throw new UserError(
      `waitForAlert: no alerting rule named ${name} is loaded${didYouMean(name, rules)}; the loaded ones are ${[...new Set(rules)].join(', ')}`,
    );
  const matches = (alert: ApiAlert) =>
    alert.labels.alertname === name && Object.entries(labels).every(([k, v]) => alert.labels[k] === v);
  const deadline = Date.now() + timeout;
  let seen: ApiAlert[] | undefined;
  let error: unknown;
  for (;;) {
    try {
      seen = await fetchAlerts(prometheusUrl);
      error = undefined;
      const found = seen.filter(matches);
      if (state === 'inactive' ? found.length === 0 : found.some((a) => a.state === state))
        return found.filter((a) => a.state === state);
    } catch (failure) {
      seen = undefined;
      error = failure;
    }
    if (Date.now() >= deadline) {
      throw new Error(
        `waitForAlert: ${selector(name, labels)} was not ${state} within ${timeout / 1000}s: ${describeSeen(name, seen, error)}`,
      );
    }
    await new Promise((resolve) =>
      setTimeout(resolve, Math.min(POLL_MS, Math.max(0, deadline - Date.now()))),
    );
  }
}
