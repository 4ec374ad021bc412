import { describe, expect, it } from 'vitest';
import { SLICE_MS, WorkSlicer } from '../../../generators/live/work-slicer.js';
import { cpuMsSince, longestBusySpell } from '../../support/busy-spell.js';
import { HOUR, T0, startRun } from '../../support/model.js';

describe('WorkSlicer', () => {
  it('lets timers (and so signals) run while it advances the model through an hour', async () => {
    const run = startRun({ detail: false });
    const spell = await longestBusySpell(() => new WorkSlicer().advance(run.sim, T0 + HOUR));
    expect(run.sim.now()).toBe(T0 + HOUR);
    // SLICE_MS of work between turns; the margin is for garbage collection and the compiler's threads.
    expect(spell).toBeLessThan(SLICE_MS + 150);
  });

  it('gives up after one slice when the model is far behind, leaving it to catch up later', () => {
    const run = startRun({ detail: false });
    const started = process.cpuUsage();
    expect(new WorkSlicer().advanceForOneSlice(run.sim, T0 + 1000 * HOUR, 50)).toBe(false);
    expect(cpuMsSince(started)).toBeLessThan(50 + 400);
    expect(run.sim.now()).toBeGreaterThan(T0);
    expect(run.sim.now()).toBeLessThan(T0 + 1000 * HOUR);
  }, 60_000);
});
