import { createRequire } from 'node:module';
import type * as Api from '@opentelemetry/api';
import type { Attributes, HrTime, Link, SpanContext, SpanKind, SpanStatus } from '@opentelemetry/api';
import type * as Core from '@opentelemetry/core';
import type { InstrumentationScope } from '@opentelemetry/core';
import type * as Resources from '@opentelemetry/resources';
import type { Resource } from '@opentelemetry/resources';
import type { ReadableSpan, TimedEvent } from '@opentelemetry/sdk-trace-base';
import type * as SemConv from '@opentelemetry/semantic-conventions';
import type { SpanEventRecord, SpanRecord } from '../../model/types.js';

export const INSTRUMENTATION_SCOPE: InstrumentationScope = { name: 'obs-sandbox/generators' };

// The OpenTelemetry API, core and resources (~95 ms of CPU to load) only once spans are built for OTLP: most
// runs send none. They are CommonJS, which an import would load too, so requiring them keeps this synchronous.
const require = createRequire(import.meta.url);
let otel:
  { api: typeof Api; core: typeof Core; resources: typeof Resources; semconv: typeof SemConv } | undefined;
const loadOtel = () =>
  (otel ??= {
    api: require('@opentelemetry/api') as typeof Api,
    core: require('@opentelemetry/core') as typeof Core,
    resources: require('@opentelemetry/resources') as typeof Resources,
    semconv: require('@opentelemetry/semantic-conventions') as typeof SemConv,
  });

const KIND = {
  internal: 'INTERNAL',
  server: 'SERVER',
  client: 'CLIENT',
  producer: 'PRODUCER',
  consumer: 'CONSUMER',
} as const satisfies Record<SpanRecord['kind'], keyof typeof SpanKind>;

export interface ResourceOptions {
  /** `service.version` of every simulated service (default `0.1.0`). */
  serviceVersion?: string;
  /** `deployment.environment.name` (default `sandbox`). */
  environment?: string;
}

/**
 * One resource per job, created once: the OTLP serializer groups spans into resourceSpans by resource object
 * identity, so a fresh resource per span would send one resourceSpans entry per span.
 */
export class JobResources {
  private readonly byJob = new Map<string, Resource>();
  private readonly serviceVersion: string;
  private readonly environment: string;

  constructor(options: ResourceOptions = {}) {
    this.serviceVersion = options.serviceVersion ?? '0.1.0';
    this.environment = options.environment ?? 'sandbox';
  }

  get(job: string): Resource {
    let resource = this.byJob.get(job);
    if (resource === undefined) {
      const { core, resources, semconv } = loadOtel();
      const {
        ATTR_SERVICE_NAME,
        ATTR_SERVICE_NAMESPACE,
        ATTR_SERVICE_VERSION,
        ATTR_DEPLOYMENT_ENVIRONMENT_NAME,
      } = semconv;
      resource = resources.resourceFromAttributes({
        ...core.SDK_INFO,
        [ATTR_SERVICE_NAME]: job,
        [ATTR_SERVICE_NAMESPACE]: serviceNamespace(job),
        [ATTR_SERVICE_VERSION]: this.serviceVersion,
        [ATTR_DEPLOYMENT_ENVIRONMENT_NAME]: this.environment,
      });
      this.byJob.set(job, resource);
    }
    return resource;
  }
}

/** The system a job belongs to is its name up to the first dash: `vaultmesh-portal` → `vaultmesh`, `zkp-…` → `zkp`. */
export function serviceNamespace(job: string): string {
  const dash = job.indexOf('-');
  return dash > 0 ? job.slice(0, dash) : job;
}

/** Model milliseconds (possibly fractional) to [seconds, nanoseconds], carrying a rounded-up 1e9 nanoseconds. */
export function msToHrTime(ms: number): HrTime {
  const seconds = Math.floor(ms / 1000);
  const nanos = Math.round((ms - seconds * 1000) * 1e6);
  return nanos >= 1e9 ? [seconds + 1, nanos - 1e9] : [seconds, nanos];
}

function toTimedEvent(event: SpanEventRecord): TimedEvent {
  return { name: event.name, time: msToHrTime(event.timeMs), attributes: event.attributes ?? {} };
}

/** A finished span built from a model record: ids and times come from the model, never from the SDK. */
class ModelSpan implements ReadableSpan {
  readonly name: string;
  readonly kind: SpanKind;
  readonly parentSpanContext: SpanContext | undefined;
  readonly startTime: HrTime;
  readonly endTime: HrTime;
  readonly duration: HrTime;
  readonly status: SpanStatus;
  readonly attributes: Attributes;
  readonly links: Link[] = [];
  readonly events: TimedEvent[];
  readonly ended = true;
  readonly instrumentationScope = INSTRUMENTATION_SCOPE;
  readonly droppedAttributesCount = 0;
  readonly droppedEventsCount = 0;
  readonly droppedLinksCount = 0;
  private readonly context: SpanContext;

  constructor(
    record: SpanRecord,
    readonly resource: Resource,
  ) {
    const { SpanKind, SpanStatusCode, TraceFlags } = loadOtel().api;
    const traceFlags = TraceFlags.SAMPLED;
    this.context = { traceId: record.traceId, spanId: record.spanId, traceFlags };
    this.parentSpanContext =
      record.parentSpanId === undefined
        ? undefined
        : { traceId: record.traceId, spanId: record.parentSpanId, traceFlags, isRemote: false };
    this.name = record.name;
    this.kind = SpanKind[KIND[record.kind]];
    this.startTime = msToHrTime(record.startMs);
    this.endTime = msToHrTime(record.endMs);
    this.duration = msToHrTime(record.endMs - record.startMs);
    this.status =
      record.status === 'error'
        ? { code: SpanStatusCode.ERROR, message: record.statusMessage }
        : { code: SpanStatusCode.OK };
    this.attributes = record.attributes;
    this.events = record.events === undefined ? [] : record.events.map(toTimedEvent);
  }

  spanContext(): SpanContext {
    return this.context;
  }
}

export function toReadableSpan(record: SpanRecord, resources: JobResources): ReadableSpan {
  return new ModelSpan(record, resources.get(record.job));
}
