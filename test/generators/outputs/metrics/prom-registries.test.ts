import { describe, expect, it } from 'vitest';
import { ModelTime } from '../../../../generators/model/model-time.js';
import { Simulation } from '../../../../generators/model/simulation.js';
import type { MetricWriter } from '../../../../generators/model/types.js';
import { HandOverMetrics } from '../../../../generators/outputs/metrics/hand-over-metrics.js';
import { MemoryMetrics } from '../../../../generators/outputs/metrics/memory-store.js';
import { PromRegistries } from '../../../../generators/outputs/metrics/prom-registries.js';
import type { SystemDefinition } from '../../../../generators/model/system.js';
import { defaultSystems } from '../../../../generators/systems/index.js';
import { targetsOf } from '../../../../generators/systems/targets.js';
import { demo } from '../../../support/demo-system.js';

const T0 = Date.UTC(2026, 0, 1);
const MINUTE = 60_000;

/** The model writing to `metrics`. */
function model(
  systems: readonly SystemDefinition[],
  time: ModelTime,
  metrics: (registries: PromRegistries) => MetricWriter,
) {
  const definitions = systems.flatMap((s) => s.metrics);
  const registries = new PromRegistries(definitions, targetsOf(systems), { now: time.now });
  const simulation = time.follow(
    new Simulation({
      systems,
      seed: 11,
      startTime: T0,
      sink: { metrics: metrics(registries) },
      knobs: systems.includes(demo) ? {} : { rate_scale: 0.2 },
    }),
  );
  return { registries, simulation };
}

/** Every target's exposition and whether it is up. */
async function served(registries: PromRegistries) {
  return Promise.all(
    registries.targets().map(async ({ job, instance }) => ({
      job,
      instance,
      up: registries.isUp(job, instance),
      text: await registries.registry(job, instance).metrics(),
    })),
  );
}

/** The default systems have histograms; the demo system a summary, and a job of several targets. */
const SYSTEMS = { default: defaultSystems(), demo: [demo] };

describe('registries loaded from a store', () => {
  it.each(Object.entries(SYSTEMS))(
    'serve what they would had the model written to them all along, and go on alike (%s)',
    async (name, systems) => {
      const direct = model(systems, new ModelTime(T0), (registries) => registries);
      const time = new ModelTime(T0);
      const store = new MemoryMetrics(
        systems.flatMap((s) => s.metrics),
        { now: time.now },
      );
      const handOver = new HandOverMetrics(store);
      const loaded = model(systems, time, () => handOver);
      for (const { simulation } of [direct, loaded]) simulation.advanceTo(T0 + 40 * MINUTE);
      loaded.registries.load(store);
      handOver.handOver(loaded.registries);
      const before = await served(direct.registries);
      const kind = name === 'demo' ? 'quantile=' : '_bucket{le="+Inf"';
      expect(before.some((t) => t.text.includes(kind))).toBe(true);
      expect(await served(loaded.registries)).toEqual(before);
      for (const { simulation } of [direct, loaded]) simulation.advanceTo(T0 + 50 * MINUTE);
      expect(await served(loaded.registries)).toEqual(await served(direct.registries));
    },
  );
});
