import type { FaultHandle, FaultParams, ParamValue } from './faults/definition.js';
import type { KnobHandle } from './knob-handles.js';
import type { Rng } from './rng.js';
import type { Scheduler } from './scheduler.js';
import type { FieldValue, LogLevel, MetricWriter, SpanRecord } from './types.js';

export interface FaultState<V extends FaultParams = FaultParams> {
  params: V;
  /** Model time the fault was switched on. */
  since: number;
}

/** Trace context a log line or child span refers to. */
export interface TraceRef {
  traceId: string;
  spanId: string;
}

/** Logs and spans; absent when the consumer only wants metrics (replay), which skips their cost. */
export interface DetailEmitter {
  log(
    time: number,
    job: string,
    level: LogLevel,
    message: string,
    fields: Record<string, FieldValue>,
    trace?: TraceRef,
  ): void;
  span(record: SpanRecord): void;
  traceId(): string;
  spanId(): string;
}

/** What a service sees of the simulation. */
export interface ModelContext {
  readonly metrics: MetricWriter;
  readonly scheduler: Scheduler;
  readonly detail: DetailEmitter | undefined;
  /** An independent random stream for one purpose; the same name always gives the same stream. */
  rng(name: string): Rng;
  /** A switched-on fault's parameters (validated against its definition); undefined while it is off. */
  fault<V extends FaultParams>(fault: FaultHandle<string, V>): FaultState<V> | undefined;
  /** By name, for systems without compile-time types (declared systems). */
  fault(name: string): FaultState | undefined;
  knob<V extends ParamValue>(knob: KnobHandle<V>): V;
  knob(name: string): ParamValue;
  /** Objects services share (the portal's receipt ledger read by the guardian), by key. */
  shared<T>(key: string, create: () => T): T;
}
