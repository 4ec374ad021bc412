import { createRequire } from 'node:module';
import type * as OtlpHttp from '@opentelemetry/exporter-trace-otlp-http';
import type * as TraceBase from '@opentelemetry/sdk-trace-base';
import type { BatchSpanProcessor } from '@opentelemetry/sdk-trace-base';
import type { SpanRecord } from '../../model/types.js';
import { displayUrl } from '../display-url.js';
import { takeUrlCredentials } from '../push-headers.js';
import { tlsAgentOptions, type PushTls } from '../push-tls.js';
import { GuardedSpanExporter } from './guarded-exporter.js';
import type { OtlpStatusEvent } from './guarded-exporter.js';
import { JobResources, toReadableSpan } from './readable-span.js';
import type { ResourceOptions } from './readable-span.js';

// The OTLP exporter and the batch processor (~120 ms of CPU to load) only once an output is made: most runs send
// no traces. Both are CommonJS, which an import would load too, so requiring them keeps the constructor sync.
const require = createRequire(import.meta.url);

export interface OtlpTraceOutputOptions {
  /** Base URL of the OTLP/HTTP receiver, e.g. `http://127.0.0.1:4318`; spans go to `${url}/v1/traces`. */
  url: string;
  headers?: Readonly<Record<string, string>>;
  /** For an https receiver: its CA, a client certificate and key, or no verification. */
  tls?: PushTls;
  /** Spans waiting for export; beyond this `span()` drops and counts them (default 20 000). */
  maxQueueSize?: number;
  /** Spans per OTLP request (default 2048). */
  maxExportBatchSize?: number;
  /** How long a partial batch waits before it is sent (default 1000 ms). */
  scheduledDelayMillis?: number;
  /** Time limit of one export request, the OTLP exporter's own retries included (default 5000 ms). */
  exportTimeoutMillis?: number;
  /** How long `close()` waits for the final flush (default 2000 ms). */
  closeTimeoutMillis?: number;
  /** First wait after the endpoint is found down; doubles on each failed attempt (default 1000 ms). */
  initialBackoffMillis?: number;
  /** Longest wait between attempts while the endpoint is down (default 30 000 ms). */
  maxBackoffMillis?: number;
  /** Called once when the endpoint goes down, once when it comes back, and on the first rejected batch. */
  onStatus?: (event: OtlpStatusEvent) => void;
  resource?: ResourceOptions;
}

export interface OtlpTraceStats {
  /** Where it exports, as it may be shown (no user, password or query). */
  url: string;
  /** Calls to `span()`. */
  received: number;
  /** Spans the endpoint acknowledged. */
  exported: number;
  /** Spans given up on: queue full, endpoint down or rejecting, or received after `close()`. */
  dropped: number;
  /** Batches not delivered. */
  failedExports: number;
  /** Whether the last export attempt reached the endpoint; undefined before the first attempt. */
  reachable: boolean | undefined;
  /** Spans accepted and not yet exported or dropped. */
  queued: number;
  /** Why the latest failed export failed: `ECONNREFUSED`, `HTTP 400`, a timeout. */
  lastError?: string;
}

/** Resolves when `promise` settles or after `millis`, whichever is first; never rejects, never holds the process. */
function settleWithin(promise: Promise<unknown>, millis: number): Promise<void> {
  return new Promise((resolve) => {
    const timer = setTimeout(resolve, millis);
    timer.unref();
    promise
      .catch(() => undefined)
      .finally(() => {
        clearTimeout(timer);
        resolve();
      });
  });
}

/** Ships model spans to an OTLP/HTTP (JSON) receiver such as Jaeger through the SDK's batch processor. */
export class OtlpTraceOutput {
  private readonly exporter: GuardedSpanExporter;
  private readonly processor: BatchSpanProcessor;
  private readonly resources: JobResources;
  private readonly maxQueueSize: number;
  private readonly closeTimeoutMillis: number;
  private readonly url: string;
  private received = 0;
  private accepted = 0;
  private droppedOnIntake = 0;
  private closing: Promise<void> | undefined;

  constructor(options: OtlpTraceOutputOptions) {
    const base = new URL(options.url);
    // The user's own headers win over a user and password in the URL, which is never sent as it is.
    const headers = { ...takeUrlCredentials(base), ...options.headers };
    const endpoint = base.toString().replace(/\/+$/, '');
    const tracesUrl = `${endpoint}/v1/traces`;
    const exportTimeoutMillis = options.exportTimeoutMillis ?? 5000;
    const maxQueueSize = options.maxQueueSize ?? 20_000;
    const maxExportBatchSize = Math.min(options.maxExportBatchSize ?? 2048, maxQueueSize);
    const { OTLPTraceExporter } = require('@opentelemetry/exporter-trace-otlp-http') as typeof OtlpHttp;
    const { BatchSpanProcessor } = require('@opentelemetry/sdk-trace-base') as typeof TraceBase;
    const otlp = new OTLPTraceExporter({
      url: tracesUrl,
      headers,
      timeoutMillis: exportTimeoutMillis,
      ...(options.tls && { httpAgentOptions: { keepAlive: true, ...tlsAgentOptions(options.tls) } }),
      // A flush sends the whole queue at once; the exporter fails requests beyond its concurrency limit.
      concurrencyLimit: Math.ceil(maxQueueSize / maxExportBatchSize) + 1,
    });
    this.exporter = new GuardedSpanExporter(otlp, {
      // As the user typed it, for the messages (which show it through displayUrl).
      endpoint: options.url.replace(/\/+$/, ''),
      tracesUrl,
      headers,
      tls: options.tls,
      initialBackoffMillis: options.initialBackoffMillis ?? 1000,
      maxBackoffMillis: options.maxBackoffMillis ?? 30_000,
      probeTimeoutMillis: Math.min(exportTimeoutMillis, 2000),
      onStatus: options.onStatus ?? (() => undefined),
    });
    this.processor = new BatchSpanProcessor(this.exporter, {
      maxQueueSize,
      maxExportBatchSize,
      scheduledDelayMillis: options.scheduledDelayMillis ?? 1000,
      // Leaves room for a probe before the request, so the processor does not give up on a batch in flight.
      exportTimeoutMillis: exportTimeoutMillis * 2,
    });
    this.resources = new JobResources(options.resource);
    this.maxQueueSize = maxQueueSize;
    this.closeTimeoutMillis = options.closeTimeoutMillis ?? 2000;
    this.url = displayUrl(options.url);
  }

  /** Queues one finished span; drops it (counted) when the queue is full or the output is closed. Never throws. */
  span(record: SpanRecord): void {
    this.received++;
    // The processor's own overflow drops are invisible, so the bound is enforced here: its queue holds exactly
    // the spans accepted and not yet handed to the exporter.
    if (this.closing !== undefined || this.accepted - this.exporter.handedOff >= this.maxQueueSize) {
      this.droppedOnIntake++;
      return;
    }
    try {
      const span = toReadableSpan(record, this.resources);
      this.accepted++;
      this.processor.onEnd(span);
    } catch {
      this.droppedOnIntake++;
    }
  }

  /** Sends everything queued; resolves once each batch is exported or dropped. */
  async flush(): Promise<void> {
    if (this.closing !== undefined) return this.closing;
    await this.processor.forceFlush().catch(() => undefined);
    await this.exporter.forceFlush();
  }

  /** Final flush, bounded by `closeTimeoutMillis`; later `span()` calls are dropped. */
  close(): Promise<void> {
    if (this.closing === undefined) {
      this.exporter.retryNow();
      this.closing = settleWithin(this.processor.shutdown(), this.closeTimeoutMillis);
    }
    return this.closing;
  }

  stats(): OtlpTraceStats {
    const { exported, dropped, lastError } = this.exporter;
    return {
      url: this.url,
      received: this.received,
      exported,
      dropped: this.droppedOnIntake + dropped,
      failedExports: this.exporter.failedExports,
      reachable: this.exporter.reachable,
      queued: this.accepted - exported - dropped,
      ...(lastError !== undefined && { lastError }),
    };
  }
}
