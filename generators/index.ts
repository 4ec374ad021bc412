/** The generators as a library: the model, its systems and the live runner. */
export { VirtualClock, WallClock, type Clock } from './clock.js';
export { LiveGenerators, type LiveOptions, type TargetInfo } from './live/live-generators.js';
export { loadSystem, parseSystem } from './declared/load-system.js';
export { Simulation, type SimulationOptions } from './model/simulation.js';
export type { HeadlineQuery, ServiceModel, SystemDefinition } from './model/system.js';
export type { ModelContext, DetailEmitter, FaultState } from './model/context.js';
export type { MetricDefinition } from './model/metric-definitions.js';
export type { FaultDefinition, ParamSpec } from './model/faults/definition.js';
export type { LogRecord, MetricWriter, ModelSink, SpanRecord } from './model/types.js';
export { MemoryMetrics } from './outputs/metrics/memory-store.js';
export { defaultSystems, jobsOf } from './systems/index.js';
export { defineFault, type ParamSpecs, type ParamValueOf } from './model/faults/definition.js';
export {
  defineCounter,
  defineGauge,
  defineHistogram,
  defineSummary,
  TypedMetricWriter,
  type MetricHandle,
} from './model/metric-handles.js';
export { knobHandles, type KnobHandle, type KnobHandles } from './model/knob-handles.js';
export { byName } from './model/by-name.js';
