import { Histogram, Registry } from 'prom-client';
import { describe, expect, it } from 'vitest';
import type { MetricDefinition } from '../../../../generators/model/metric-definitions.js';
import { ModelHistogram } from '../../../../generators/outputs/metrics/model-histogram.js';

const LATENCY: MetricDefinition = {
  name: 'demo_latency_seconds',
  help: 'Latency.',
  type: 'histogram',
  job: 'demo',
  labelNames: ['route', 'code'],
  buckets: [0.01, 0.1, 1],
  source: 'seed',
};
const PLAIN: MetricDefinition = { ...LATENCY, name: 'demo_plain_seconds', labelNames: [] };

/** prom-client's own histogram and a ModelHistogram, each in a registry of its own. */
function pair(def: MetricDefinition) {
  const theirs = new Registry();
  const ours = new Registry();
  const histogram = new Histogram({
    name: def.name,
    help: def.help,
    labelNames: [...def.labelNames],
    buckets: [...(def.buckets ?? [])],
    registers: [theirs],
  });
  return { theirs, ours, histogram, model: new ModelHistogram(def, ours) };
}

describe('a model histogram', () => {
  it("renders what prom-client's histogram renders for the same observations, removals and zeroings", async () => {
    const { theirs, ours, histogram, model } = pair(LATENCY);
    const a = { route: '/a', code: '200' };
    const b = { code: '500', route: '/b' };
    for (const [labels, value] of [
      [a, 0.005],
      [b, 0.01],
      [a, 0.5],
      [b, 7],
      [a, 0.1],
    ] as const) {
      histogram.observe(labels, value);
      model.observe(labels, value);
    }
    expect(await ours.metrics()).toBe(await theirs.metrics());
    expect(await ours.getMetricsAsJSON()).toEqual(await theirs.getMetricsAsJSON());
    histogram.remove(a);
    model.remove(a);
    histogram.zero(b);
    model.zero(b);
    histogram.observe({ ...a }, 0.2);
    model.observe({ ...a }, 0.2);
    expect(await ours.metrics()).toBe(await theirs.metrics());
  });

  it('serves a histogram without labels at zero from the start, as prom-client does', async () => {
    const { theirs, ours } = pair(PLAIN);
    expect(await ours.metrics()).toBe(await theirs.metrics());
    expect(await ours.metrics()).toContain('demo_plain_seconds_count 0');
  });

  it('takes counts set at once, and counts on from them', async () => {
    const { theirs, ours, histogram, model } = pair(LATENCY);
    const a = { route: '/a', code: '200' };
    histogram.observe(a, 0.05);
    histogram.observe(a, 3);
    model.set(a, { buckets: [0, 1, 1, 2], sum: 3.05, count: 2 });
    histogram.observe(a, 0.001);
    model.observe(a, 0.001);
    expect(await ours.metrics()).toBe(await theirs.metrics());
    expect(() => model.set(a, { buckets: [0, 1], sum: 0, count: 1 })).toThrow(/2 buckets for 3 bounds/);
  });

  it('refuses labels its definition does not have, and a value that is not a finite number', () => {
    const { model } = pair(LATENCY);
    expect(() => model.observe({ route: '/a' }, 1)).toThrow(/labels \{route\} do not match/);
    expect(() => model.observe({ route: '/a', code: '200' }, NaN)).toThrow(TypeError);
  });
});
