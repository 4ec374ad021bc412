import { describe, expect, it } from 'vitest';
import { labelList } from '../../../../generators/outputs/remote-write/registry-series.js';

describe('the labels of a pushed series', () => {
  it('come __name__ first, then by name, without empty ones', () => {
    expect(labelList('up', { job: 'a', instance: 'a-0', empty: '', le: 0.5 })).toEqual([
      { name: '__name__', value: 'up' },
      { name: 'instance', value: 'a-0' },
      { name: 'job', value: 'a' },
      { name: 'le', value: '0.5' },
    ]);
  });

  it('are shared, frozen objects: a queue of many series holds each label once', () => {
    const [a, b] = [labelList('m', { job: 'x' }), labelList('m', { job: 'x', replica: '2' })];
    expect(b[0]).toBe(a[0]);
    expect(b[1]).toBe(a[1]);
    expect(Object.isFrozen(a[1])).toBe(true);
  });

  it('stay right when more distinct labels come than the pool holds', () => {
    const wrong: string[] = [];
    // One and a half times the pool's 100,000 labels: it starts over once and fills again.
    for (let i = 0; i < 150_000; i++) {
      const [name, hash] = labelList('info', { hash: `h${i}` });
      // Two expect() calls per label made this loop take seconds.
      if (name?.value !== 'info' || hash?.value !== `h${i}`)
        wrong.push(`${i}: ${name?.value} ${hash?.value}`);
    }
    expect(wrong.slice(0, 5)).toEqual([]);
  });
});
