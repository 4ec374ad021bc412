import { afterEach, describe, expect, it } from 'vitest';
import type { Clock } from '../../../generators/clock.js';
import { LiveGenerators } from '../../../generators/live/live-generators.js';
import { demo } from '../../support/demo-system.js';

const T0 = Date.UTC(2026, 0, 1);
const started: LiveGenerators[] = [];
afterEach(async () => {
  await Promise.all(started.splice(0).map((g) => g.stop()));
});

/** A clock read first at T0 (where the history is planned to end), then `laterMs` on while it is simulated. */
const slowStart = (laterMs: number): Clock => {
  let reads = 0;
  return { now: () => (reads++ === 0 ? T0 : T0 + laterMs) };
};

const history = async (clock: Clock) => {
  const live = await LiveGenerators.start({
    systems: [demo],
    seed: 3,
    port: 0,
    scrape: false,
    clock,
    historyMs: 10 * 60_000,
    historyIntervalMs: 15_000,
  });
  started.push(live);
  return (await live.history())!;
};

describe('the recorded history', () => {
  it('runs on every interval to the moment the live generators take over, its last sample there', async () => {
    const { timesMs, series } = await history(slowStart(40_000));
    expect(timesMs[0]).toBe(T0 - 10 * 60_000);
    expect(timesMs.slice(-4)).toEqual([T0, T0 + 15_000, T0 + 30_000, T0 + 40_000]);
    for (const s of series) expect(s.samples).toHaveLength(timesMs.length);
  });

  it('ends on the interval when that is the moment it ends', async () => {
    const { timesMs } = await history(slowStart(0));
    expect(timesMs).toHaveLength(41);
    expect(timesMs.at(-1)).toBe(T0);
  });

  it('runs on at most a tenth longer than planned, for a clock far ahead', async () => {
    const { timesMs } = await history(slowStart(3_600_000));
    expect(timesMs.slice(-2)).toEqual([T0 + 45_000, T0 + 60_000]);
  });
});
