import type { FaultState } from '../model/context.js';
import type { Rng } from '../model/rng.js';
import type { Labels } from '../model/types.js';
import { matches, type ActiveEffect } from './active-faults.js';
import type { RuntimeContext } from './event-runner.js';
import type { GaugeState, MetricPlan } from './plan.js';
import { shareOf } from './value-sets.js';

interface Override {
  activation: FaultState;
  state: GaugeState;
}

interface GaugeSeries {
  labels: Labels;
  instance: number;
  base: GaugeState;
  overrides: Map<ActiveEffect<'gauge'>['effect'], Override>;
  last: number | undefined;
}

/** Every combination of the metric's label values, on every target of its service. */
export function seriesOf(metric: MetricPlan, rt: RuntimeContext): { labels: Labels; instance: number }[] {
  const sets = metric.labels.map((l) => rt.resolve(l.set, l.setKey).values);
  let combos: string[][] = [[]];
  for (const values of sets) combos = combos.flatMap((combo) => values.map((v) => [...combo, v]));
  const out: { labels: Labels; instance: number }[] = [];
  for (let instance = 0; instance < metric.service.instances; instance++) {
    for (const combo of combos) out.push({ labels: rt.table.labels(metric, combo), instance });
  }
  return out;
}

/** Updates one gauge that evolves on its own, series by series, every `every`. */
export class GaugeRunner {
  private readonly rng: Rng;
  private series: GaugeSeries[] = [];
  private lastUpdate = 0;

  constructor(
    private readonly metric: MetricPlan,
    private readonly rt: RuntimeContext,
    private readonly metrics: ReadonlyMap<string, MetricPlan>,
    system: string,
  ) {
    this.rng = rt.model.rng(`${system}.gauge.${metric.def.name}`);
  }

  start(time: number): void {
    const { behaviour } = this.metric.gauge!;
    this.series = seriesOf(this.metric, this.rt).map(({ labels, instance }) => ({
      labels,
      instance,
      base: behaviour.init(time, undefined, this.rt.knobs),
      overrides: new Map(),
      last: undefined,
    }));
    this.lastUpdate = time;
    this.update(time, 0, []);
  }

  tick(time: number, effects: readonly ActiveEffect<'gauge'>[]): void {
    if (time - this.lastUpdate < this.metric.gauge!.everyMs) return;
    const dt = time - this.lastUpdate;
    this.lastUpdate = time;
    this.update(
      time,
      dt,
      effects.filter((e) => e.effect.metric === this.metric),
    );
  }

  private update(time: number, dtMs: number, effects: readonly ActiveEffect<'gauge'>[]): void {
    const { knobs, table } = this.rt;
    const { scaleBy, round } = this.metric.gauge!;
    const scaleSet = scaleBy === undefined ? undefined : this.metric.labels.find((l) => l.name === scaleBy)!;
    for (const s of this.series) {
      const lookup = (name: string) => table.read(this.metrics.get(name)!, s.labels, s.instance);
      let value = s.base.value(time, dtMs, this.rng, knobs, lookup);
      for (const { effect, fault } of effects) {
        if (!matches(effect.where, s.labels, fault)) continue;
        if (effect.behaviour) {
          let override = s.overrides.get(effect);
          if (override?.activation !== fault.state) {
            override = {
              activation: fault.state,
              state: effect.behaviour.init(fault.origin, s.last, fault.vars),
            };
            s.overrides.set(effect, override);
          }
          value = override.state.value(time, dtMs, this.rng, fault.vars, lookup);
        }
        if (effect.scale) value *= effect.scale(fault.vars);
        if (effect.offset) value += effect.offset(fault.vars);
      }
      if (s.overrides.size > 0) {
        for (const [effect, override] of s.overrides) {
          if (!effects.some((e) => e.effect === effect && e.fault.state === override.activation)) {
            s.overrides.delete(effect);
          }
        }
      }
      s.last = value;
      if (scaleSet) {
        const set = this.rt.resolve(scaleSet.set, scaleSet.setKey);
        value *= shareOf(set, s.labels[scaleBy!]!, knobs) * set.values.length;
      }
      if (round) value = Math.round(value);
      table.set(this.metric, s.labels, value, s.instance);
    }
  }
}
