import type { Simulation } from '../model/simulation.js';
import type { MemoryMetrics } from '../outputs/metrics/memory-store.js';
import { SeriesRecorder, type RecordedSeries } from '../promtool-tests/series-recorder.js';
import type { JobTarget } from '../systems/targets.js';
import { WorkSlicer } from './work-slicer.js';
import { SampleEstimate } from '../promtool-tests/sample-estimate.js';

/** What a scraping Prometheus would have stored had it watched the model before now. */
export interface History {
  /**
   * Series with `job`, and `instance` set to the ordinal of the job's target ("0", "1", ...): the stack
   * replaces it with the address it scrapes that target on.
   */
  series: RecordedSeries[];
  /** Time of the first sample, ms since the epoch; the others follow every `intervalMs`. */
  startMs: number;
  intervalMs: number;
}

/**
 * Called after every scrape with the samples the history is estimated to hold (see SampleEstimate) and the
 * series with a value now; it throws to refuse a history too large.
 */
export type HistoryEstimateCheck = (estimate: { samples: number; series: number; scrapes: number }) => void;

/**
 * Advances the model from its start to `endMs`, sampling every series once per interval as a scrape would,
 * into the store the simulation also writes to; lets the event loop run between slices of the work.
 */
export async function recordHistory(
  simulation: Simulation,
  store: MemoryMetrics,
  targets: readonly JobTarget[],
  startMs: number,
  endMs: number,
  intervalMs: number,
  check: HistoryEstimateCheck = () => undefined,
): Promise<History> {
  if (!(intervalMs > 0)) throw new RangeError(`history interval ${intervalMs} ms would never end`);
  const recorder = new SeriesRecorder(
    store,
    targets.map(({ job, instance }) => ({ job, instance, address: String(instance) })),
  );
  const slicer = new WorkSlicer();
  const scrapes = Math.ceil((endMs - startMs) / intervalMs);
  const estimate = new SampleEstimate(scrapes);
  for (let t = startMs; t < endMs; t += intervalMs) {
    await slicer.advance(simulation, t);
    recorder.sample();
    const { samples, live } = estimate.observe(recorder.recorded());
    check({ samples, series: live, scrapes });
  }
  return { series: recorder.recorded(), startMs, intervalMs };
}
