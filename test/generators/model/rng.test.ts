import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { Rng } from '../../../generators/model/rng.js';

const draws = (rng: Rng, n: number) => Array.from({ length: n }, () => rng.nextUint32());

describe('Rng', () => {
  it('gives the same numbers for the same seed, and other numbers for another', () => {
    fc.assert(
      fc.property(fc.oneof(fc.integer(), fc.string()), (seed) => {
        expect(draws(new Rng(seed), 8)).toEqual(draws(new Rng(seed), 8));
        expect(draws(new Rng(seed), 8)).not.toEqual(draws(new Rng(`${String(seed)}!`), 8));
      }),
    );
  });

  it('forks streams that neither consume from nor follow the parent', () => {
    const parent = new Rng(7);
    const untouched = new Rng(7);
    const fork = parent.fork('logs');
    expect(draws(parent, 5)).toEqual(draws(untouched, 5));
    // Drawing from the parent after forking does not shift the fork, and the fork is not the parent.
    const again = new Rng(7).fork('logs');
    expect(draws(fork, 5)).toEqual(draws(again, 5));
    expect(draws(new Rng(7).fork('logs'), 5)).not.toEqual(draws(new Rng(7), 5));
    expect(draws(new Rng(7).fork('logs'), 5)).not.toEqual(draws(new Rng(7).fork('spans'), 5));
  });

  it('keeps every draw in its range', () => {
    fc.assert(
      fc.property(fc.integer(), fc.integer({ min: 1, max: 1000 }), (seed, n) => {
        const rng = new Rng(seed);
        // Gathered and checked once: an expect per draw (25,000 of them) was most of this file's time.
        const outOfRange: string[] = [];
        for (let i = 0; i < 50; i++) {
          const f = rng.float();
          if (!(f >= 0 && f < 1)) outOfRange.push(`float ${f}`);
          const k = rng.int(n);
          if (!(Number.isInteger(k) && k >= 0 && k < n)) outOfRange.push(`int(${n}) ${k}`);
          const p = rng.poisson(3);
          if (!(p >= 0)) outOfRange.push(`poisson(3) ${p}`);
          const e = rng.exponential(2);
          if (!(e >= 0)) outOfRange.push(`exponential(2) ${e}`);
        }
        expect(outOfRange).toEqual([]);
        expect(rng.hex(5)).toMatch(/^[0-9a-f]{10}$/);
      }),
    );
  });

  it('follows its distributions (large seeded samples)', () => {
    const rng = new Rng('distributions');
    const n = 40_000;
    const counts = [0, 0, 0];
    for (let i = 0; i < n; i++) counts[rng.weightedIndex([1, 2, 7])]!++;
    expect(counts.map((c) => c / n)).toEqual([
      expect.closeTo(0.1, 1),
      expect.closeTo(0.2, 1),
      expect.closeTo(0.7, 1),
    ]);
    const mean = (f: () => number) => Array.from({ length: n }, f).reduce((a, b) => a + b, 0) / n;
    expect(mean(() => rng.poisson(4))).toBeCloseTo(4, 1);
    expect(mean(() => rng.poisson(400))).toBeCloseTo(400, -1);
    expect(mean(() => rng.normal())).toBeCloseTo(0, 1);
    expect(mean(() => rng.exponential(3))).toBeCloseTo(3, 0);
    const logNormals = Array.from({ length: n }, () => rng.logNormal(50, 0.5)).sort((a, b) => a - b);
    expect(logNormals[n / 2]).toBeCloseTo(50, -1);
    expect(rng.weightedIndex([0, 0, 5])).toBe(2);
    expect(rng.poisson(0)).toBe(0);
  });

  it('refuses to pick from an empty list', () => {
    expect(() => new Rng(1).pick([])).toThrow(/empty/);
    expect(new Rng(1).pick(['only'])).toBe('only');
  });
});
