import type { MetricDefinition } from './metric-definitions.js';
import type { DetailEmitter, FaultState, ModelContext } from './context.js';
import { UserError, didYouMean } from '../user-error.js';
import { FaultCatalogue, type FaultActivation, type FaultRequest } from './faults/fault-catalogue.js';
import {
  faultParamsSchema,
  type FaultDefinition,
  type ParamSpec,
  type ParamValue,
} from './faults/definition.js';
import type { KnobHandle } from './knob-handles.js';
import { Rng } from './rng.js';
import { Scheduler } from './scheduler.js';
import type { ServiceModel, SystemDefinition } from './system.js';
import type { ModelSink } from './types.js';

export interface SimulationOptions {
  systems: readonly SystemDefinition[];
  seed: number | string;
  /** Model time of the first tick, in ms since the Unix epoch. */
  startTime: number;
  sink: ModelSink;
  /** Length of one step of model time; every rate is sampled per tick. */
  tickMs?: number;
  knobs?: Readonly<Record<string, unknown>>;
  faults?: readonly FaultRequest[];
  /** The faults of `systems`, when the caller has them already (a system catalogue); built from them if not. */
  faultCatalogue?: FaultCatalogue;
}

/**
 * The deterministic, clock-driven model: it advances only when told the time, draws randomness only from
 * seeded streams, and writes everything it produces into the sink.
 */
export class Simulation {
  readonly faults: FaultCatalogue;
  readonly metrics: readonly MetricDefinition[];
  readonly knobSpecs: Readonly<Record<string, ParamSpec>>;
  private readonly tickMs: number;
  private readonly services: ServiceModel[] = [];
  private readonly active = new Map<string, FaultState>();
  private readonly knobValues: Record<string, ParamValue>;
  private readonly scheduler = new Scheduler();
  private readonly rootRng: Rng;
  private readonly rngs = new Map<string, Rng>();
  private readonly sharedObjects = new Map<string, unknown>();
  private detailMuted = false;
  private time: number;

  constructor(private readonly options: SimulationOptions) {
    this.tickMs = options.tickMs ?? 1000;
    assertModelTime(options.startTime);
    this.time = options.startTime;
    this.rootRng = new Rng(options.seed);
    this.faults = options.faultCatalogue ?? new FaultCatalogue(options.systems.flatMap((s) => s.faults));
    this.metrics = options.systems.flatMap((s) => s.metrics);
    this.knobSpecs = Object.assign({}, ...options.systems.map((s) => s.knobs));
    this.knobValues = this.validateKnobs({ ...options.knobs });
    for (const fault of options.faults ?? []) this.setFault(fault);
    const ctx = this.context(createDetail(options.sink, this.rng('detail-ids')));
    for (const system of options.systems) this.services.push(...system.createServices(ctx));
    for (const service of this.services) service.start(this.time);
  }

  /** Current model time in ms since the Unix epoch. */
  now(): number {
    return this.time;
  }

  /** Runs every tick that ends at or before `time`. */
  advanceTo(time: number): void {
    this.advanceTowards(time, Infinity);
  }

  /**
   * Runs at most `ticks` of the ticks that end at or before `time`; returns whether none is left (so that an
   * adapter can cut long runs into slices and let other work in between).
   */
  advanceTowards(time: number, ticks: number): boolean {
    assertModelTime(time);
    for (let run = 0; this.time + this.tickMs <= time; run++) {
      if (run >= ticks) return false;
      const next = this.time + this.tickMs;
      this.scheduler.runUntil(next);
      for (const service of this.services) service.tick(next, this.tickMs);
      this.time = next;
    }
    return true;
  }

  /**
   * Stops (or resumes) producing logs and spans: the services then skip drawing their ids and fields, as
   * without a sink for them. The metrics are the same either way (logs and spans draw from streams of
   * their own); the logs and spans after muted time are not those the sink would have had unmuted.
   */
  muteDetail(muted: boolean): void {
    this.detailMuted = muted;
  }

  /** Switches a fault on (or changes its parameters) from the current model time. */
  setFault(request: FaultRequest): void {
    const { name, params } = this.faults.validate(request.name, request.params);
    this.active.set(name, { params, since: this.time });
  }

  clearFault(name: string): void {
    this.faults.get(name);
    this.active.delete(name);
  }

  activeFaults(): FaultActivation[] {
    return [...this.active].map(([name, state]) => ({ name, params: state.params }));
  }

  setKnob(name: string, value: unknown): void {
    Object.assign(this.knobValues, this.validateKnobs({ ...this.knobValues, [name]: value }));
  }

  knobs(): Readonly<Record<string, ParamValue>> {
    return { ...this.knobValues };
  }

  private validateKnobs(values: Record<string, unknown>): Record<string, ParamValue> {
    const definition = { name: 'knobs', summary: '', service: '', alerts: [], params: this.knobSpecs };
    const result = faultParamsSchema(definition).safeParse(values);
    if (result.success) return result.data;
    const issue = result.error.issues[0];
    if (issue?.code === 'unrecognized_keys') {
      const key = issue.keys[0] ?? '';
      throw new UserError(`unknown traffic knob "${key}"${didYouMean(key, Object.keys(this.knobSpecs))}`);
    }
    throw new UserError(`traffic knob ${String(issue?.path[0] ?? '')}: ${issue?.message ?? 'invalid'}`);
  }

  private rng(name: string): Rng {
    let rng = this.rngs.get(name);
    if (!rng) {
      rng = this.rootRng.fork(name);
      this.rngs.set(name, rng);
    }
    return rng;
  }

  private context(detail: DetailEmitter | undefined): ModelContext {
    // A handle's parameter and knob types hold: the values were validated against the handle's own specs.
    const fault = (f: string | FaultDefinition) => this.active.get(typeof f === 'string' ? f : f.name);
    const knob = (k: string | KnobHandle) => {
      const name = typeof k === 'string' ? k : k.name;
      const value = this.knobValues[name];
      if (value === undefined) throw new Error(`knob ${name} is not defined by any system`);
      return value;
    };
    const muted = () => this.detailMuted;
    return {
      metrics: this.options.sink.metrics,
      scheduler: this.scheduler,
      get detail() {
        return muted() ? undefined : detail;
      },
      rng: (name) => this.rng(name),
      fault: fault as ModelContext['fault'],
      knob: knob as ModelContext['knob'],
      shared: <T>(key: string, create: () => T): T => {
        if (!this.sharedObjects.has(key)) this.sharedObjects.set(key, create());
        return this.sharedObjects.get(key) as T;
      },
    };
  }
}

/** The latest time a JavaScript Date can hold: beyond it (or at Infinity) model time would turn into NaN. */
const MAX_MODEL_TIME = 8.64e15;

/** Model time must be a finite epoch time: a clock run absurdly fast must fail, not produce NaN metrics. */
function assertModelTime(time: number): void {
  if (!(Math.abs(time) <= MAX_MODEL_TIME)) {
    throw new RangeError(`model time ${time} is not a time the model can run to (at most year 275760)`);
  }
}

function createDetail(sink: ModelSink, ids: Rng): DetailEmitter | undefined {
  const { log, span } = sink;
  if (!log && !span) return undefined;
  return {
    log: (timeMs, job, level, message, fields, trace) =>
      log?.call(sink, {
        timeMs,
        job,
        level,
        message,
        fields,
        traceId: trace?.traceId,
        spanId: trace?.spanId,
      }),
    span: (record) => span?.call(sink, record),
    traceId: () => ids.hex(16),
    spanId: () => ids.hex(8),
  };
}
