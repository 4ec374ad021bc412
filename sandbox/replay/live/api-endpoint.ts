/** An HTTP API the live replay reads: its base URL (perhaps with a path prefix) and the headers it needs. */
export interface ApiEndpoint {
  url: string;
  /** Auth and tenant headers; never shown. */
  headers: Readonly<Record<string, string>>;
}

/** `path` under the endpoint's base URL, keeping a path prefix such as Mimir's `/prometheus`. */
export function apiUrl(endpoint: ApiEndpoint, path: string): string {
  return `${endpoint.url.replace(/\/+$/, '')}${path}`;
}

/** GET a JSON document; throws with the status when the answer is not 2xx. */
export async function getJson<T>(endpoint: ApiEndpoint, path: string, timeoutMs = 5000): Promise<T> {
  const response = await fetch(apiUrl(endpoint, path), {
    headers: endpoint.headers,
    signal: AbortSignal.timeout(timeoutMs),
  });
  if (!response.ok) throw new Error(`GET ${shownUrl(apiUrl(endpoint, path))}: HTTP ${response.status}`);
  return (await response.json()) as T;
}

/** GET one of Prometheus' v1 API documents and unwrap its data. */
export async function getPrometheusData<T>(
  endpoint: ApiEndpoint,
  path: string,
  timeoutMs = 5000,
): Promise<T> {
  const body = await getJson<{ status: string; data: T; error?: string }>(endpoint, path, timeoutMs);
  if (body.status !== 'success') throw new Error(`Prometheus ${path}: ${body.error ?? body.status}`);
  return body.data;
}

/** A URL as reports show it: no credentials and no query (either may hold a secret). */
export function shownUrl(url: string): string {
  const parsed = new URL(url);
  return `${parsed.protocol}//${parsed.host}${parsed.pathname.replace(/\/+$/, '')}`;
}
