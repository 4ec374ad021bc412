/** How one push request ended, from the point of view of what to do with its batch. */
export type PushOutcome =
  | { kind: 'ok' }
  /** Network error, timeout, 408, 429 or 5xx: keep the batch and retry later. */
  | { kind: 'retry'; reason: string; network: boolean; retryAfterMs?: number }
  /** Any other 4xx (e.g. 400 "entry too far behind"): resending would fail the same way. */
  | { kind: 'reject'; status: number; reason: string };

export interface PushRequest {
  fetch: typeof fetch;
  endpoint: string;
  headers: Readonly<Record<string, string>>;
  body: string;
  timeoutMs: number;
  /** Lets the caller cancel the request (on close). */
  controller: AbortController;
}

/** POST one body to Loki and classify the answer; never rejects. */
export async function postPush(req: PushRequest): Promise<PushOutcome> {
  const { controller } = req;
  const timeout = setTimeout(
    () => controller.abort(new Error(`timed out after ${req.timeoutMs} ms`)),
    req.timeoutMs,
  ).unref();
  try {
    const res = await req.fetch(req.endpoint, {
      method: 'POST',
      headers: req.headers,
      body: req.body,
      signal: controller.signal,
    });
    const text = await res.text();
    if (res.ok) return { kind: 'ok' };
    const reason = firstLine(text) || 'an empty body';
    if (res.status === 408 || res.status === 429 || res.status >= 500) {
      const retryAfterMs = retryAfter(res.headers.get('retry-after'));
      return { kind: 'retry', reason: `HTTP ${res.status}: ${reason}`, network: false, retryAfterMs };
    }
    return { kind: 'reject', status: res.status, reason };
  } catch (err) {
    return { kind: 'retry', reason: networkReason(err), network: true };
  } finally {
    clearTimeout(timeout);
  }
}

export function errorMessage(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}

function firstLine(text: string): string {
  const line = text.trim().split('\n', 1)[0] ?? '';
  return line.length > 200 ? line.slice(0, 200) + '…' : line;
}

/** What the usual socket errors mean, for a reason a reader need not look up. */
const NETWORK_ERRORS: Readonly<Record<string, string>> = {
  ECONNREFUSED: 'connection refused',
  ECONNRESET: 'connection reset',
  ENOTFOUND: 'host not found',
  EAI_AGAIN: 'host not found',
  ETIMEDOUT: 'connection timed out',
  EHOSTUNREACH: 'host unreachable',
};

/** Undici reports socket errors as `TypeError: fetch failed` with the errno code on `cause`. */
function networkReason(err: unknown): string {
  const cause =
    err instanceof Error ? (err.cause as { code?: unknown; message?: unknown } | undefined) : undefined;
  if (typeof cause?.code === 'string') {
    const meaning = NETWORK_ERRORS[cause.code];
    return meaning ? `${meaning} (${cause.code})` : cause.code;
  }
  if (typeof cause?.message === 'string') return cause.message;
  return errorMessage(err);
}

/** Retry-After in delta-seconds form; the HTTP-date form is ignored (Loki does not send it). */
function retryAfter(header: string | null): number | undefined {
  if (header === null) return undefined;
  const seconds = Number(header);
  return Number.isFinite(seconds) && seconds >= 0 ? seconds * 1000 : undefined;
}
