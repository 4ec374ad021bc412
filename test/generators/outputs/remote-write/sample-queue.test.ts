import { describe, expect, it } from 'vitest';
import { SampleQueue } from '../../../../generators/outputs/remote-write/sample-queue.js';
import type { TimeSeries } from '../../../../generators/outputs/remote-write/write-request.js';

const series = (from: number, n: number): TimeSeries[] =>
  Array.from({ length: n }, (_, i) => ({
    labels: [{ name: '__name__', value: `m${from + i}` }],
    samples: [{ value: from + i, timestamp: 0 }],
  }));
const values = (list: TimeSeries[]) => list.map((s) => s.samples[0]!.value);

describe('the remote write queue', () => {
  it('hands out the oldest first, in batches of at most the size asked', () => {
    const queue = new SampleQueue(100);
    queue.push(series(0, 3));
    queue.push(series(3, 4));
    expect(values(queue.take(5))).toEqual([0, 1, 2, 3, 4]);
    expect(values(queue.take(5))).toEqual([5, 6]);
    expect(queue.take(5)).toEqual([]);
    expect(queue.size).toBe(0);
  });

  it('never holds more than its capacity: the oldest are dropped and counted', () => {
    const queue = new SampleQueue(5);
    queue.push(series(0, 4));
    queue.push(series(4, 4));
    expect(queue.size).toBe(5);
    expect(queue.dropped).toBe(3);
    queue.push(series(8, 10));
    expect(queue.size).toBe(5);
    expect(queue.dropped).toBe(13);
    expect(values(queue.take(100))).toEqual([13, 14, 15, 16, 17]);
  });
});
