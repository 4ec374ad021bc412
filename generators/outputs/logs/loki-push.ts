import type { LogRecord } from '../../model/types.js';
import { displayUrl } from '../display-url.js';
import { takeUrlCredentials } from '../push-headers.js';
import type { PushTls } from '../push-tls.js';
import { errorMessage, postPush, type PushOutcome } from './loki-http.js';
import { buildPushBody, StreamTable, type LokiEntry } from './loki-payload.js';
import { RingBuffer } from './ring-buffer.js';
import { tlsFetch } from './tls-fetch.js';

/** Reachability changes and dropped data, each reported once rather than per request. */
export type LokiStatusEvent =
  | { kind: 'unreachable'; reason: string; message: string }
  | { kind: 'reachable'; message: string }
  /** Loki answered a non-retryable 4xx; the batch was dropped. Reported once per distinct reason. */
  | { kind: 'rejected'; status: number; reason: string; lines: number; message: string }
  /** A record could not be rendered (for example an invalid timestamp). Reported once per distinct reason. */
  | { kind: 'invalid'; reason: string; message: string };

export interface LokiPusherOptions {
  /**
   * Base URL, e.g. http://127.0.0.1:3100; lines go to `${url}/loki/api/v1/push` (with its query). A user and
   * password in it are sent as basic auth (fetch refuses URLs that hold them).
   */
  url: string;
  /** Lines per request (default 1000). */
  batchSize?: number;
  flushIntervalMs?: number;
  /** Bound on buffered lines; when full the oldest are dropped (default 50_000). */
  maxBufferedLines?: number;
  /** First retry delay; doubles per consecutive failure up to `maxBackoffMs` (default 250). */
  initialBackoffMs?: number;
  maxBackoffMs?: number;
  requestTimeoutMs?: number;
  /** How long `close()` may spend on its final flush (default 2000). */
  closeTimeoutMs?: number;
  /** Sent as X-Scope-OrgID for multi-tenant Loki. */
  tenantId?: string;
  /** Sent with every push after the tenant (auth, the user's own headers). */
  headers?: Readonly<Record<string, string>>;
  /** For an https Loki: its CA, a client certificate and key, or no verification. */
  tls?: PushTls;
  onStatus?: (event: LokiStatusEvent) => void;
  fetch?: typeof fetch;
}

export interface LokiPusherStats {
  /** Where it pushes, as it may be shown (no user, password or query). */
  url: string;
  pushed: number;
  sent: number;
  dropped: number;
  failedRequests: number;
  retries: number;
  buffered: number;
  reachable: boolean;
  /** Why the latest failed request failed: `HTTP 400: <the body's first line>`, `connection refused (…)`, a timeout. */
  lastError?: string;
}

const MAX_DISTINCT_REASONS = 64;

/**
 * Batches log records into Loki push requests. Lines stay in a bounded ring buffer until Loki accepts
 * them, so a retried batch is never lost unless newer lines overflow the buffer. Each buffered line has a
 * sequence number (`headSeq` is the oldest's) so evictions during an in-flight request can be accounted
 * for once its outcome is known.
 */
export class LokiPusher {
  private readonly endpoint: string;
  /** The URL as messages and stats show it. */
  private readonly displayUrl: string;
  private readonly headers: Record<string, string>;
  private readonly batchSize: number;
  /** Buffered lines that warrant sending now rather than at the next interval. */
  private readonly kickThreshold: number;
  private readonly initialBackoffMs: number;
  private readonly maxBackoffMs: number;
  private readonly requestTimeoutMs: number;
  private readonly closeTimeoutMs: number;
  private readonly fetchFn: typeof fetch;
  private readonly buffer: RingBuffer<LokiEntry>;
  private readonly streams = new StreamTable();
  private readonly reportedReasons = new Set<string>();
  private readonly interval: NodeJS.Timeout;
  private retryTimer: NodeJS.Timeout | undefined;
  private inFlight: Promise<void> | undefined;
  private abortInFlight: AbortController | undefined;
  private kickPending = false;
  private closed = false;
  private closing: Promise<void> | undefined;
  private headSeq = 0;
  private tailSeq = 0;
  private inFlightEnd = 0;
  private evictedInFlight = 0;
  private consecutiveFailures = 0;
  private nextAttemptAt = 0;
  private readonly counts = { pushed: 0, sent: 0, dropped: 0, failedRequests: 0, retries: 0 };
  private reachable = true;
  private lastError: string | undefined;

  constructor(private readonly options: LokiPusherOptions) {
    const endpoint = new URL(options.url);
    endpoint.pathname = `${endpoint.pathname.replace(/\/+$/, '')}/loki/api/v1/push`;
    this.headers = { 'Content-Type': 'application/json', ...takeUrlCredentials(endpoint) };
    this.endpoint = endpoint.toString();
    this.displayUrl = displayUrl(options.url);
    if (options.tenantId !== undefined) this.headers['X-Scope-OrgID'] = options.tenantId;
    Object.assign(this.headers, options.headers);
    this.batchSize = positiveInt('batchSize', options.batchSize ?? 1000);
    this.buffer = new RingBuffer(positiveInt('maxBufferedLines', options.maxBufferedLines ?? 50_000));
    this.kickThreshold = Math.min(this.batchSize, this.buffer.capacity);
    this.initialBackoffMs = positiveInt('initialBackoffMs', options.initialBackoffMs ?? 250);
    this.maxBackoffMs = positiveInt('maxBackoffMs', options.maxBackoffMs ?? 30_000);
    this.requestTimeoutMs = positiveInt('requestTimeoutMs', options.requestTimeoutMs ?? 10_000);
    this.closeTimeoutMs = positiveInt('closeTimeoutMs', options.closeTimeoutMs ?? 2000);
    this.fetchFn = options.fetch ?? (options.tls ? tlsFetch(options.tls) : fetch);
    const flushIntervalMs = positiveInt('flushIntervalMs', options.flushIntervalMs ?? 1000);
    this.interval = setInterval(() => void this.flush(), flushIntervalMs).unref();
  }

  /** Buffer one record for sending. Never throws; unusable records are counted as dropped. */
  push(record: LogRecord): void {
    this.counts.pushed++;
    if (this.closed) {
      this.counts.dropped++;
      return;
    }
    let entry: LokiEntry;
    try {
      entry = this.streams.entryFor(record);
    } catch (err) {
      this.counts.dropped++;
      const reason = errorMessage(err);
      this.reportOnce(`invalid:${reason.replace(/\d+/g, '#')}`, {
        kind: 'invalid',
        reason,
        message: `log record dropped: ${reason}`,
      });
      return;
    }
    const oldestSeq = this.headSeq;
    if (this.buffer.push(entry)) {
      this.headSeq++;
      // An evicted line that is part of the in-flight batch is only lost if that request fails.
      if (oldestSeq < this.inFlightEnd) this.evictedInFlight++;
      else this.counts.dropped++;
    }
    this.tailSeq++;
    if (this.buffer.size >= this.kickThreshold) this.kick();
  }

  /** Send every line buffered now, batch by batch; stops early (and retries later) while backing off. */
  async flush(): Promise<void> {
    const target = this.tailSeq;
    for (;;) {
      if (this.inFlight !== undefined) {
        await this.inFlight;
        continue;
      }
      if (this.headSeq >= target || this.buffer.size === 0 || Date.now() < this.nextAttemptAt) return;
      this.inFlight = this.sendBatch().finally(() => {
        this.inFlight = undefined;
      });
    }
  }

  /** Final flush bounded by `closeTimeoutMs`, then stop; lines still unsent are counted as dropped. */
  close(): Promise<void> {
    this.closing ??= this.shutdown();
    return this.closing;
  }

  stats(): LokiPusherStats {
    return {
      ...this.counts,
      url: this.displayUrl,
      buffered: this.buffer.size + this.evictedInFlight,
      reachable: this.reachable,
      ...(this.lastError !== undefined && { lastError: this.lastError }),
    };
  }

  private async shutdown(): Promise<void> {
    this.closed = true;
    clearInterval(this.interval);
    clearTimeout(this.retryTimer);
    this.nextAttemptAt = 0; // one last attempt even while backing off
    let deadline: NodeJS.Timeout | undefined;
    const expired = new Promise<void>((resolve) => {
      deadline = setTimeout(resolve, this.closeTimeoutMs).unref();
    });
    await Promise.race([this.flush(), expired]);
    clearTimeout(deadline);
    this.nextAttemptAt = Infinity; // no flush loop may start another request from here on
    this.abortInFlight?.abort(new Error('pusher closed'));
    await this.inFlight;
    this.counts.dropped += this.buffer.size;
    this.buffer.clear();
  }

  private kick(): void {
    if (this.kickPending || this.closed) return;
    this.kickPending = true;
    setImmediate(() => {
      this.kickPending = false;
      void this.flush();
    }).unref();
  }

  private async sendBatch(): Promise<void> {
    const count = Math.min(this.batchSize, this.buffer.size);
    const batch = new Array<LokiEntry>(count);
    for (let i = 0; i < count; i++) batch[i] = this.buffer.at(i) as LokiEntry;
    this.inFlightEnd = this.headSeq + count;
    if (this.consecutiveFailures > 0) this.counts.retries++;

    const outcome = await this.post(buildPushBody(batch));

    const batchEnd = this.inFlightEnd;
    const evictedInFlight = this.evictedInFlight;
    this.inFlightEnd = 0;
    this.evictedInFlight = 0;
    if (outcome.kind === 'retry') {
      this.counts.failedRequests++;
      this.lastError = outcome.reason;
      this.counts.dropped += evictedInFlight;
      this.setUnreachable(outcome.reason, outcome.network);
      this.scheduleRetry(outcome.retryAfterMs);
      return;
    }
    this.consecutiveFailures = 0;
    this.nextAttemptAt = 0;
    this.setReachable();
    this.headSeq += this.buffer.removeOldest(batchEnd - this.headSeq);
    if (outcome.kind === 'ok') {
      this.counts.sent += count;
      return;
    }
    this.counts.failedRequests++;
    this.counts.dropped += count;
    this.lastError = `HTTP ${outcome.status}: ${outcome.reason}`;
    const message = `Loki rejected ${count} log lines with HTTP ${outcome.status} (${outcome.reason}); batch dropped`;
    const key = `${outcome.status}:${outcome.reason.replace(/\d+/g, '#')}`;
    this.reportOnce(key, {
      kind: 'rejected',
      status: outcome.status,
      reason: outcome.reason,
      lines: count,
      message,
    });
  }

  private async post(body: string): Promise<PushOutcome> {
    const controller = new AbortController();
    this.abortInFlight = controller;
    const { endpoint, headers, requestTimeoutMs: timeoutMs } = this;
    try {
      return await postPush({ fetch: this.fetchFn, endpoint, headers, body, timeoutMs, controller });
    } finally {
      this.abortInFlight = undefined;
    }
  }

  private scheduleRetry(retryAfterMs: number | undefined): void {
    const ceiling = Math.min(this.maxBackoffMs, this.initialBackoffMs * 2 ** this.consecutiveFailures);
    this.consecutiveFailures++;
    let delay = ceiling / 2 + (Math.random() * ceiling) / 2;
    if (retryAfterMs !== undefined) delay = Math.min(this.maxBackoffMs, Math.max(delay, retryAfterMs));
    this.nextAttemptAt = Date.now() + delay;
    if (this.closed) return;
    clearTimeout(this.retryTimer);
    this.retryTimer = setTimeout(() => {
      this.nextAttemptAt = 0; // timers may fire a millisecond before Date.now() reaches the deadline
      void this.flush();
    }, delay).unref();
  }

  private setUnreachable(reason: string, network: boolean): void {
    if (!this.reachable) return;
    this.reachable = false;
    const state = network ? 'is unreachable' : 'is not accepting logs';
    const message = `Loki at ${this.displayUrl} ${state} (${reason}); logs are buffered and retried with backoff`;
    this.emit({ kind: 'unreachable', reason, message });
  }

  private setReachable(): void {
    if (this.reachable) return;
    this.reachable = true;
    this.emit({ kind: 'reachable', message: `Loki at ${this.displayUrl} is reachable again; sending logs` });
  }

  private reportOnce(key: string, event: LokiStatusEvent): void {
    if (this.reportedReasons.has(key) || this.reportedReasons.size >= MAX_DISTINCT_REASONS) return;
    this.reportedReasons.add(key);
    this.emit(event);
  }

  private emit(event: LokiStatusEvent): void {
    try {
      this.options.onStatus?.(event);
    } catch {
      // A faulty status callback must not break log shipping.
    }
  }
}

function positiveInt(name: string, value: number): number {
  if (!Number.isInteger(value) || value < 1)
    throw new RangeError(`${name} must be a positive integer, got ${value}`);
  return value;
}
