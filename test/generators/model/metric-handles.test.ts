import { describe, expect, expectTypeOf, it } from 'vitest';
import { byName } from '../../../generators/model/by-name.js';
import {
  defineCounter,
  defineGauge,
  defineHistogram,
  TypedMetricWriter,
  type LabelValues,
} from '../../../generators/model/metric-handles.js';
import type { MetricDefinition } from '../../../generators/model/metric-definitions.js';
import type { MetricWriter } from '../../../generators/model/types.js';

const FAILURES = defineCounter({
  name: 'anchor_failures_total',
  help: 'Anchor failures by reason',
  labelNames: ['reason'],
  job: 'guardian',
  source: 'seed',
});
const EPOCH = defineGauge({
  name: 'anchor_epoch',
  help: 'Epoch',
  labelNames: [],
  job: 'guardian',
  source: 'seed',
});
const DURATION = defineHistogram({
  name: 'anchor_duration_seconds',
  help: 'Anchor cycle duration',
  labelNames: [],
  buckets: [1, 5],
  job: 'guardian',
  source: 'seed',
});

function recorder(): { writer: MetricWriter; calls: unknown[][] } {
  const calls: unknown[][] = [];
  const record =
    (kind: string) =>
    (...args: unknown[]) =>
      calls.push([kind, ...args]);
  return {
    calls,
    writer: {
      touch: record('touch'),
      add: record('add'),
      set: record('set'),
      observe: record('observe'),
      remove: record('remove'),
      setTargetUp: record('up'),
    },
  };
}

describe('metric handles', () => {
  it('are the metric definitions the outputs consume, fields in the usual order', () => {
    const plain: MetricDefinition = {
      name: 'anchor_duration_seconds',
      type: 'histogram',
      help: 'Anchor cycle duration',
      labelNames: [],
      buckets: [1, 5],
      job: 'guardian',
      source: 'seed',
    };
    expect(JSON.stringify(DURATION)).toBe(JSON.stringify(plain));
    expect(FAILURES.type).toBe('counter');
    expect(EPOCH.type).toBe('gauge');
  });

  it('write to the underlying writer by name, with the labels given', () => {
    const { writer, calls } = recorder();
    const m = new TypedMetricWriter(writer);
    m.touch(FAILURES, { reason: 'rpc_timeout' });
    m.add(FAILURES, { reason: 'rpc_timeout' }, 2);
    m.set(EPOCH, {}, 1001);
    m.observe(DURATION, {}, 12);
    m.remove(FAILURES, { reason: 'rpc_timeout' });
    expect(calls).toEqual([
      ['touch', 'anchor_failures_total', { reason: 'rpc_timeout' }],
      ['add', 'anchor_failures_total', { reason: 'rpc_timeout' }, 2],
      ['set', 'anchor_epoch', {}, 1001],
      ['observe', 'anchor_duration_seconds', {}, 12],
      ['remove', 'anchor_failures_total', { reason: 'rpc_timeout' }],
    ]);
  });

  it('reject a wrong label, a missing label, a misspelt metric or the wrong kind of write when compiled', () => {
    expectTypeOf<LabelValues<'reason'>>().toEqualTypeOf<{ readonly reason: string }>();
    const metrics = byName([FAILURES, EPOCH, DURATION]);
    expectTypeOf(metrics.anchor_epoch).toEqualTypeOf(EPOCH);
    const m = new TypedMetricWriter(recorder().writer);
    // @ts-expect-error an unknown label
    m.add(FAILURES, { reason: 'rpc_timeout', chain: 'eth' }, 1);
    // @ts-expect-error a missing label
    m.add(FAILURES, {}, 1);
    // @ts-expect-error a label on a metric without labels
    m.set(EPOCH, { reason: 'x' }, 1);
    // @ts-expect-error a gauge is set, not incremented
    m.add(EPOCH, {}, 1);
    // @ts-expect-error a counter is not observed
    m.observe(FAILURES, { reason: 'rpc_timeout' }, 1);
    // @ts-expect-error a misspelt metric
    expect(metrics.anchor_epoc).toBeUndefined();
  });
});
