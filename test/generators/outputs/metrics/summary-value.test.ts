import { execFile } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { Summary } from 'prom-client';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { VirtualClock } from '../../../../generators/clock.js';
import type { MetricDefinition } from '../../../../generators/model/metric-definitions.js';
import { MemoryMetrics } from '../../../../generators/outputs/metrics/memory-store.js';
import { PromRegistries } from '../../../../generators/outputs/metrics/prom-registries.js';
import { SummaryValue } from '../../../../generators/outputs/metrics/summary-value.js';
import { promtoolTestFile } from '../../../../generators/promtool-tests/promtool-test-file.js';
import {
  SeriesRecorder,
  type RecordedSeries,
} from '../../../../generators/promtool-tests/series-recorder.js';
import { requireBinaries } from '../../../support/binaries.js';
import { DEMO_API, LATENCY, demo } from '../../../support/demo-system.js';

const T0 = Date.UTC(2026, 0, 1);
const ROUTE = { route: '/a' };
const MIN_MAX: MetricDefinition = { ...LATENCY, quantiles: [0, 1] };

const bins = await requireBinaries(['promtool']);

describe('a summary series', () => {
  it('has exact nearest-rank quantiles over its observations, NaN before any', () => {
    const clock = new VirtualClock(T0);
    const value = new SummaryValue(LATENCY, () => clock.now());
    expect(value.values()).toEqual([NaN, NaN, NaN]);
    for (let v = 100; v >= 1; v--) value.observe(v);
    expect(value.values()).toEqual([50, 90, 99]);
    expect([value.sum, value.count]).toEqual([5050, 100]);
  });

  it('slides its window with model time (60 s in 3 buckets: 40 to 60 s), keeping sum and count', () => {
    const clock = new VirtualClock(T0);
    const value = new SummaryValue(MIN_MAX, () => clock.now());
    value.observe(1);
    clock.advanceTo(T0 + 30_000);
    value.observe(100);
    clock.advanceTo(T0 + 60_000);
    expect(value.values()).toEqual([1, 100]);
    clock.advanceTo(T0 + 60_001);
    expect(value.values()).toEqual([100, 100]);
    clock.advanceTo(T0 + 80_000);
    expect(value.values()).toEqual([100, 100]);
    clock.advanceTo(T0 + 80_001);
    expect(value.values()).toEqual([NaN, NaN]);
    expect([value.sum, value.count]).toEqual([101, 2]);
  });

  describe('rotates its window as prom-client does', () => {
    afterEach(() => vi.useRealTimers());

    it('the same observations in and out of the window, step by step (prom-client shows 0 for none)', async () => {
      vi.useFakeTimers({ now: T0 });
      const clock = new VirtualClock(T0);
      const theirs = new Summary({
        name: 'cross_check',
        help: 'x',
        percentiles: [0, 1],
        maxAgeSeconds: 60,
        ageBuckets: 3,
        registers: [],
      });
      const ours = new SummaryValue(MIN_MAX, () => clock.now());
      for (let t = 0; t <= 240_000; t += 2_500) {
        clock.advanceTo(T0 + t);
        vi.setSystemTime(T0 + t);
        if (t < 50_000 || (t >= 120_000 && t < 130_000)) {
          theirs.observe(1 + t / 1000);
          ours.observe(1 + t / 1000);
        }
        const expected = (await theirs.get()).values.slice(0, 2).map((v) => v.value);
        expect(
          ours.values().map((v) => (Number.isNaN(v) ? 0 : v)),
          `at ${t / 1000} s`,
        ).toEqual(expected);
      }
    });
  });

  it('keeps memory bounded on a busy series, the kept observations spread evenly', () => {
    const value = new SummaryValue(LATENCY, () => T0);
    for (let i = 0; i < 100_000; i++) value.observe(((i * 7919) % 100_000) + 1);
    const [p50, p90, p99] = value.values();
    expect(p50! / 50_000).toBeCloseTo(1, 1);
    expect(p90! / 90_000).toBeCloseTo(1, 1);
    expect(p99! / 99_000).toBeCloseTo(1, 1);
    expect(value.count).toBe(100_000);
  });
});

function seriesOf(recorded: readonly RecordedSeries[], name: string) {
  return recorded.filter((s) => s.name === name);
}

describe('the series recorder expands a summary', () => {
  const setup = () => {
    const clock = new VirtualClock(T0);
    const store = new MemoryMetrics(demo.metrics, { now: () => clock.now() });
    const recorder = new SeriesRecorder(store, [
      { job: DEMO_API, instance: 0, address: 'api:0' },
      { job: DEMO_API, instance: 1, address: 'api:1' },
      { job: DEMO_API, instance: 2, address: 'api:2' },
    ]);
    return { clock, store, recorder };
  };

  it('into one series per quantile (as Prometheus stores the label), `_sum` and `_count`', () => {
    const { clock, store, recorder } = setup();
    store.touch(LATENCY.name, ROUTE);
    recorder.sample();
    for (let v = 1; v <= 10; v++) store.observe(LATENCY.name, ROUTE, v);
    clock.advanceBy(15_000);
    recorder.sample();
    const base = { route: '/a', job: DEMO_API, instance: 'api:0' };
    expect(seriesOf(recorder.recorded(), LATENCY.name)).toEqual([
      { name: LATENCY.name, labels: { ...base, quantile: '0.5' }, samples: [NaN, 5] },
      { name: LATENCY.name, labels: { ...base, quantile: '0.9' }, samples: [NaN, 9] },
      { name: LATENCY.name, labels: { ...base, quantile: '0.99' }, samples: [NaN, 10] },
    ]);
    expect(seriesOf(recorder.recorded(), `${LATENCY.name}_sum`)).toEqual([
      { name: `${LATENCY.name}_sum`, labels: base, samples: [0, 55] },
    ]);
    expect(seriesOf(recorder.recorded(), `${LATENCY.name}_count`)).toEqual([
      { name: `${LATENCY.name}_count`, labels: base, samples: [0, 10] },
    ]);
  });

  it('whose quantiles go NaN once the window has slid past the observations; sum and count stay', () => {
    const { clock, store, recorder } = setup();
    store.observe(LATENCY.name, ROUTE, 0.25, 2);
    for (let i = 0; i < 6; i++) {
      recorder.sample();
      clock.advanceBy(20_000);
    }
    const [p50] = seriesOf(recorder.recorded(), LATENCY.name);
    expect(p50!.labels.instance).toBe('api:2');
    expect(p50!.samples).toEqual([0.25, 0.25, 0.25, 0.25, NaN, NaN]);
    expect(seriesOf(recorder.recorded(), `${LATENCY.name}_count`)[0]!.samples).toEqual([1, 1, 1, 1, 1, 1]);
  });

  it('quantile labels 0 and 1 as Prometheus 3 normalises them', () => {
    const clock = new VirtualClock(T0);
    const store = new MemoryMetrics([MIN_MAX], { now: () => clock.now() });
    const recorder = new SeriesRecorder(store, [{ job: DEMO_API, instance: 0, address: 'api:0' }]);
    store.touch(MIN_MAX.name, ROUTE);
    recorder.sample();
    expect(seriesOf(recorder.recorded(), MIN_MAX.name).map((s) => s.labels.quantile)).toEqual(['0.0', '1.0']);
  });

  it('needs a clock: a store of summaries without one is refused', () => {
    expect(() => new MemoryMetrics(demo.metrics)).toThrow(/needs the store to have a clock/);
  });
});

describe('a prom-client registry serves a summary', () => {
  it('with quantiles NaN until observed, sum and count from 0, in the text prom-client renders', async () => {
    let now = T0;
    const registries = new PromRegistries(
      [LATENCY],
      [0, 1, 2].map((instance) => ({ job: DEMO_API, instance })),
      { now: () => now },
    );
    registries.touch(LATENCY.name, ROUTE, 1);
    expect(await registries.registry(DEMO_API, 1).metrics()).toBe(
      [
        '# HELP demo_request_duration_seconds Request latency',
        '# TYPE demo_request_duration_seconds summary',
        'demo_request_duration_seconds{quantile="0.5",route="/a"} Nan',
        'demo_request_duration_seconds{quantile="0.9",route="/a"} Nan',
        'demo_request_duration_seconds{quantile="0.99",route="/a"} Nan',
        'demo_request_duration_seconds_sum{route="/a"} 0',
        'demo_request_duration_seconds_count{route="/a"} 0',
        '',
      ].join('\n'),
    );
    for (const v of [0.1, 0.2, 0.3, 0.4]) registries.observe(LATENCY.name, ROUTE, v, 1);
    now += 15_000;
    expect(await registries.registry(DEMO_API, 1).metrics()).toContain(
      [
        'demo_request_duration_seconds{quantile="0.5",route="/a"} 0.2',
        'demo_request_duration_seconds{quantile="0.9",route="/a"} 0.4',
        'demo_request_duration_seconds{quantile="0.99",route="/a"} 0.4',
        'demo_request_duration_seconds_sum{route="/a"} 1',
        'demo_request_duration_seconds_count{route="/a"} 4',
      ].join('\n'),
    );
    now += 61_000;
    expect(await registries.registry(DEMO_API, 1).metrics()).toContain(
      'demo_request_duration_seconds{quantile="0.5",route="/a"} Nan',
    );
    expect(await registries.registry(DEMO_API, 0).metrics()).not.toContain('route=');
    registries.remove(LATENCY.name, ROUTE, 1);
    expect(await registries.registry(DEMO_API, 1).metrics()).not.toContain('route=');
  });
});

describe.skipIf(!bins.available)('NaN and stale samples of a summary', () => {
  it('load in promtool test rules', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'summary-nan-'));
    try {
      const clock = new VirtualClock(0);
      const store = new MemoryMetrics([LATENCY], { now: () => clock.now() });
      const recorder = new SeriesRecorder(store, [{ job: DEMO_API, instance: 0, address: 'api:0' }]);
      store.touch(LATENCY.name, ROUTE);
      for (let i = 0; i < 12; i++) {
        if (i === 3) store.observe(LATENCY.name, ROUTE, 0.5);
        store.setTargetUp(DEMO_API, i !== 8);
        recorder.sample();
        clock.advanceBy(15_000);
      }
      const rules = join(dir, 'rules.yaml');
      await writeFile(
        rules,
        'groups:\n- name: demo\n  rules:\n  - alert: SlowDemo\n    expr: demo_request_duration_seconds{quantile="0.5"} > 0.4\n',
      );
      const file = promtoolTestFile({
        ruleFiles: [rules],
        evaluationIntervalMs: 15_000,
        series: recorder.recorded(),
        probes: [30_000],
      });
      expect(file).toContain('NaN NaN NaN 0.5');
      expect(file).toContain('stale');
      const testFile = join(dir, 'test.yaml');
      await writeFile(testFile, file);
      const run = promisify(execFile)(bins.get('promtool').path, ['test', 'rules', testFile]);
      await expect(run).resolves.toBeDefined();
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
