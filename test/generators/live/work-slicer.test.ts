import { describe, expect, it } from 'vitest';
import { SLICE_MS, WorkSlicer } from '../../../generators/live/work-slicer.js';
import { HOUR, T0, startRun } from '../../support/model.js';

/** The longest time between two turns of a 5 ms timer while `work` runs. */
async function longestGap(work: () => Promise<unknown>): Promise<number> {
  let last = performance.now();
  let longest = 0;
  const timer = setInterval(() => {
    const now = performance.now();
    longest = Math.max(longest, now - last);
    last = now;
  }, 5);
  try {
    await work();
  } finally {
    clearInterval(timer);
  }
  return Math.max(longest, performance.now() - last);
}

describe('WorkSlicer', () => {
  it('lets timers (and so signals) run while it advances the model through hours', async () => {
    const run = startRun({ detail: false });
    const gap = await longestGap(() => new WorkSlicer().advance(run.sim, T0 + 2 * HOUR));
    expect(run.sim.now()).toBe(T0 + 2 * HOUR);
    // SLICE_MS of work between turns; the margin is for a busy machine.
    expect(gap).toBeLessThan(SLICE_MS + 400);
  }, 180_000);

  it('gives up after one slice when the model is far behind, leaving it to catch up later', () => {
    const run = startRun({ detail: false });
    const started = performance.now();
    expect(new WorkSlicer().advanceForOneSlice(run.sim, T0 + 1000 * HOUR, 50)).toBe(false);
    expect(performance.now() - started).toBeLessThan(50 + 400);
    expect(run.sim.now()).toBeGreaterThan(T0);
    expect(run.sim.now()).toBeLessThan(T0 + 1000 * HOUR);
  }, 60_000);
});
