import { afterEach, describe, expect, it, vi } from 'vitest';
import { createFakerPools } from '../../../generators/model/faker-pools.js';
import { fakerPool } from '../../../generators/declared/value-sets.js';

describe('createFakerPools', () => {
  it('draws the same pools for a seed whatever was drawn before from the shared faker', () => {
    const first = createFakerPools(7, 50);
    fakerPool('internet.ipv4', 30, 99);
    createFakerPools(8, 50);
    expect(createFakerPools(7, 50)).toEqual(first);
    expect(createFakerPools(8, 50)).not.toEqual(first);
    expect(first.addresses.every((a) => /^\d+\.\d+\.\d+\.\d+$/.test(a))).toBe(true);
  });

  it('makes declared faker pools that depend on the seed alone', () => {
    const pool = fakerPool('string.uuid', 20, 5);
    createFakerPools(5, 10);
    expect(fakerPool('string.uuid', 20, 5)).toEqual(pool);
    expect(new Set(pool).size).toBe(20);
  });

  afterEach(() => vi.useRealTimers());

  it('gives the same values whatever day it runs (faker dates count from a fixed day)', () => {
    vi.useFakeTimers({ toFake: ['Date'] });
    vi.setSystemTime(new Date('2031-06-01T00:00:00Z'));
    const later = [createFakerPools(3, 30), fakerPool('date.past', 10, 3)];
    vi.setSystemTime(new Date('2019-02-01T00:00:00Z'));
    expect([createFakerPools(3, 30), fakerPool('date.past', 10, 3)]).toEqual(later);
  });
});
