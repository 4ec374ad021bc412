import { ExportResultCode } from '@opentelemetry/core';
import type { ExportResult } from '@opentelemetry/core';
import type { ReadableSpan, SpanExporter } from '@opentelemetry/sdk-trace-base';
import { failureReason, probeEndpoint } from './probe.js';
import { displayUrl } from '../display-url.js';
import type { PushTls } from '../push-tls.js';

export interface OtlpStatusEvent {
  type: 'unreachable' | 'recovered' | 'rejected';
  /** Base URL of the endpoint, as configured. */
  endpoint: string;
  /** One line, ready to print. */
  message: string;
}

export interface GuardOptions {
  endpoint: string;
  tracesUrl: string;
  headers: Readonly<Record<string, string>>;
  tls?: PushTls;
  initialBackoffMillis: number;
  maxBackoffMillis: number;
  probeTimeoutMillis: number;
  onStatus: (event: OtlpStatusEvent) => void;
}

type Health = 'unknown' | 'reachable' | 'unreachable';

/** An HTTP 4xx answer other than 429: the endpoint is up but refuses this data, so retrying will not help. */
function isRejection(error: unknown): boolean {
  const code = (error as { code?: unknown } | undefined)?.code;
  return typeof code === 'number' && code >= 400 && code < 500 && code !== 429;
}

/**
 * Sits between the BatchSpanProcessor and the OTLP exporter: counts what becomes of every span handed over,
 * reports the endpoint going down and coming back once each, and while it is down drops batches without
 * touching the network until an exponentially growing backoff has elapsed.
 */
export class GuardedSpanExporter implements SpanExporter {
  /** Spans the processor has taken out of its queue, whatever became of them. */
  handedOff = 0;
  exported = 0;
  dropped = 0;
  /** Batches not delivered: failed attempts and batches skipped while the endpoint was down. */
  failedExports = 0;
  /** Why the latest failed export failed (a socket error code, `HTTP 400`); undefined before any failed. */
  lastError: string | undefined;
  private health: Health = 'unknown';
  private backoffMillis = 0;
  private nextAttemptAt = 0;
  private droppedWhileDown = 0;
  private rejectionReported = false;
  private probe: Promise<string | undefined> | undefined;
  private readonly inFlight = new Set<Promise<void>>();

  constructor(
    private readonly inner: SpanExporter,
    private readonly options: GuardOptions,
  ) {}

  /** Undefined until the first export attempt has an outcome. */
  get reachable(): boolean | undefined {
    return this.health === 'unknown' ? undefined : this.health === 'reachable';
  }

  export(spans: ReadableSpan[], resultCallback: (result: ExportResult) => void): void {
    this.handedOff += spans.length;
    let settle = () => {};
    const settled = new Promise<void>((resolve) => (settle = resolve));
    this.inFlight.add(settled);
    const done = (result: ExportResult) => {
      this.inFlight.delete(settled);
      settle();
      resultCallback(result);
    };
    if (this.health === 'reachable') {
      this.send(spans, done);
    } else if (Date.now() < this.nextAttemptAt) {
      this.fail(spans, done, new Error(`OTLP endpoint ${displayUrl(this.options.endpoint)} is unreachable`));
    } else {
      void this.probeOnce().then((reason) =>
        reason === undefined ? this.send(spans, done) : this.markUnreachable(spans, done, reason),
      );
    }
  }

  /** Lets the next export try the endpoint even if the backoff has not elapsed (the final flush). */
  retryNow(): void {
    this.nextAttemptAt = 0;
  }

  /** Waits for every batch handed over so far, including those the processor's own forceFlush does not wait for. */
  async forceFlush(): Promise<void> {
    await Promise.all(this.inFlight);
  }

  shutdown(): Promise<void> {
    return this.inner.shutdown();
  }

  private probeOnce(): Promise<string | undefined> {
    this.probe ??= probeEndpoint(
      this.options.tracesUrl,
      this.options.headers,
      this.options.probeTimeoutMillis,
      this.options.tls,
    ).finally(() => (this.probe = undefined));
    return this.probe;
  }

  private send(spans: ReadableSpan[], done: (result: ExportResult) => void): void {
    this.inner.export(spans, (result) => {
      if (result.code === ExportResultCode.SUCCESS) {
        this.markReachable();
        this.exported += spans.length;
        done(result);
      } else if (isRejection(result.error)) {
        this.markReachable();
        if (!this.rejectionReported) {
          this.rejectionReported = true;
          this.report(
            'rejected',
            `OTLP endpoint ${displayUrl(this.options.endpoint)} rejected ${spans.length} spans (${failureReason(result.error)}); later rejections are only counted`,
          );
        }
        this.lastError = failureReason(result.error);
        this.fail(spans, done, result.error);
      } else {
        this.markUnreachable(spans, done, failureReason(result.error));
      }
    });
  }

  private markReachable(): void {
    if (this.health === 'unreachable') {
      this.report(
        'recovered',
        `OTLP endpoint ${displayUrl(this.options.endpoint)} is reachable again; ${this.droppedWhileDown} spans were dropped while it was not`,
      );
    }
    this.health = 'reachable';
    this.backoffMillis = 0;
    this.droppedWhileDown = 0;
  }

  private markUnreachable(spans: ReadableSpan[], done: (result: ExportResult) => void, reason: string): void {
    if (this.health !== 'unreachable') {
      this.health = 'unreachable';
      this.report(
        'unreachable',
        `OTLP endpoint ${displayUrl(this.options.endpoint)} is unreachable (${reason}); spans are dropped and export is retried with backoff`,
      );
    }
    const now = Date.now();
    // Batches failing together (a flush sends several at once) count as one attempt for the backoff.
    if (now >= this.nextAttemptAt) {
      const { initialBackoffMillis, maxBackoffMillis } = this.options;
      this.backoffMillis = Math.min(
        this.backoffMillis === 0 ? initialBackoffMillis : this.backoffMillis * 2,
        maxBackoffMillis,
      );
      this.nextAttemptAt = now + this.backoffMillis;
    }
    this.lastError = reason;
    this.fail(spans, done, new Error(reason));
  }

  private fail(spans: ReadableSpan[], done: (result: ExportResult) => void, error: Error | undefined): void {
    this.failedExports++;
    this.dropped += spans.length;
    if (this.health === 'unreachable') this.droppedWhileDown += spans.length;
    done({ code: ExportResultCode.FAILED, error });
  }

  private report(type: OtlpStatusEvent['type'], message: string): void {
    this.options.onStatus({ type, endpoint: displayUrl(this.options.endpoint), message });
  }
}
