import { describe, expect, it } from 'vitest';
import { VirtualClock } from '../../../generators/clock.js';
import { LiveGenerators } from '../../../generators/live/live-generators.js';
import { estimateShardSeries } from '../../../generators/live/series-estimate.js';
import { defaultSystems } from '../../../generators/systems/index.js';

const START = Date.UTC(2026, 0, 5, 12);

describe('the series estimate of a shard', () => {
  it('is within a few percent of the series the shard pushes once running', async () => {
    const systems = defaultSystems();
    const shard = { index: 1, count: 3 };
    const estimate = await estimateShardSeries(systems, 5, START, 6, shard);
    const clock = new VirtualClock(START);
    const live = await LiveGenerators.start({
      systems,
      seed: 5,
      port: 0,
      clock,
      scale: 6,
      shard,
      scrape: false,
      stepIntervalMs: 3_600_000,
    });
    try {
      clock.advanceBy(10 * 60_000);
      while (!live.step());
      const actual = await live.seriesCount();
      expect(estimate.perReplica).toBeGreaterThan(200);
      expect(Math.abs(estimate.series - actual) / actual).toBeLessThan(0.05);
    } finally {
      await live.stop();
    }
  }, 60_000);
});
