import { describe, expect, it } from 'vitest';
import { RingBuffer } from '../../../../generators/outputs/logs/index.js';

describe('RingBuffer', () => {
  it('keeps items oldest to newest until full', () => {
    const ring = new RingBuffer<number>(3);
    expect(ring.push(1)).toBe(false);
    expect(ring.push(2)).toBe(false);
    expect(ring.toArray()).toEqual([1, 2]);
    expect(ring.size).toBe(2);
    expect(ring.dropped).toBe(0);
  });

  it('evicts the oldest item when full and counts it', () => {
    const ring = new RingBuffer<string>(3);
    for (const item of ['a', 'b', 'c']) ring.push(item);
    expect(ring.push('d')).toBe(true);
    expect(ring.push('e')).toBe(true);
    expect(ring.toArray()).toEqual(['c', 'd', 'e']);
    expect(ring.size).toBe(3);
    expect(ring.dropped).toBe(2);
  });

  it('matches a plain array model through many wrap-arounds', () => {
    const ring = new RingBuffer<number>(7);
    const model: number[] = [];
    let evictions = 0;
    for (let i = 0; i < 1000; i++) {
      if (i % 11 === 5) {
        const n = i % 4;
        expect(ring.removeOldest(n)).toBe(Math.min(n, model.length));
        model.splice(0, n);
      }
      model.push(i);
      const evicted = model.length > 7;
      if (evicted) {
        model.shift();
        evictions++;
      }
      expect(ring.push(i)).toBe(evicted);
    }
    expect(ring.toArray()).toEqual(model);
    expect(ring.dropped).toBe(evictions);
    expect(model.map((_, i) => ring.at(i))).toEqual(model);
  });

  it('at() is undefined outside the held range', () => {
    const ring = new RingBuffer<number>(2);
    ring.push(10);
    expect(ring.at(0)).toBe(10);
    expect(ring.at(1)).toBeUndefined();
    expect(ring.at(-1)).toBeUndefined();
    expect(ring.at(0.5)).toBeUndefined();
  });

  it('removeOldest does not count as dropped and clamps to the size', () => {
    const ring = new RingBuffer<number>(4);
    for (let i = 0; i < 4; i++) ring.push(i);
    expect(ring.removeOldest(3)).toBe(3);
    expect(ring.toArray()).toEqual([3]);
    expect(ring.removeOldest(5)).toBe(1);
    expect(ring.removeOldest(-2)).toBe(0);
    expect(ring.size).toBe(0);
    expect(ring.dropped).toBe(0);
  });

  it('clear empties the buffer but keeps the cumulative dropped count', () => {
    const ring = new RingBuffer<number>(2);
    for (let i = 0; i < 5; i++) ring.push(i);
    ring.clear();
    expect(ring.size).toBe(0);
    expect(ring.toArray()).toEqual([]);
    expect(ring.dropped).toBe(3);
    ring.push(9);
    expect(ring.toArray()).toEqual([9]);
  });

  it('rejects a capacity that is not a positive integer', () => {
    expect(() => new RingBuffer(0)).toThrow(RangeError);
    expect(() => new RingBuffer(2.5)).toThrow(RangeError);
    expect(() => new RingBuffer(Number.NaN)).toThrow(RangeError);
  });
});
