import type { Simulation } from '../model/simulation.js';
import type { MemoryMetrics } from '../outputs/metrics/memory-store.js';
import { SeriesRecorder, type RecordedSeries } from '../promtool-tests/series-recorder.js';
import type { JobTarget } from '../systems/targets.js';
import { WorkSlicer } from './work-slicer.js';
import { SampleEstimate } from '../promtool-tests/sample-estimate.js';

/**
 * Slices of the history's simulation, shorter than the usual: the start waits on files and processes the
 * while, every wait at least until the slice ends, and a turn of the event loop costs microseconds.
 */
const HISTORY_SLICE_MS = 8;

/** What a scraping Prometheus would have stored had it watched the model before now. */
export interface History {
  /**
   * Series with `job`, and `instance` set to the ordinal of the job's target ("0", "1", ...): the stack
   * replaces it with the address it scrapes that target on.
   */
  series: RecordedSeries[];
  /**
   * When each sample was taken, ms since the epoch: every interval from the start, and the last at the
   * moment the recording ended (the live generators take over from there), on the interval or not.
   */
  timesMs: number[];
}

/**
 * Called after every scrape with the samples the history is estimated to hold (see SampleEstimate) and the
 * series with a value now; it throws to refuse a history too large.
 */
export type HistoryEstimateCheck = (estimate: { samples: number; series: number; scrapes: number }) => void;

/**
 * Advances the model from `startMs` to `endMs` and then on to `now()`, sampling every series once per
 * interval as a scrape would, into the store the simulation also writes to; lets the event loop run between
 * slices of the work, and rejects once `signal` is aborted. Simulating takes seconds of wall time: a
 * history that stopped at `endMs` would leave them without samples before the first live scrape, so it
 * runs on to the moment it ends (at most a tenth longer, for a clock run fast) and takes its last sample
 * there.
 */
export async function recordHistory(
  simulation: Simulation,
  store: MemoryMetrics,
  targets: readonly JobTarget[],
  span: { startMs: number; endMs: number; intervalMs: number; now: () => number },
  check: HistoryEstimateCheck = () => undefined,
  signal?: AbortSignal,
): Promise<History> {
  const { startMs, endMs, intervalMs } = span;
  if (!(intervalMs > 0)) throw new RangeError(`history interval ${intervalMs} ms would never end`);
  const recorder = new SeriesRecorder(
    store,
    targets.map(({ job, instance }) => ({ job, instance, address: String(instance) })),
  );
  const slicer = new WorkSlicer(HISTORY_SLICE_MS);
  const scrapes = Math.ceil((endMs - startMs) / intervalMs);
  const estimate = new SampleEstimate(scrapes);
  const timesMs: number[] = [];
  const sample = async (t: number) => {
    signal?.throwIfAborted();
    await slicer.advance(simulation, t);
    recorder.sample();
    timesMs.push(t);
    const { samples, live } = estimate.observe(recorder.recorded());
    check({ samples, series: live, scrapes });
  };
  const until = () => Math.min(span.now(), endMs + (endMs - startMs) / 10);
  let t = startMs;
  for (; t < endMs || t <= until(); t += intervalMs) await sample(t);
  const last = until();
  if (timesMs.length > 0 && last > timesMs.at(-1)!) await sample(last);
  return { series: recorder.recorded(), timesMs };
}
