import type { RecordedSeries } from './series-recorder.js';

/**
 * Estimates the samples a recording will hold when it ends, after each scrape: those taken so far plus one
 * per series that has a value now for every scrape left. Series that come and go (an info series per
 * anchor's root hash) count only while they have values, as they cost nothing once stale.
 */
export class SampleEstimate {
  private taken = 0;
  private scrapes = 0;

  constructor(private readonly totalScrapes: number) {}

  /** Call after each scrape; returns the estimate and the series that have a value now. */
  observe(series: readonly RecordedSeries[]): { samples: number; live: number } {
    let live = 0;
    for (const s of series) if (typeof s.samples[s.samples.length - 1] === 'number') live++;
    this.taken += live;
    this.scrapes++;
    return { samples: this.taken + live * Math.max(0, this.totalScrapes - this.scrapes), live };
  }
}
