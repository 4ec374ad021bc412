/** Label set of one series. Keys must be label names declared in the metric catalogue. */
export type Labels = Readonly<Record<string, string>>;

/**
 * Where the model writes metric changes. Implemented by prom-client registries (live) and recorders (replay).
 * `instance` is the ordinal of the job's scrape target (0 when the job has one target, as most do): a
 * series lives on one target, and each target is scraped (and can go down) on its own.
 */
export interface MetricWriter {
  /** Create a series at zero so that `increase()` and `rate()` see its first change. */
  touch(metric: string, labels: Labels, instance?: number): void;
  /** Counter increment. */
  add(metric: string, labels: Labels, value: number, instance?: number): void;
  /** Gauge assignment. */
  set(metric: string, labels: Labels, value: number, instance?: number): void;
  /** Histogram or summary observation. */
  observe(metric: string, labels: Labels, value: number, instance?: number): void;
  /** Drop a series (for example an info metric whose label value changed). */
  remove(metric: string, labels: Labels, instance?: number): void;
  /**
   * Whether a job's scrape target answers (the `service_down` fault turns it off); without `instance`,
   * every target of the job.
   */
  setTargetUp(job: string, up: boolean, instance?: number): void;
}

export type LogLevel = 'debug' | 'info' | 'warn' | 'error';
export type FieldValue = string | number | boolean;

/** One structured log line, stamped with model time. */
export interface LogRecord {
  /** Model time in milliseconds since the Unix epoch. */
  timeMs: number;
  job: string;
  level: LogLevel;
  message: string;
  traceId?: string;
  spanId?: string;
  /** Correlation and domain fields (receipt_id, scroll, epoch, ...). */
  fields: Readonly<Record<string, FieldValue>>;
}

export type SpanKind = 'internal' | 'server' | 'client' | 'producer' | 'consumer';

export interface SpanEventRecord {
  name: string;
  timeMs: number;
  attributes?: Readonly<Record<string, FieldValue>>;
}

/** One finished span, stamped with model time; ids are lowercase hex (32 and 16 characters). */
export interface SpanRecord {
  traceId: string;
  spanId: string;
  parentSpanId?: string;
  name: string;
  /** The job (service.name) that produced the span. */
  job: string;
  kind: SpanKind;
  startMs: number;
  endMs: number;
  status: 'ok' | 'error';
  statusMessage?: string;
  attributes: Readonly<Record<string, FieldValue>>;
  events?: readonly SpanEventRecord[];
}

/** Everything the model produces flows into a sink; logs and spans are optional (replay skips them). */
export interface ModelSink {
  metrics: MetricWriter;
  log?(record: LogRecord): void;
  span?(record: SpanRecord): void;
}
