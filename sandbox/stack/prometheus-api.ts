/** The parts of Prometheus' HTTP API (v1) the sandbox reads. */

export interface ApiAlert {
  labels: Record<string, string>;
  annotations: Record<string, string>;
  state: 'pending' | 'firing';
  /** RFC 3339: when the alert became active (pending). */
  activeAt: string;
  value: string;
}

export interface ApiAlertingRule {
  type: 'alerting';
  name: string;
  query: string;
  /** `for:` in seconds. */
  duration: number;
  labels: Record<string, string>;
  state: 'inactive' | 'pending' | 'firing';
  alerts: ApiAlert[];
}

interface ApiRuleGroup {
  name: string;
  file: string;
  rules: (ApiAlertingRule | { type: 'recording'; name: string })[];
}

async function get<T>(base: string, path: string, timeoutMs: number): Promise<T> {
  const response = await fetch(`${base}${path}`, { signal: AbortSignal.timeout(timeoutMs) });
  const body = (await response.json()) as { status: string; data: T; error?: string };
  if (body.status !== 'success') throw new Error(`Prometheus ${path}: ${body.error ?? response.status}`);
  return body.data;
}

/** GET /api/v1/alerts: every pending and firing alert. */
export async function fetchAlerts(base: string, timeoutMs = 5000): Promise<ApiAlert[]> {
  return (await get<{ alerts: ApiAlert[] }>(base, '/api/v1/alerts', timeoutMs)).alerts;
}

/** GET /api/v1/rules?type=alert: every alerting rule with its state and active alerts. */
export async function fetchAlertingRules(base: string, timeoutMs = 5000): Promise<ApiAlertingRule[]> {
  const data = await get<{ groups: ApiRuleGroup[] }>(base, '/api/v1/rules?type=alert', timeoutMs);
  return data.groups.flatMap((g) => g.rules.filter((r): r is ApiAlertingRule => r.type === 'alerting'));
}

/** GET /api/v1/rules?type=alert: every pending and firing alert with the file of the rule that made it. */
export async function fetchRuleAlerts(
  base: string,
  timeoutMs = 5000,
): Promise<(ApiAlert & { file: string })[]> {
  const data = await get<{ groups: ApiRuleGroup[] }>(base, '/api/v1/rules?type=alert', timeoutMs);
  return data.groups.flatMap((g) =>
    g.rules.flatMap((r) => (r.type === 'alerting' ? r.alerts.map((a) => ({ ...a, file: g.file })) : [])),
  );
}

/** GET /api/v1/query: an instant vector's samples as numbers, by label set. */
export async function queryVector(
  base: string,
  promql: string,
  timeoutMs = 5000,
): Promise<{ metric: Record<string, string>; value: number }[]> {
  const data = await get<{
    resultType: string;
    result: { metric: Record<string, string>; value: [number, string] }[];
  }>(base, `/api/v1/query?query=${encodeURIComponent(promql)}`, timeoutMs);
  return data.result.map((r) => ({ metric: r.metric, value: Number(r.value[1]) }));
}
