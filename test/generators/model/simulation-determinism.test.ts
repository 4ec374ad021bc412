import { describe, expect, it } from 'vitest';
import { HOUR, MINUTE, T0, startRun, type Run } from '../../support/model.js';

function snapshot(run: Run) {
  return run.metrics.definitionsList().map((d) => [d.name, run.metrics.get(d.name)]);
}

/**
 * Two ways to run the model: minutes of full traffic, where every request path runs thousands of times,
 * and hours of light traffic (a fiftieth), where the slow timers fire too (anchors, Psi phases,
 * transmutations). Hours of full traffic cost seconds and find nothing the two do not.
 */
const RUNS = {
  busy: { until: T0 + 15 * MINUTE, knobs: {} },
  long: { until: T0 + 4 * HOUR, knobs: { rate_scale: 0.02 } },
};

/** A run's metrics every half hour up to `until`, and at `until`. */
interface Trace {
  run: Run;
  metrics: { t: number; snapshot: ReturnType<typeof snapshot> }[];
}

/**
 * Advances a run to `until` in steps of `step`, keeping its metrics at every half hour on the way: a
 * difference in a slow timer (a phase's or a transmutation's end) shows only once it fires, and may be gone
 * again by the end.
 */
function trace(run: Run, until: number, step = 30 * MINUTE): Trace {
  const metrics: Trace['metrics'] = [];
  let next = Math.min(T0 + 30 * MINUTE, until);
  for (let t = T0; t < until;) {
    t = Math.min(t + step, next);
    run.sim.advanceTo(t);
    if (t === next) {
      metrics.push({ t, snapshot: snapshot(run) });
      next = Math.min(next + 30 * MINUTE, until);
    }
  }
  return { run, metrics };
}

function expectSameOnTheWay(a: Trace, b: Trace): void {
  expect(b.metrics.map((m) => m.t)).toEqual(a.metrics.map((m) => m.t));
  a.metrics.forEach((m, i) => {
    expect(b.metrics[i]?.snapshot, `metrics at ${new Date(m.t).toISOString()}`).toEqual(m.snapshot);
  });
}

/**
 * The runs more than one test compares, each simulated once: all of seed 7, the one with logs and spans
 * is what the others must agree with.
 */
const traces = new Map<string, Trace>();
function once(key: string, make: () => Trace): Trace {
  if (!traces.has(key)) traces.set(key, make());
  return traces.get(key)!;
}
const detailed = (name: keyof typeof RUNS) =>
  once(`${name} detailed`, () => trace(startRun({ seed: 7, knobs: RUNS[name].knobs }), RUNS[name].until));
const metricsOnly = (name: keyof typeof RUNS) =>
  once(`${name} metrics only`, () =>
    trace(startRun({ seed: 7, detail: false, knobs: RUNS[name].knobs }), RUNS[name].until),
  );

/** The long run reaches the model's rarest events, so that the comparisons cover them. */
function expectRareEvents(run: Run): void {
  const messages = new Set(run.logs.map((l) => l.message));
  for (const m of ['transmutation started', 'transmutation completed', 'anchor committed']) {
    expect(messages).toContain(m);
  }
  expect([...messages].some((m) => m.startsWith('psi phase entered'))).toBe(true);
}

const names = Object.keys(RUNS) as (keyof typeof RUNS)[];

describe('the model is deterministic', () => {
  it.each(names)('gives the same series, logs and spans for the same seed (%s)', (name) => {
    const a = detailed(name);
    const b = trace(startRun({ seed: 7, knobs: RUNS[name].knobs }), RUNS[name].until);
    expectSameOnTheWay(a, b);
    expect(a.run.logs.length).toBeGreaterThan(1000);
    expect(b.run.logs).toEqual(a.run.logs);
    expect(b.run.spans).toEqual(a.run.spans);
    if (name === 'long') expectRareEvents(a.run);
  });

  it('gives different traffic for a different seed', () => {
    const a = startRun({ seed: 1, detail: false });
    const b = startRun({ seed: 2, detail: false });
    a.sim.advanceTo(T0 + 10 * MINUTE);
    b.sim.advanceTo(T0 + 10 * MINUTE);
    expect(a.metrics.get('vaultmesh_receipts_total')).not.toEqual(b.metrics.get('vaultmesh_receipts_total'));
  });

  it.each(names)('produces the same metrics whether or not logs and spans are wanted (%s)', (name) => {
    expectSameOnTheWay(detailed(name), metricsOnly(name));
    if (name === 'long') expectRareEvents(detailed(name).run);
  });

  it.each(names)('does not depend on how time is split into advance calls (%s)', (name) => {
    const r = RUNS[name];
    // Steps of 3.7 s against steps of half an hour (one step for the busy run, which is shorter).
    expectSameOnTheWay(
      metricsOnly(name),
      trace(startRun({ seed: 7, detail: false, knobs: r.knobs }), r.until, 3_700),
    );
  });
});
