import fc from 'fast-check';
import { beforeAll, describe, expect, it } from 'vitest';
import { loadSystem } from '../../../generators/declared/load-system.js';
import type { SystemDefinition } from '../../../generators/model/system.js';
import { Simulation } from '../../../generators/model/simulation.js';
import type { LogRecord, SpanRecord } from '../../../generators/model/types.js';
import { MemoryMetrics, type HistogramValue } from '../../../generators/outputs/metrics/memory-store.js';
import { platform } from '../../../generators/systems/platform.js';

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
let shop: SystemDefinition;

beforeAll(async () => {
  shop = await loadSystem('test/fixtures/systems/shop.system.yaml');
});

/**
 * The shop simulated from time 0, without logs and spans unless a test reads them: they double the cost,
 * and the metrics do not depend on them (the last test checks it).
 */
function run(seed: number | string, detail = false, knobs: Record<string, unknown> = {}) {
  const systems = [shop, platform([shop])];
  const clock: { sim?: Simulation } = {};
  const store = new MemoryMetrics(
    systems.flatMap((s) => s.metrics),
    { now: () => clock.sim?.now() ?? 0 },
  );
  const logs: LogRecord[] = [];
  const spans: SpanRecord[] = [];
  const sim = new Simulation({
    systems,
    seed,
    startTime: 0,
    knobs,
    sink: detail
      ? { metrics: store, log: (r) => logs.push(r), span: (s) => spans.push(s) }
      : { metrics: store },
  });
  clock.sim = sim;
  return { sim, store, logs, spans };
}

/** For what does not depend on requests (gauges, other events): requests are most of what a run costs. */
const NO_REQUESTS = { request_rate: 0 };

const counterSum = (store: MemoryMetrics, metric: string, filter: Record<string, string> = {}) =>
  store
    .get(metric)
    .filter((s) => Object.entries(filter).every(([k, v]) => s.labels[k] === v))
    .reduce((sum, s) => sum + (s.value as number), 0);

/** Every series' value, as a comparable snapshot. */
const snapshot = (store: MemoryMetrics) =>
  JSON.stringify(store.definitionsList().map((d) => [d.name, store.get(d.name)]));

describe('a declared system in the model', () => {
  it('makes events at their rate, with labels drawn by weight, on every target of the service', () => {
    const { sim, store } = run(1);
    sim.advanceTo(20 * MINUTE);
    const total = counterSum(store, 'shop_requests_total');
    // 20/s for 20 minutes, shaped by a ±20% daily swing that peaks at 14:00 (near its low at 0:00-1:00).
    expect(total).toBeGreaterThan(20 * 1200 * 0.7);
    expect(total).toBeLessThan(20 * 1200 * 1.0);
    expect(counterSum(store, 'shop_requests_total', { status: '500' }) / total).toBeCloseTo(0.02, 2);
    const acme = counterSum(store, 'shop_requests_total', { tenant_id: 'acme' });
    expect(acme / total).toBeCloseTo(5 / 9, 1);
    const instances = new Set(store.get('shop_requests_total').map((s) => s.instance));
    expect([...instances].sort()).toEqual([0, 1]);
    const latency = store.get('shop_request_duration_seconds')[0]!.value as HistogramValue;
    expect(latency.sum / latency.count).toBeGreaterThan(0.08);
    expect(latency.sum / latency.count).toBeLessThan(0.2);
  });

  it('evolves gauges on their own: bounded walks scaled by tenant weight, cycles and derived values', () => {
    const { sim, store } = run(2, false, NO_REQUESTS);
    for (let t = MINUTE; t <= 2 * HOUR; t += MINUTE) {
      sim.advanceTo(t);
      for (const s of store.get('shop_queue_depth')) {
        expect(Number.isInteger(s.value)).toBe(true);
        const weight = { acme: 5, globex: 3, initech: 1 }[s.labels.tenant_id!]! / 3;
        expect(s.value as number).toBeGreaterThanOrEqual(0);
        expect(s.value as number).toBeLessThanOrEqual(100 * weight + 1e-9);
      }
      const inUse = store.value('shop_pool_in_use') as number;
      expect(inUse).toBeGreaterThanOrEqual(6 - 1e-9);
      expect(inUse).toBeLessThanOrEqual(14 + 1e-9);
      expect(store.value('shop_pool_max')).toBe(50);
      expect(store.value('shop_pool_utilisation')).toBeCloseTo((inUse / 50) * 100, 9);
    }
  });

  it('changes label draws for matching events only while a fault is on', () => {
    const { sim, store } = run(3);
    sim.advanceTo(5 * MINUTE);
    const before = (tenant: string) => ({
      failed: counterSum(store, 'shop_requests_total', { tenant_id: tenant, status: '500' }),
      all: counterSum(store, 'shop_requests_total', { tenant_id: tenant }),
    });
    const start = { globex: before('globex'), acme: before('acme') };
    sim.setFault({ name: 'errors', params: { tenant: 'globex', ratio: '0.9' } });
    sim.advanceTo(10 * MINUTE);
    const share = (tenant: 'globex' | 'acme') => {
      const now = before(tenant);
      return (now.failed - start[tenant].failed) / (now.all - start[tenant].all);
    };
    expect(share('globex')).toBeGreaterThan(0.85);
    expect(share('acme')).toBeLessThan(0.05);
    sim.clearFault('errors');
    const cleared = { globex: before('globex'), acme: before('acme') };
    sim.advanceTo(15 * MINUTE);
    const after = before('globex');
    expect((after.failed - cleared.globex.failed) / (after.all - cleared.globex.all)).toBeLessThan(0.05);
  });

  it('takes one target down and back up', () => {
    const { sim, store } = run(4);
    sim.advanceTo(MINUTE);
    sim.setFault({ name: 'node_down', params: { instance: '1' } });
    sim.advanceTo(2 * MINUTE);
    expect(store.targetUp('shop-api', 0)).toBe(true);
    expect(store.targetUp('shop-api', 1)).toBe(false);
    sim.clearFault('node_down');
    sim.advanceTo(3 * MINUTE);
    expect(store.targetUp('shop-api', 1)).toBe(true);
  });

  it('back-dates "last seen" timestamps of an event a fault stops, by its since parameter', () => {
    const { sim, store } = run(5, false, NO_REQUESTS);
    sim.advanceTo(2 * HOUR);
    expect(store.value('shop_last_export_timestamp_seconds') as number).toBeGreaterThan(
      (2 * HOUR) / 1000 - 600,
    );
    sim.setFault({ name: 'exports_stalled', params: { since: '1h' } });
    sim.advanceTo(3 * HOUR);
    expect(store.value('shop_last_export_timestamp_seconds')).toBe(HOUR / 1000);
  });

  it('makes a gauge follow a trend for the series a fault names, continuing from its value', () => {
    const { sim, store } = run(6, false, NO_REQUESTS);
    sim.advanceTo(HOUR);
    const depth = (tenant: string) => store.value('shop_queue_depth', { tenant_id: tenant }) as number;
    const start = depth('globex');
    sim.setFault({ name: 'backlog', params: { tenant: 'globex' } });
    sim.advanceTo(HOUR + 30 * MINUTE);
    // 600 per hour for half an hour, scaled by globex's weight share (3 of a mean of 3).
    expect(depth('globex') - start).toBeGreaterThan(280);
    expect(depth('globex') - start).toBeLessThan(320);
    expect(depth('acme')).toBeLessThanOrEqual(100 * (5 / 3));
  });

  it('observes a fault distribution instead of the normal one', () => {
    const { sim, store } = run(7);
    const mean = () => {
      const h = store.get('shop_request_duration_seconds').reduce(
        (acc, s) => {
          const v = s.value as HistogramValue;
          return { sum: acc.sum + v.sum, count: acc.count + v.count };
        },
        { sum: 0, count: 0 },
      );
      return h;
    };
    sim.advanceTo(10 * MINUTE);
    const before = mean();
    sim.setFault({ name: 'slow', params: { median: '2' } });
    sim.advanceTo(20 * MINUTE);
    const after = mean();
    expect((after.sum - before.sum) / (after.count - before.count)).toBeGreaterThan(2);
  });

  it('writes logs with the declared fields and span trees with the trace ids the logs carry', () => {
    const { sim, logs, spans } = run(8, true);
    sim.advanceTo(3 * MINUTE);
    const served = logs.filter((l) => l.message === 'request served');
    expect(served.length).toBeGreaterThan(1000);
    expect(Object.keys(served[0]!.fields).sort()).toEqual(['duration_ms', 'status', 'tenant', 'user']);
    expect(served.every((l) => l.job === 'shop-api')).toBe(true);
    const traced = served.filter((l) => l.traceId);
    expect(traced.length / served.length).toBeGreaterThan(0.05);
    expect(traced.length / served.length).toBeLessThan(0.15);
    const byTrace = new Map<string, SpanRecord[]>();
    for (const s of spans) byTrace.set(s.traceId, [...(byTrace.get(s.traceId) ?? []), s]);
    const trace = byTrace.get(traced[0]!.traceId!)!;
    const root = trace.find((s) => !s.parentSpanId)!;
    expect(root).toMatchObject({ name: 'GET /cart', kind: 'server', job: 'shop-api' });
    const children = trace.filter((s) => s.parentSpanId === root.spanId);
    const status = traced[0]!.fields.status;
    expect(children.map((c) => c.name)).toEqual(
      status === '200' ? ['auth', 'db', 'payment'] : ['auth', 'db'],
    );
    expect(children[0]!.startMs).toBe(root.startMs);
    expect(children[1]!.startMs).toBeCloseTo(children[0]!.endMs, 6);
    expect(root.endMs).toBeGreaterThanOrEqual(children[1]!.endMs - 1e-6);
    const failed = logs.filter((l) => l.message === 'request failed' && l.traceId);
    for (const log of failed) {
      const spansOfTrace = byTrace.get(log.traceId!)!;
      expect(spansOfTrace.find((s) => !s.parentSpanId)!.status).toBe('error');
      expect(spansOfTrace.map((s) => s.name)).not.toContain('payment');
    }
    // Both lines of one failed request carry the same drawn user.
    const failures = logs.filter((l) => l.message === 'request failed');
    expect(failures.length).toBeGreaterThan(10);
    for (const failure of failures) {
      const served = logs.find((l) => l.message === 'request served' && l.timeMs === failure.timeMs)!;
      expect(served.fields.user).toBe(failure.fields.user);
    }
  });

  it('is deterministic per seed, and its metrics do not depend on whether logs and spans are wanted', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 2 ** 31 }), (seed) => {
        const a = run(seed, true);
        const b = run(seed);
        a.sim.advanceTo(2 * MINUTE);
        b.sim.advanceTo(2 * MINUTE);
        expect(snapshot(a.store)).toBe(snapshot(b.store));
      }),
      { numRuns: 8 },
    );
    const one = run(11);
    const other = run(12);
    one.sim.advanceTo(2 * MINUTE);
    other.sim.advanceTo(2 * MINUTE);
    expect(snapshot(one.store)).not.toBe(snapshot(other.store));
  });
});
