import type { Simulation } from '../model/simulation.js';
import type { MemoryMetrics } from '../outputs/metrics/memory-store.js';
import { SeriesRecorder, type RecordedSeries } from '../replay/series-recorder.js';

/** What a scraping Prometheus would have stored had it watched the model before now. */
export interface History {
  /** Series with `job` and an empty `instance` (the stack knows the address it scrapes). */
  series: RecordedSeries[];
  /** Time of the first sample, ms since the epoch; the others follow every `intervalMs`. */
  startMs: number;
  intervalMs: number;
}

/**
 * Advances the model from its start to `endMs`, sampling every series once per interval as a scrape would,
 * into the store the simulation also writes to.
 */
export function recordHistory(
  simulation: Simulation,
  store: MemoryMetrics,
  jobs: readonly string[],
  startMs: number,
  endMs: number,
  intervalMs: number,
): History {
  const recorder = new SeriesRecorder(
    store,
    jobs.map((job) => ({ job, instance: '' })),
  );
  for (let t = startMs; t < endMs; t += intervalMs) {
    simulation.advanceTo(t);
    recorder.sample();
  }
  return { series: recorder.recorded(), startMs, intervalMs };
}
