import type { MetricDefinition } from '../model/metric-definitions.js';
import type { Rng } from '../model/rng.js';
import type { FieldValue, LogLevel, SpanKind } from '../model/types.js';
import type { Distribution } from './distribution.js';
import type { NumberSource } from './expression-scope.js';
import type { ValueSet } from './value-sets.js';

/** A system file compiled: what the runtime executes. Every reference in it has been checked. */

export type Vars = (name: string) => number;

export interface ServicePlan {
  name: string;
  job: string;
  instances: number;
}

export interface LabelPlan {
  name: string;
  set: ValueSet;
  /** Key of the resolved set shared by every user of the same declaration. */
  setKey: string;
}

/** How a gauge evolves on its own, per series. */
export interface GaugeBehaviour {
  /** State of one series, created when the series starts (or the fault that sets it begins). */
  init(start: number, current: number | undefined, vars: Vars): GaugeState;
}

export interface GaugeState {
  /** The value at `time`; `lookup` reads other metrics of the same series (derived gauges). */
  value(time: number, dtMs: number, rng: Rng, vars: Vars, lookup: (metric: string) => number): number;
}

export interface GaugePlan {
  behaviour: GaugeBehaviour;
  everyMs: number;
  /** Metrics a derived gauge reads, updated before it. */
  reads: readonly string[];
  /** Multiply by this label's value weight relative to the mean weight (tenants of different sizes). */
  scaleBy?: string;
  /** Whole numbers only. */
  round: boolean;
}

export interface MetricPlan {
  def: MetricDefinition;
  service: ServicePlan;
  labels: readonly LabelPlan[];
  gauge?: GaugePlan;
}

export type Condition = ReadonlyArray<{ label: string; values: readonly string[] }>;

export type LabelSource =
  { kind: 'literal'; value: string } | { kind: 'event'; label: string } | { kind: 'draw'; label: LabelPlan };

export interface ActionPlan {
  kind: 'inc' | 'dec' | 'observe' | 'set' | 'timestamp';
  metric: MetricPlan;
  labels: readonly LabelSource[];
  /** inc/dec: the amount; observe/set: the value; 'duration': the event's duration in seconds. */
  value: Distribution | 'duration' | undefined;
  when?: Condition;
  probability?: NumberSource;
}

export type FieldPlan =
  | { kind: 'literal'; value: FieldValue }
  | { kind: 'label'; label: string }
  | { kind: 'duration' }
  | { kind: 'faker'; set: ValueSet; key: string }
  | { kind: 'number'; draw: Distribution };

export interface LogPlan {
  level: LogLevel;
  message: string;
  fields: ReadonlyArray<[string, FieldPlan]>;
  when?: Condition;
  probability?: NumberSource;
}

export interface SpanPlan {
  name: string;
  kind: SpanKind;
  duration: Distribution | 'duration' | undefined;
  attributes: ReadonlyArray<[string, FieldPlan]>;
  error?: Condition;
  when?: Condition;
  children: readonly SpanPlan[];
}

export interface ShapePlan {
  daily: number;
  peakHour: number;
  wave?: { periodMs: number; amplitude: number };
  noise: number;
}

export interface EventPlan {
  name: string;
  service: ServicePlan;
  /** Per second, before shape and rate_scale. */
  rate: NumberSource;
  shape: ShapePlan | undefined;
  labels: readonly LabelPlan[];
  duration: Distribution | undefined;
  actions: readonly ActionPlan[];
  logs: readonly LogPlan[];
  trace?: { sample: NumberSource; root: SpanPlan };
}

/** A label value in an effect: literal, or a fault parameter resolved when the fault starts. */
export type ValueRef = { literal: string } | { param: string };

export type EffectPlan =
  | {
      kind: 'event';
      event: EventPlan;
      where: ReadonlyArray<[string, ValueRef]>;
      rate?: NumberSource;
      scale?: NumberSource;
      labels: ReadonlyArray<[string, ValueRef | { set: ValueSet; key: string }]>;
      duration?: Distribution;
    }
  | { kind: 'observe'; metric: MetricPlan; where: ReadonlyArray<[string, ValueRef]>; value: Distribution }
  | {
      kind: 'gauge';
      metric: MetricPlan;
      where: ReadonlyArray<[string, ValueRef]>;
      behaviour?: GaugeBehaviour;
      scale?: NumberSource;
      offset?: NumberSource;
    }
  | { kind: 'down'; service: ServicePlan; instance?: NumberSource };

export interface FaultPlan {
  name: string;
  effects: readonly EffectPlan[];
  /** Has a `since` duration parameter that back-dates the fault. */
  backDated: boolean;
}

export interface SystemPlan {
  name: string;
  services: readonly ServicePlan[];
  metrics: ReadonlyMap<string, MetricPlan>;
  events: readonly EventPlan[];
  faults: readonly FaultPlan[];
  /** Metrics with an own value, in update order (derived ones after what they read). */
  gauges: readonly MetricPlan[];
}
