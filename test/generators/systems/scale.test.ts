import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { replicaSeed, shardTargets } from '../../../generators/systems/scale.js';
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
