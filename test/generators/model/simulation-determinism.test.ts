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

/**
 * Advances both runs to `until`, comparing their metrics every half hour on the way: a difference in a slow
 * timer (a phase's or a transmutation's end) shows only once it fires, and may be gone again by the end.
 */
function compareOnTheWay(a: Run, b: Run, until: number): void {
  for (let t = T0; t < until;) {
    t = Math.min(t + 30 * MINUTE, until);
    a.sim.advanceTo(t);
    b.sim.advanceTo(t);
    expect(snapshot(a), `metrics at ${new Date(t).toISOString()}`).toEqual(snapshot(b));
  }
}

/** The long runs of these seeds reach the model's rarest events, so that the comparisons cover them. */
function expectRareEvents(run: Run): void {
  const messages = new Set(run.logs.map((l) => l.message));
  for (const m of ['transmutation started', 'transmutation completed', 'anchor committed']) {
    expect(messages).toContain(m);
  }
  expect([...messages].some((m) => m.startsWith('psi phase entered'))).toBe(true);
}

describe('the model is deterministic', () => {
  it.each(Object.entries(RUNS))('gives the same series, logs and spans for the same seed (%s)', (name, r) => {
    const a = startRun({ seed: 7, knobs: r.knobs });
    const b = startRun({ seed: 7, knobs: r.knobs });
    compareOnTheWay(a, b, r.until);
    expect(a.logs.length).toBeGreaterThan(1000);
    expect(a.logs).toEqual(b.logs);
    expect(a.spans).toEqual(b.spans);
    if (name === 'long') expectRareEvents(a);
  });

  it('gives different traffic for a different seed', () => {
    const a = startRun({ seed: 1, detail: false });
    const b = startRun({ seed: 2, detail: false });
    a.sim.advanceTo(T0 + 10 * MINUTE);
    b.sim.advanceTo(T0 + 10 * MINUTE);
    expect(a.metrics.get('vaultmesh_receipts_total')).not.toEqual(b.metrics.get('vaultmesh_receipts_total'));
  });

  it.each(Object.entries(RUNS))(
    'produces the same metrics whether or not logs and spans are wanted (%s)',
    (name, r) => {
      const withDetail = startRun({ seed: 5, detail: true, knobs: r.knobs });
      const metricsOnly = startRun({ seed: 5, detail: false, knobs: r.knobs });
      compareOnTheWay(withDetail, metricsOnly, r.until);
      if (name === 'long') expectRareEvents(withDetail);
    },
  );

  it.each(Object.entries(RUNS))('does not depend on how time is split into advance calls (%s)', (_, r) => {
    const big = startRun({ seed: 3, detail: false, knobs: r.knobs });
    const small = startRun({ seed: 3, detail: false, knobs: r.knobs });
    big.sim.advanceTo(r.until);
    for (let t = T0; t <= r.until; t += 3_700) small.sim.advanceTo(t);
    small.sim.advanceTo(r.until);
    expect(snapshot(small)).toEqual(snapshot(big));
  });
});
