import { describe, expect, it } from 'vitest';
import { FaultCatalogue } from '../../../generators/model/faults/fault-catalogue.js';
import { Simulation } from '../../../generators/model/simulation.js';
import { defaultSystems } from '../../../generators/systems/index.js';
import { HOUR, MINUTE, T0, startRun } from '../../support/model.js';

describe('Simulation', () => {
  it('uses the fault catalogue it is given instead of building another', () => {
    const systems = defaultSystems();
    const faults = new FaultCatalogue(systems.flatMap((s) => s.faults));
    const writer = { touch() {}, add() {}, set() {}, observe() {}, remove() {}, setTargetUp() {} };
    const given = new Simulation({
      systems,
      seed: 1,
      startTime: T0,
      sink: { metrics: writer },
      faultCatalogue: faults,
    });
    const built = new Simulation({ systems, seed: 1, startTime: T0, sink: { metrics: writer } });
    expect(given.faults).toBe(faults);
    expect(built.faults).not.toBe(faults);
    expect(built.faults.names()).toEqual(faults.names());
  });

  it('refuses a start time that is not a finite epoch time, instead of producing NaN metrics', () => {
    // `generate --speed 1e308` made the wall clock read Infinity: every anchor cycle then lasted NaN seconds.
    expect(() => startRun({ startTime: Infinity })).toThrow(RangeError);
    expect(() => startRun({ startTime: NaN })).toThrow(/is not a time the model can run to/);
    expect(() => startRun({ startTime: 1e300 })).toThrow(RangeError);
  });

  it('refuses to run to Infinity instead of looping for ever', () => {
    const run = startRun({ detail: false });
    expect(() => run.sim.advanceTo(Infinity)).toThrow(RangeError);
    expect(run.sim.now()).toBe(T0);
  });

  it('runs at most the ticks it is given, and says whether it got there', () => {
    const run = startRun({ detail: false });
    expect(run.sim.advanceTowards(T0 + MINUTE, 10)).toBe(false);
    expect(run.sim.now()).toBe(T0 + 10_000);
    expect(run.sim.advanceTowards(T0 + MINUTE, 50)).toBe(true);
    expect(run.sim.now()).toBe(T0 + MINUTE);
  });

  it('produces the same model in slices as in one go', () => {
    // An hour, for the slow timers (anchors), at a tenth of the traffic: requests are what a run costs.
    const knobs = { rate_scale: 0.1 };
    const whole = startRun({ detail: false, knobs });
    whole.sim.advanceTo(T0 + HOUR);
    const sliced = startRun({ detail: false, knobs });
    while (!sliced.sim.advanceTowards(T0 + HOUR, 7));
    const values = (run: typeof whole) =>
      run.metrics
        .definitionsList()
        .flatMap((d) => run.metrics.get(d.name).map((s) => JSON.stringify(s.value)));
    expect(values(sliced)).toEqual(values(whole));
  });

  it('makes no logs or spans while muted, the same metrics as unmuted, and logs again once unmuted', () => {
    const values = (run: ReturnType<typeof startRun>) =>
      run.metrics.definitionsList().map((d) => [d.name, run.metrics.get(d.name)]);
    // A tenth of the traffic still makes log lines and spans every minute; requests are what a run costs.
    const plain = startRun({ seed: 5, knobs: { rate_scale: 0.1 } });
    const muted = startRun({ seed: 5, knobs: { rate_scale: 0.1 } });
    muted.sim.muteDetail(true);
    plain.sim.advanceTo(T0 + 10 * MINUTE);
    muted.sim.advanceTo(T0 + 10 * MINUTE);
    expect(plain.logs.length).toBeGreaterThan(0);
    expect(plain.spans.length).toBeGreaterThan(0);
    expect([muted.logs.length, muted.spans.length]).toEqual([0, 0]);
    expect(values(muted)).toEqual(values(plain));
    muted.sim.muteDetail(false);
    plain.sim.advanceTo(T0 + 15 * MINUTE);
    muted.sim.advanceTo(T0 + 15 * MINUTE);
    expect(muted.logs.length).toBeGreaterThan(0);
    expect(muted.spans.length).toBeGreaterThan(0);
    expect(Math.min(...muted.logs.map((l) => l.timeMs))).toBeGreaterThan(T0 + 10 * MINUTE - 60_000);
    expect(values(muted)).toEqual(values(plain));
  });
});
