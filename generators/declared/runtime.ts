import type { FaultState, ModelContext } from '../model/context.js';
import type { FaultDefinition, ParamSpec } from '../model/faults/definition.js';
import type { ServiceModel } from '../model/system.js';
import { activate, effectsOf, type ActiveFault } from './active-faults.js';
import { EventRunner, type RuntimeContext } from './event-runner.js';
import { GaugeRunner, seriesOf } from './gauge-runner.js';
import type { SystemPlan, Vars } from './plan.js';
import { SeriesTable } from './series-table.js';
import { resolveSet, type ResolvedSet } from './value-sets.js';

/** A declared system running in the model: its events, its gauges, and its faults switched on and off. */
export class DeclaredRuntime implements ServiceModel {
  private readonly rt: RuntimeContext;
  private readonly events: EventRunner[];
  private readonly gauges: GaugeRunner[];
  private readonly seen = new Map<string, FaultState>();
  private active: ActiveFault[] = [];
  private readonly down = new Set<string>();

  constructor(
    private readonly plan: SystemPlan,
    private readonly ctx: ModelContext,
    private readonly definitions: ReadonlyMap<string, FaultDefinition>,
    knobSpecs: Readonly<Record<string, ParamSpec>>,
  ) {
    const knobs: Vars = (name) => {
      const value = ctx.knob(name);
      return knobSpecs[name]?.type === 'duration' ? Number(value) / 1000 : Number(value);
    };
    const sets = new Map<string, ResolvedSet>();
    const tracked = new Set<string>();
    for (const metric of plan.metrics.values())
      for (const read of metric.gauge?.reads ?? []) tracked.add(read);
    for (const event of plan.events) {
      for (const action of event.actions)
        if (action.kind === 'timestamp') tracked.add(action.metric.def.name);
    }
    this.rt = {
      model: ctx,
      table: new SeriesTable(ctx.metrics, tracked),
      knobs,
      resolve: (set, key) => {
        let resolved = sets.get(key);
        if (!resolved) {
          resolved = resolveSet(set, () => ctx.rng(`${plan.name}.values.${key}`));
          sets.set(key, resolved);
        }
        return resolved;
      },
    };
    this.events = plan.events.map((e) => new EventRunner(e, this.rt, plan.name));
    this.gauges = plan.gauges.map((m) => new GaugeRunner(m, this.rt, plan.metrics, plan.name));
  }

  start(time: number): void {
    for (const service of this.plan.services) this.ctx.metrics.setTargetUp(service.job, true);
    const timestamps = new Set(
      this.plan.events.flatMap((e) => e.actions.filter((a) => a.kind === 'timestamp').map((a) => a.metric)),
    );
    for (const metric of this.plan.metrics.values()) {
      if (metric.gauge) continue;
      // "Last seen" gauges start at the start: the system was healthy before the simulation began.
      const stamp = timestamps.has(metric);
      if (metric.def.type === 'gauge' && !stamp && !this.changedByEvents(metric.def.name)) continue;
      for (const { labels, instance } of seriesOf(metric, this.rt)) {
        if (stamp) this.rt.table.set(metric, labels, time / 1000, instance);
        else this.rt.table.touch(metric, labels, instance);
      }
    }
    this.refreshFaults(time);
    for (const gauge of this.gauges) gauge.start(time);
  }

  tick(time: number, dtMs: number): void {
    this.refreshFaults(time);
    const observe = effectsOf(this.active, 'observe');
    for (const event of this.events) {
      event.observeOverrides = observe;
      event.tick(time, dtMs, this.active);
    }
    const gaugeEffects = effectsOf(this.active, 'gauge');
    for (const gauge of this.gauges) gauge.tick(time, gaugeEffects);
  }

  /** Gauges that events count up and down start at 0; those they only set appear when first set. */
  private changedByEvents(metric: string): boolean {
    return this.plan.events.some((e) =>
      e.actions.some((a) => a.metric.def.name === metric && (a.kind === 'inc' || a.kind === 'dec')),
    );
  }

  /** Picks up faults switched on, changed or off since the last tick. */
  private refreshFaults(time: number): void {
    let changed = false;
    for (const fault of this.plan.faults) {
      const state = this.ctx.fault(fault.name);
      if (state === this.seen.get(fault.name)) continue;
      changed = true;
      if (state) {
        this.seen.set(fault.name, state);
        const active = activate(fault, this.definitions.get(fault.name)!, state, this.rt.knobs);
        if (fault.backDated) this.backDate(active);
      } else {
        this.seen.delete(fault.name);
      }
    }
    if (!changed) return;
    this.active = this.plan.faults
      .filter((f) => this.seen.has(f.name))
      .map((f) => activate(f, this.definitions.get(f.name)!, this.seen.get(f.name)!, this.rt.knobs));
    this.applyDown(time);
  }

  /** A back-dated fault that stops an event moves its "last seen" timestamps back to when it began. */
  private backDate(fault: ActiveFault): void {
    for (const effect of fault.plan.effects) {
      if (effect.kind !== 'event' || effect.where.length > 0) continue;
      const stops =
        (effect.rate && effect.rate(fault.vars) === 0) || (effect.scale && effect.scale(fault.vars) === 0);
      if (!stops) continue;
      for (const action of effect.event.actions) {
        if (action.kind !== 'timestamp') continue;
        const values = this.rt.table.series(action.metric.def.name);
        for (const [key, value] of values ?? []) {
          const [instance, ...labelValues] = key.split('\u0001');
          const labels = this.rt.table.labels(action.metric, labelValues);
          this.rt.table.set(action.metric, labels, Math.min(value, fault.origin / 1000), Number(instance));
        }
      }
    }
  }

  private applyDown(time: number): void {
    const wanted = new Set<string>();
    for (const { effect, fault } of effectsOf(this.active, 'down')) {
      const { job, instances } = effect.service;
      if (!effect.instance) {
        for (let i = 0; i < instances; i++) wanted.add(`${job}\u0001${i}`);
        continue;
      }
      const i = Math.round(effect.instance(fault.vars));
      if (i >= 0 && i < instances) wanted.add(`${job}\u0001${i}`);
    }
    for (const key of [...this.down]) {
      if (wanted.has(key)) continue;
      this.down.delete(key);
      this.target(key, true, time);
    }
    for (const key of wanted) {
      if (this.down.has(key)) continue;
      this.down.add(key);
      this.target(key, false, time);
    }
  }

  private target(key: string, up: boolean, time: number): void {
    const [job, instance] = key.split('\u0001') as [string, string];
    this.ctx.metrics.setTargetUp(job, up, Number(instance));
    const message = up
      ? 'metrics endpoint recovered'
      : 'metrics endpoint crashed: scrape target not answering';
    this.ctx.detail?.log(time, job, up ? 'info' : 'error', message, { instance: Number(instance) });
  }
}
