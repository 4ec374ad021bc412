import type { ApiAlert } from '../../stack/prometheus-api.js';
import { getPrometheusData, type ApiEndpoint } from './api-endpoint.js';

/** A group of /api/v1/rules: its file (Mimir and Thanos rulers: the namespace) and interval in seconds. */
export interface ApiRuleGroup {
  name: string;
  file: string;
  interval?: number;
  rules: (
    | {
        type: 'alerting';
        name: string;
        query: string;
        duration: number;
        labels?: Record<string, string>;
        alerts?: ApiAlert[];
      }
    | { type: 'recording'; name: string; query: string }
  )[];
}

/** GET /api/v1/rules: every rule group the evaluator has, with its rules and their active alerts. */
export async function fetchRuleGroups(endpoint: ApiEndpoint, timeoutMs = 5000): Promise<ApiRuleGroup[]> {
  return (await getPrometheusData<{ groups: ApiRuleGroup[] }>(endpoint, '/api/v1/rules', timeoutMs)).groups;
}

/** Every pending and firing alert with the file of the rule that made it (alerts of one name tell apart). */
export async function fetchRuleAlerts(endpoint: ApiEndpoint): Promise<(ApiAlert & { file: string })[]> {
  const groups = await getPrometheusData<{ groups: ApiRuleGroup[] }>(endpoint, '/api/v1/rules?type=alert');
  return groups.groups.flatMap((g) =>
    g.rules.flatMap((r) =>
      r.type === 'alerting' ? (r.alerts ?? []).map((a) => ({ ...a, file: g.file })) : [],
    ),
  );
}
