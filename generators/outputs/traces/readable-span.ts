import { SpanKind, SpanStatusCode, TraceFlags } from '@opentelemetry/api';
import type { Attributes, HrTime, Link, SpanContext, SpanStatus } from '@opentelemetry/api';
import { SDK_INFO } from '@opentelemetry/core';
import type { InstrumentationScope } from '@opentelemetry/core';
import { resourceFromAttributes } from '@opentelemetry/resources';
import type { Resource } from '@opentelemetry/resources';
import type { ReadableSpan, TimedEvent } from '@opentelemetry/sdk-trace-base';
import {
  ATTR_DEPLOYMENT_ENVIRONMENT_NAME,
  ATTR_SERVICE_NAME,
  ATTR_SERVICE_NAMESPACE,
  ATTR_SERVICE_VERSION,
} from '@opentelemetry/semantic-conventions';
import type { SpanEventRecord, SpanRecord } from '../../model/types.js';

export const INSTRUMENTATION_SCOPE: InstrumentationScope = { name: 'obs-sandbox/generators' };

const KIND: Readonly<Record<SpanRecord['kind'], SpanKind>> = {
  internal: SpanKind.INTERNAL,
  server: SpanKind.SERVER,
  client: SpanKind.CLIENT,
  producer: SpanKind.PRODUCER,
  consumer: SpanKind.CONSUMER,
};

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
      resource = resourceFromAttributes({
        ...SDK_INFO,
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
    const traceFlags = TraceFlags.SAMPLED;
    this.context = { traceId: record.traceId, spanId: record.spanId, traceFlags };
    this.parentSpanContext =
      record.parentSpanId === undefined
        ? undefined
        : { traceId: record.traceId, spanId: record.parentSpanId, traceFlags, isRemote: false };
    this.name = record.name;
    this.kind = KIND[record.kind];
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
