import { describe, expect, it } from 'vitest';
import type { MetricDefinition } from '../../../generators/model/metric-definitions.js';
import { MemoryMetrics } from '../../../generators/outputs/metrics/memory-store.js';
import {
  canonicalLe,
  SeriesRecorder,
  type RecordedSeries,
} from '../../../generators/promtool-tests/series-recorder.js';

const metric = (name: string, type: MetricDefinition['type'], extra: Partial<MetricDefinition> = {}) =>
  ({
    name,
    type,
    help: name,
    labelNames: ['route'],
    job: 'api',
    source: 'seed',
    ...extra,
  }) as MetricDefinition;

const REQUESTS = metric('requests_total', 'counter');
const LATENCY = metric('latency_seconds', 'histogram', { buckets: [0.1, 1] });
const QUEUE = metric('queue_depth', 'gauge', { labelNames: [], job: 'worker' });

function setup() {
  const store = new MemoryMetrics([REQUESTS, LATENCY, QUEUE]);
  const recorder = new SeriesRecorder(store, [
    { job: 'api', instance: 0, address: 'api:0' },
    { job: 'api', instance: 1, address: 'api:1' },
    { job: 'worker', instance: 0, address: 'worker:0' },
  ]);
  const series = (name: string, labels: Record<string, string> = {}): RecordedSeries | undefined =>
    recorder
      .recorded()
      .find((s) => s.name === name && Object.entries(labels).every(([k, v]) => s.labels[k] === v));
  return { store, recorder, series };
}

describe('SeriesRecorder', () => {
  it('adds job and instance, and an up series per target', () => {
    const { store, recorder, series } = setup();
    store.add(REQUESTS.name, { route: '/a' }, 2);
    store.add(REQUESTS.name, { route: '/a' }, 5, 1);
    recorder.sample();
    store.add(REQUESTS.name, { route: '/a' }, 1);
    recorder.sample();
    expect(series(REQUESTS.name, { instance: 'api:0' })).toEqual({
      name: REQUESTS.name,
      labels: { route: '/a', job: 'api', instance: 'api:0' },
      samples: [2, 3],
    });
    expect(series(REQUESTS.name, { instance: 'api:1' })?.samples).toEqual([5, 5]);
    expect(
      recorder
        .recorded()
        .filter((s) => s.name === 'up')
        .map((s) => s.labels.instance),
    ).toEqual(['api:0', 'api:1', 'worker:0']);
    expect(recorder.samples).toBe(2);
  });

  it('splits a histogram into cumulative buckets (le as Prometheus 3 stores it), _sum and _count', () => {
    const { store, recorder, series } = setup();
    for (const v of [0.05, 0.5, 3]) store.observe(LATENCY.name, { route: '/a' }, v);
    recorder.sample();
    expect(['0.1', '1.0', '+Inf'].map((le) => series(`${LATENCY.name}_bucket`, { le })?.samples)).toEqual([
      [1],
      [2],
      [3],
    ]);
    expect(series(`${LATENCY.name}_sum`)?.samples).toEqual([3.55]);
    expect(series(`${LATENCY.name}_count`)?.samples).toEqual([3]);
    expect([1, 0.005, Infinity, 1e21].map(canonicalLe)).toEqual(['1.0', '0.005', '+Inf', '1e+21']);
  });

  it('gives gaps before a series exists, and a stale marker once it is gone or its target is down', () => {
    const { store, recorder, series } = setup();
    recorder.sample();
    store.set(QUEUE.name, {}, 4);
    recorder.sample();
    store.setTargetUp('worker', false);
    recorder.sample();
    recorder.sample();
    store.setTargetUp('worker', true);
    recorder.sample();
    expect(series(QUEUE.name)?.samples).toEqual([undefined, 4, 'stale', undefined, 4]);
    expect(series('up', { job: 'worker' })?.samples).toEqual([1, 1, 0, 0, 1]);
  });

  it('continues the same series when one is removed and written again', () => {
    const { store, recorder, series } = setup();
    store.add(REQUESTS.name, { route: '/b' }, 1);
    recorder.sample();
    store.remove(REQUESTS.name, { route: '/b' });
    recorder.sample();
    store.add(REQUESTS.name, { route: '/b' }, 7);
    recorder.sample();
    expect(recorder.recorded().filter((s) => s.name === REQUESTS.name)).toHaveLength(1);
    expect(series(REQUESTS.name)?.samples).toEqual([1, 'stale', 7]);
  });
});
