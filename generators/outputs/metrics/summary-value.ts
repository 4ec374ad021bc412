import type { MetricDefinition } from '../../model/metric-definitions.js';

export const DEFAULT_QUANTILES: readonly number[] = [0.5, 0.9, 0.99];
const DEFAULT_MAX_AGE_SECONDS = 600;
const DEFAULT_AGE_BUCKETS = 5;
/** Observations kept per age bucket before it is thinned (see `AgeBucket`). */
const KEPT_PER_BUCKET = 1024;

/** Model time in ms since the Unix epoch. */
export type ModelClock = () => number;

/**
 * Observations of one rotation period. Up to `KEPT_PER_BUCKET` are all kept; then every other one is
 * dropped and from there on only every 2nd (then 4th, ...) observation is kept, each standing for `stride`
 * of them: a deterministic, evenly spread sample that bounds memory on busy series.
 */
interface AgeBucket {
  rotation: number;
  values: number[];
  stride: number;
  seen: number;
  sorted: boolean;
}

/**
 * One summary series: sum and count since its creation, and quantiles over a sliding window of model time,
 * rotated as prom-client rotates its (`maxAgeSeconds` split in `ageBuckets`, counted from the series'
 * creation, the window being between `maxAgeSeconds - maxAgeSeconds / ageBuckets` and `maxAgeSeconds`
 * long). Quantiles are exact over the observations kept (nearest rank), NaN when the window has none.
 */
export class SummaryValue {
  sum = 0;
  count = 0;
  readonly quantiles: readonly number[];
  private readonly ageBuckets: number;
  private readonly rotationMs: number;
  private readonly createdAt: number;
  /** Buckets of the rotations still in the window, oldest first. */
  private buckets: AgeBucket[] = [];

  constructor(
    def: MetricDefinition,
    private readonly now: ModelClock,
  ) {
    this.quantiles = def.quantiles ?? DEFAULT_QUANTILES;
    this.ageBuckets = def.ageBuckets ?? DEFAULT_AGE_BUCKETS;
    this.rotationMs = ((def.maxAgeSeconds ?? DEFAULT_MAX_AGE_SECONDS) * 1000) / this.ageBuckets;
    this.createdAt = now();
  }

  observe(value: number): void {
    this.sum += value;
    this.count++;
    const rotation = this.rotation();
    this.prune(rotation);
    let bucket = this.buckets[this.buckets.length - 1];
    if (bucket?.rotation !== rotation) {
      bucket = { rotation, values: [], stride: 1, seen: 0, sorted: true };
      this.buckets.push(bucket);
    }
    bucket.seen++;
    if (bucket.seen % bucket.stride !== 0) return;
    bucket.values.push(value);
    bucket.sorted = false;
    if (bucket.values.length >= KEPT_PER_BUCKET) {
      bucket.values = bucket.values.filter((_, i) => i % 2 === 1);
      bucket.stride *= 2;
    }
  }

  /** The value of each of `quantiles` over the window at the clock's current time. */
  values(): number[] {
    this.prune(this.rotation());
    for (const bucket of this.buckets) {
      if (bucket.sorted) continue;
      bucket.values.sort((a, b) => a - b);
      bucket.sorted = true;
    }
    const total = this.buckets.reduce((n, b) => n + b.values.length * b.stride, 0);
    if (total === 0) return this.quantiles.map(() => NaN);
    return this.atRanks(total);
  }

  /** Rotations done by now: prom-client rotates when strictly more than a period has passed. */
  private rotation(): number {
    return Math.max(0, Math.ceil((this.now() - this.createdAt) / this.rotationMs) - 1);
  }

  private prune(rotation: number): void {
    const oldest = rotation - this.ageBuckets + 1;
    if (this.buckets[0] && this.buckets[0].rotation < oldest)
      this.buckets = this.buckets.filter((b) => b.rotation >= oldest);
  }

  /**
   * For each quantile, the smallest kept value whose cumulative weight reaches ceil(q * total): one merge of
   * the sorted buckets serves every quantile.
   */
  private atRanks(total: number): number[] {
    // Scaled down a hair so that e.g. 0.9 * 10 (9.000000000000002) ranks 9th, not 10th.
    const ranks = this.quantiles.map((q) => Math.min(total, Math.max(1, Math.ceil(q * total * (1 - 1e-12)))));
    const order = ranks.map((_, i) => i).sort((a, b) => ranks[a]! - ranks[b]!);
    const out = new Array<number>(ranks.length);
    const next = this.buckets.map(() => 0);
    let cumulative = 0;
    let pending = 0;
    while (pending < order.length) {
      let from = -1;
      for (let b = 0; b < this.buckets.length; b++) {
        const value = this.buckets[b]!.values[next[b]!];
        if (value !== undefined && (from < 0 || value < this.buckets[from]!.values[next[from]!]!)) from = b;
      }
      const bucket = this.buckets[from]!;
      const value = bucket.values[next[from]!]!;
      next[from]!++;
      cumulative += bucket.stride;
      while (pending < order.length && cumulative >= ranks[order[pending]!]!) out[order[pending++]!] = value;
    }
    return out;
  }
}
