import type { DetailEmitter, TraceRef } from './context.js';
import type { FieldValue, SpanEventRecord, SpanKind } from './types.js';

export interface SpanOptions {
  parent?: TraceRef;
  kind?: SpanKind;
  attributes?: Record<string, FieldValue>;
  /** Marks the span failed with this message. */
  error?: string;
  events?: SpanEventRecord[];
}

/** Emits the spans of one trace; the model knows every duration up front, so spans are written whole. */
export class TraceWriter {
  readonly traceId: string;

  constructor(
    private readonly detail: DetailEmitter,
    private readonly job: string,
  ) {
    this.traceId = detail.traceId();
  }

  span(name: string, startMs: number, endMs: number, options: SpanOptions = {}): TraceRef {
    const spanId = this.detail.spanId();
    this.detail.span({
      traceId: this.traceId,
      spanId,
      parentSpanId: options.parent?.spanId,
      name,
      job: this.job,
      kind: options.kind ?? 'internal',
      startMs,
      endMs,
      status: options.error === undefined ? 'ok' : 'error',
      statusMessage: options.error,
      attributes: options.attributes ?? {},
      events: options.events,
    });
    return { traceId: this.traceId, spanId };
  }
}
