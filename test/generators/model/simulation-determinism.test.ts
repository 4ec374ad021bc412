import { describe, expect, it } from 'vitest';
import { HOUR, T0, startRun } from '../../support/model.js';

function snapshot(run: ReturnType<typeof startRun>) {
  return run.metrics.definitionsList().map((d) => [d.name, run.metrics.get(d.name)]);
}

describe('the model is deterministic', () => {
  it('gives the same series, logs and spans for the same seed', () => {
    const a = startRun({ seed: 42 });
    const b = startRun({ seed: 42 });
    a.sim.advanceTo(T0 + HOUR);
    b.sim.advanceTo(T0 + HOUR);
    expect(snapshot(a)).toEqual(snapshot(b));
    expect(a.logs.length).toBeGreaterThan(1000);
    expect(a.logs).toEqual(b.logs);
    expect(a.spans).toEqual(b.spans);
  });

  it('gives different traffic for a different seed', () => {
    const a = startRun({ seed: 1, detail: false });
    const b = startRun({ seed: 2, detail: false });
    a.sim.advanceTo(T0 + HOUR);
    b.sim.advanceTo(T0 + HOUR);
    expect(a.metrics.get('vaultmesh_receipts_total')).not.toEqual(b.metrics.get('vaultmesh_receipts_total'));
  });

  it('produces the same metrics whether or not logs and spans are wanted', () => {
    const withDetail = startRun({ seed: 9, detail: true });
    const metricsOnly = startRun({ seed: 9, detail: false });
    withDetail.sim.advanceTo(T0 + 2 * HOUR);
    metricsOnly.sim.advanceTo(T0 + 2 * HOUR);
    expect(snapshot(withDetail)).toEqual(snapshot(metricsOnly));
  });

  it('does not depend on how time is split into advance calls', () => {
    const big = startRun({ seed: 3, detail: false });
    const small = startRun({ seed: 3, detail: false });
    big.sim.advanceTo(T0 + HOUR);
    for (let t = T0; t <= T0 + HOUR; t += 3_700) small.sim.advanceTo(t);
    small.sim.advanceTo(T0 + HOUR);
    expect(snapshot(small)).toEqual(snapshot(big));
  });
});
