import type { TimeSeries } from './write-request.js';

/**
 * Series waiting to be sent, at most `capacity` of them (one sample each): when full, the oldest are dropped
 * and counted, so a slow or absent receiver never makes the generator grow without bound.
 */
export class SampleQueue {
  private chunks: TimeSeries[][] = [];
  /** Index of the first unsent series in chunks[0]. */
  private head = 0;
  private length = 0;
  private droppedCount = 0;

  constructor(readonly capacity: number) {
    if (!(Number.isInteger(capacity) && capacity > 0))
      throw new Error('queue capacity must be a positive integer');
  }

  get size(): number {
    return this.length;
  }

  get dropped(): number {
    return this.droppedCount;
  }

  push(series: TimeSeries[]): void {
    if (series.length === 0) return;
    this.chunks.push(series);
    this.length += series.length;
    if (this.length > this.capacity) this.dropOldest(this.length - this.capacity);
  }

  /** Removes and returns up to `max` of the oldest series. */
  take(max: number): TimeSeries[] {
    const out: TimeSeries[] = [];
    while (out.length < max && this.chunks.length > 0) {
      const first = this.chunks[0]!;
      const end = Math.min(first.length, this.head + (max - out.length));
      for (let i = this.head; i < end; i++) out.push(first[i]!);
      this.advance(end - this.head);
    }
    return out;
  }

  private dropOldest(count: number): void {
    this.droppedCount += count;
    let left = count;
    while (left > 0) {
      const first = this.chunks[0]!;
      const n = Math.min(left, first.length - this.head);
      this.advance(n);
      left -= n;
    }
  }

  private advance(n: number): void {
    this.head += n;
    this.length -= n;
    if (this.head >= this.chunks[0]!.length) {
      this.chunks.shift();
      this.head = 0;
    }
  }
}
