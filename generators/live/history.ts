import type { Simulation } from '../model/simulation.js';
import type { MemoryMetrics } from '../outputs/metrics/memory-store.js';
import { SeriesRecorder, type RecordedSeries } from '../replay/series-recorder.js';
import type { JobTarget } from '../systems/targets.js';

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
 * Advances the model from its start to `endMs`, sampling every series once per interval as a scrape would,
 * into the store the simulation also writes to.
 */
export function recordHistory(
  simulation: Simulation,
  store: MemoryMetrics,
  targets: readonly JobTarget[],
  startMs: number,
  endMs: number,
  intervalMs: number,
): History {
  const recorder = new SeriesRecorder(
    store,
    targets.map(({ job, instance }) => ({ job, instance, address: String(instance) })),
  );
  for (let t = startMs; t < endMs; t += intervalMs) {
    simulation.advanceTo(t);
    recorder.sample();
  }
  return { series: recorder.recorded(), startMs, intervalMs };
}
