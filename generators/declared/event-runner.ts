import type { ModelContext, TraceRef } from '../model/context.js';
import type { Rng } from '../model/rng.js';
import { TraceWriter } from '../model/trace-writer.js';
import type { FieldValue, Labels } from '../model/types.js';
import { effectsOf, matches, resolveRef, type ActiveEffect, type ActiveFault } from './active-faults.js';
import type { Distribution } from './distribution.js';
import type { ActionPlan, Condition, EventPlan, FieldPlan, SpanPlan, Vars } from './plan.js';
import type { SeriesTable } from './series-table.js';
import { drawIndex, shareOf, type ResolvedSet, type ValueSet } from './value-sets.js';

const DAY_MS = 86_400_000;
const HOUR_MS = 3_600_000;
/** Time constant of the rate noise: the rate drifts over minutes, not from one second to the next. */
const NOISE_TAU_MS = 300_000;

/** What an event runner shares with the rest of its system's runtime. */
export interface RuntimeContext {
  model: ModelContext;
  table: SeriesTable;
  knobs: Vars;
  resolve(set: ValueSet, key: string): ResolvedSet;
}

interface Occurrence {
  time: number;
  instance: number;
  labels: Record<string, string>;
  /** Seconds. */
  duration: number;
}

interface SpanTimes {
  ms: number;
  children: (SpanTimes | null)[];
}

interface Stream {
  rate: number;
  forced?: Record<string, string>;
}

const conditionHolds = (condition: Condition | undefined, labels: Labels) =>
  !condition || condition.every((c) => c.values.includes(labels[c.label]!));

/** Runs one declared event: occurrences at its rate, their metric updates, logs and traces. */
export class EventRunner {
  private readonly rng: Rng;
  private readonly detailRng: Rng;
  private readonly shapeRng: Rng;
  private noise = 0;
  private readonly labelSets: ResolvedSet[];

  constructor(
    private readonly event: EventPlan,
    private readonly rt: RuntimeContext,
    system: string,
  ) {
    this.rng = rt.model.rng(`${system}.event.${event.name}`);
    this.detailRng = rt.model.rng(`${system}.event.${event.name}.detail`);
    this.shapeRng = rt.model.rng(`${system}.event.${event.name}.shape`);
    this.labelSets = event.labels.map((l) => rt.resolve(l.set, l.setKey));
  }

  tick(time: number, dtMs: number, active: readonly ActiveFault[]): void {
    const effects = effectsOf(active, 'event').filter((e) => e.effect.event === this.event);
    const base = this.baseRate(time, dtMs);
    let rate = base;
    const streams: Stream[] = [];
    const drops: { effect: ActiveEffect<'event'>; chance: number }[] = [];
    for (const e of effects) {
      const { effect, fault } = e;
      if (effect.rate === undefined && effect.scale === undefined) continue;
      if (effect.where.length === 0) {
        if (effect.rate) rate = effect.rate(fault.vars);
        if (effect.scale) rate *= effect.scale(fault.vars);
        continue;
      }
      const forced = Object.fromEntries(effect.where.map(([name, ref]) => [name, resolveRef(ref, fault)]));
      if (effect.rate) {
        drops.push({ effect: e, chance: 1 });
        streams.push({ rate: effect.rate(fault.vars), forced });
      }
      if (effect.scale) {
        const scale = effect.scale(fault.vars);
        if (scale >= 1) streams.push({ rate: base * this.share(forced) * (scale - 1), forced });
        else drops.push({ effect: e, chance: 1 - Math.max(0, scale) });
      }
    }
    streams.unshift({ rate });
    const instances = this.event.service.instances;
    for (const stream of streams) {
      const count = this.rng.poisson((Math.max(0, stream.rate) * dtMs) / 1000);
      const times: number[] = [];
      for (let i = 0; i < count; i++) times.push(time - dtMs * this.rng.float());
      times.sort((a, b) => a - b);
      for (const t of times) {
        const instance = instances === 1 ? 0 : this.rng.int(instances);
        this.occur(t, instance, stream.forced, effects, drops);
      }
    }
  }

  private baseRate(time: number, dtMs: number): number {
    const { shape } = this.event;
    let rate = this.event.rate(this.rt.knobs) * this.rt.knobs('rate_scale');
    if (!shape) return rate;
    if (shape.daily > 0)
      rate *= 1 + shape.daily * Math.cos((2 * Math.PI * (time - shape.peakHour * HOUR_MS)) / DAY_MS);
    if (shape.wave) rate *= 1 + shape.wave.amplitude * Math.sin((2 * Math.PI * time) / shape.wave.periodMs);
    if (shape.noise > 0) {
      // Ornstein-Uhlenbeck: a drift that reverts to 0, with `noise` as its typical size.
      const k = Math.min(1, dtMs / NOISE_TAU_MS);
      this.noise += -this.noise * k + shape.noise * Math.sqrt(2 * k) * this.shapeRng.normal();
      rate *= Math.max(0, 1 + this.noise);
    }
    return rate;
  }

  /** The share of occurrences whose labels are `forced` under the normal draws. */
  private share(forced: Record<string, string>): number {
    let share = 1;
    this.event.labels.forEach((l, i) => {
      const value = forced[l.name];
      if (value !== undefined) share *= shareOf(this.labelSets[i]!, value, this.rt.knobs);
    });
    return share;
  }

  private occur(
    time: number,
    instance: number,
    forced: Record<string, string> | undefined,
    effects: readonly ActiveEffect<'event'>[],
    drops: readonly { effect: ActiveEffect<'event'>; chance: number }[],
  ): void {
    const labels: Record<string, string> = {};
    this.event.labels.forEach((l, i) => {
      const set = this.labelSets[i]!;
      labels[l.name] = forced?.[l.name] ?? set.values[drawIndex(set, this.rng, this.rt.knobs)]!;
    });
    if (!forced) {
      for (const { effect, chance } of drops) {
        if (matches(effect.effect.where, labels, effect.fault) && this.rng.chance(chance)) return;
      }
    }
    let duration: Distribution | undefined = this.event.duration;
    let durationVars = this.rt.knobs;
    for (const { effect, fault } of effects) {
      if (!matches(effect.where, labels, fault)) continue;
      for (const [name, value] of effect.labels) {
        if ('set' in value) {
          const set = this.rt.resolve(value.set, value.key);
          labels[name] = set.values[drawIndex(set, this.rng, fault.vars)]!;
        } else {
          labels[name] = resolveRef(value, fault);
        }
      }
      if (effect.duration) {
        duration = effect.duration;
        durationVars = fault.vars;
      }
    }
    const occurrence: Occurrence = {
      time,
      instance,
      labels,
      duration: duration ? Math.max(0, duration(this.rng, durationVars)) : 0,
    };
    for (const action of this.event.actions) this.act(action, occurrence);
    if (this.rt.model.detail) this.describe(occurrence);
  }

  private act(action: ActionPlan, occ: Occurrence): void {
    if (!conditionHolds(action.when, occ.labels)) return;
    if (action.probability && !this.rng.chance(action.probability(this.rt.knobs))) return;
    const values = action.labels.map((source) => {
      if (source.kind === 'literal') return source.value;
      if (source.kind === 'event') return occ.labels[source.label]!;
      const set = this.rt.resolve(source.label.set, source.label.setKey);
      return set.values[drawIndex(set, this.rng, this.rt.knobs)]!;
    });
    const { table } = this.rt;
    const metric = action.metric;
    const labels = table.labels(metric, values);
    const draw = () =>
      action.value === 'duration' ? occ.duration : action.value ? action.value(this.rng, this.rt.knobs) : 1;
    switch (action.kind) {
      case 'inc':
        table.add(metric, labels, draw(), occ.instance);
        return;
      case 'dec':
        table.add(metric, labels, -draw(), occ.instance);
        return;
      case 'set':
        table.set(metric, labels, draw(), occ.instance);
        return;
      case 'timestamp':
        table.set(metric, labels, occ.time / 1000, occ.instance);
        return;
      case 'observe': {
        let value: number | undefined;
        for (const { effect, fault } of this.observeOverrides) {
          if (effect.metric === metric && matches(effect.where, labels, fault)) {
            value = effect.value(this.rng, fault.vars);
          }
        }
        table.observe(metric, labels, Math.max(0, value ?? draw()), occ.instance);
      }
    }
  }

  /** Observe effects of the faults now on, set by the runtime before each tick. */
  observeOverrides: readonly ActiveEffect<'observe'>[] = [];

  private describe(occ: Occurrence): void {
    const detail = this.rt.model.detail!;
    const trace = this.event.trace;
    // A field drawn once per event: every log line and span of one event carries the same value.
    const drawn = new Map<string, FieldValue>();
    let root: TraceRef | undefined;
    if (trace && this.detailRng.chance(trace.sample(this.rt.knobs))) {
      root = this.traceSpans(trace.root, occ, drawn);
    }
    for (const log of this.event.logs) {
      if (!conditionHolds(log.when, occ.labels)) continue;
      if (log.probability && !this.detailRng.chance(log.probability(this.rt.knobs))) continue;
      const fields = this.fields(log.fields, occ, root, drawn);
      detail.log(occ.time, this.event.service.job, log.level, log.message, fields, root);
    }
  }

  private fields(
    plans: ReadonlyArray<[string, FieldPlan]>,
    occ: Occurrence,
    root: TraceRef | undefined,
    drawn: Map<string, FieldValue>,
  ) {
    const out: Record<string, FieldValue> = {};
    for (const [name, plan] of plans) {
      switch (plan.kind) {
        case 'literal':
          out[name] = plan.value;
          break;
        case 'label':
          out[name] = occ.labels[plan.label]!;
          break;
        case 'duration':
          out[name] = Math.round(occ.duration * 1000);
          break;
        case 'faker':
        case 'number': {
          let value = drawn.get(name);
          if (value === undefined) {
            value =
              plan.kind === 'faker'
                ? this.detailRng.pick(this.rt.resolve(plan.set, plan.key).values)
                : Math.round(plan.draw(this.detailRng, this.rt.knobs) * 1000) / 1000;
            drawn.set(name, value);
          }
          out[name] = value;
        }
      }
    }
    return out;
  }

  /** Durations of a span tree (ms), children one after the other inside their parent; absent spans are null. */
  private layout(span: SpanPlan, occ: Occurrence): SpanTimes | null {
    if (!conditionHolds(span.when, occ.labels)) return null;
    const children = span.children.map((c) => this.layout(c, occ));
    const own =
      span.duration === 'duration'
        ? occ.duration * 1000
        : span.duration
          ? Math.max(0, span.duration(this.detailRng, this.rt.knobs)) * 1000
          : 0;
    return {
      ms: Math.max(
        own,
        children.reduce((sum, c) => sum + (c?.ms ?? 0), 0),
      ),
      children,
    };
  }

  private traceSpans(root: SpanPlan, occ: Occurrence, drawn: Map<string, FieldValue>): TraceRef {
    const writer = new TraceWriter(this.rt.model.detail!, this.event.service.job);
    const emit = (span: SpanPlan, times: SpanTimes, start: number, parent?: TraceRef) => {
      const failed = span.error !== undefined && conditionHolds(span.error, occ.labels);
      const ref = writer.span(span.name, start, start + times.ms, {
        parent,
        kind: span.kind,
        attributes: this.fields(span.attributes, occ, undefined, drawn),
        error: failed ? `${span.name} failed` : undefined,
      });
      let cursor = start;
      span.children.forEach((child, i) => {
        const childTimes = times.children[i];
        if (!childTimes) return;
        emit(child, childTimes, cursor, ref);
        cursor += childTimes.ms;
      });
      return ref;
    };
    return emit(root, this.layout(root, occ) ?? { ms: 0, children: [] }, occ.time);
  }
}
