import { describe, expect, it } from 'vitest';
import { VirtualClock, WallClock } from '../../generators/clock.js';
import { HOUR, MINUTE, startRun, value } from '../support/model.js';

describe('timestamps come from the injected clock', () => {
  for (const start of [0, Date.UTC(2031, 5, 15, 12)]) {
    it(`follow model time starting at ${new Date(start).toISOString()}`, () => {
      const clock = new VirtualClock(start);
      // What this reads comes from timers (anchors, node heartbeats), not traffic: a fiftieth of it will do.
      const run = startRun({ startTime: clock.now(), knobs: { rate_scale: 0.02 } });
      // Two anchor cycles: the last anchor below is one the run made, not the one it started with.
      clock.advanceBy(20 * MINUTE);
      run.sim.advanceTo(clock.now());
      const now = clock.now() / 1000;
      const lastAnchor = value(run.metrics, 'vaultmesh_guardian_last_anchor_timestamp');
      expect(lastAnchor).toBeGreaterThan(now - 15 * 60);
      expect(lastAnchor).toBeLessThanOrEqual(now);
      const lastSeen = run.metrics.get('vaultmesh_mesh_node_last_seen_timestamp');
      expect(lastSeen.length).toBeGreaterThan(0);
      for (const s of lastSeen) {
        expect(s.value).toBeGreaterThan(now - 120);
        expect(s.value).toBeLessThanOrEqual(now);
      }
      expect(run.logs.length).toBeGreaterThan(0);
      expect(run.spans.length).toBeGreaterThan(0);
      expect(run.logs.every((l) => l.timeMs >= start - MINUTE && l.timeMs <= clock.now() + 5 * MINUTE)).toBe(
        true,
      );
      expect(run.spans.every((s) => s.startMs >= start - MINUTE && s.endMs >= s.startMs)).toBe(true);
    });
  }

  it('backdates stall faults from model time', () => {
    // Psi's clock does not depend on traffic: a fiftieth of it keeps the run cheap.
    const run = startRun({ startTime: 0, detail: false, knobs: { rate_scale: 0.02 } });
    run.sim.advanceTo(HOUR);
    run.sim.setFault({ name: 'transmutation_stall', params: { since: '25h' } });
    run.sim.advanceTo(HOUR + MINUTE);
    const [started] = run.metrics
      .get('vaultmesh_psi_transmutation_started_timestamp')
      .filter((s) => s.labels.status === 'in_progress');
    expect(started?.value).toBe((HOUR + 1000 - 25 * HOUR) / 1000);
  });

  it('a virtual clock never goes back; a wall clock can run faster', async () => {
    const clock = new VirtualClock(1000);
    expect(() => clock.advanceTo(999)).toThrow(/cannot go back/);
    const fast = new WallClock(100);
    const before = fast.now();
    await new Promise((r) => setTimeout(r, 50));
    expect(fast.now() - before).toBeGreaterThan(2_000);
  });
});
