import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  replicaSeed,
  seriesOverBudget,
  shardSeries,
  shardTargets,
  targetKey,
} from '../../../generators/systems/scale.js';
import { targetsOf } from '../../../generators/systems/targets.js';
import { defaultSystems } from '../../../generators/systems/index.js';

const key = (t: { job: string; instance: number; replica: number }) => `${t.replica}/${t.job}/${t.instance}`;

describe('scaled and sharded targets', () => {
  const targets = targetsOf(defaultSystems());

  it('multiplies every target by the scale, replica after replica', () => {
    const all = shardTargets(targets, 3);
    expect(all).toHaveLength(targets.length * 3);
    expect(all.slice(targets.length, 2 * targets.length)).toEqual(targets.map((t) => ({ ...t, replica: 1 })));
  });

  it('gives N shards disjoint parts whose union is the unsharded set, of nearly equal size', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 40 }), fc.integer({ min: 1, max: 12 }), (scale, count) => {
        const whole = shardTargets(targets, scale).map(key);
        const parts = Array.from({ length: count }, (_, index) =>
          shardTargets(targets, scale, { index, count }).map(key),
        );
        expect(parts.flat()).toEqual(whole);
        const sizes = parts.map((p) => p.length);
        expect(Math.max(...sizes) - Math.min(...sizes)).toBeLessThanOrEqual(1);
      }),
    );
  });

  it('keeps the unscaled seed for replica 0 and derives the others', () => {
    expect(replicaSeed(7, 0)).toBe(7);
    expect(replicaSeed(7, 2)).toBe('7/replica-2');
  });

  it('refuses a shard outside 0..N-1', () => {
    expect(() => shardTargets(targets, 1, { index: 3, count: 3 })).toThrow(/is not one of/);
  });
});

describe('the series budget of one process', () => {
  const targets = targetsOf(defaultSystems());

  it("adds up the series of the shard's targets, replica after replica", () => {
    const perTarget = new Map(targets.map((t, i) => [targetKey(t), i + 1]));
    const perReplica = (targets.length * (targets.length + 1)) / 2;
    expect(shardSeries(perTarget, shardTargets(targets, 10))).toBe(10 * perReplica);
    const halves = [0, 1].map((index) =>
      shardSeries(perTarget, shardTargets(targets, 3, { index, count: 2 })),
    );
    expect(halves[0]! + halves[1]!).toBe(3 * perReplica);
  });

  it('lets a shard under the budget be, and says by how many processes to spread one over it', () => {
    expect(seriesOverBudget({ series: 300_000, perReplica: 280, scale: 1072 })).toBeUndefined();
    const over = seriesOverBudget({ series: 1_000_000, perReplica: 250, scale: 4000 });
    expect(over).toBe(
      '--scale 4000 would push or serve about 1,000,000 series from one process (250 per replica), over the ' +
        'budget of 300,000 per process: spread them over 4 or more processes (--shard 0/4 ... 3/4) or give ' +
        '--scale 1200 or less',
    );
    expect(
      seriesOverBudget({ series: 500_000, perReplica: 250, scale: 4000, shard: { index: 1, count: 2 } }),
    ).toMatch(/^--scale 4000 --shard 1\/2 would .* over 4 or more processes .* --scale 2400 or less$/);
  });
});
