import { afterEach, describe, expect, it } from 'vitest';
import { VirtualClock } from '../../generators/clock.js';
import { LiveGenerators } from '../../generators/live/live-generators.js';
import { UserError } from '../../generators/user-error.js';
import { HISTORY_SAMPLE_BUDGET, historyBudget } from '../../sandbox/stack/history-blocks.js';

const DAY = 86_400_000;
const started: LiveGenerators[] = [];
afterEach(async () => {
  await Promise.all(started.splice(0).map((g) => g.stop()));
});

const generators = async (historyMs: number, intervalMs: number) => {
  const live = await LiveGenerators.start({
    seed: 1,
    port: 0,
    scrape: false,
    clock: new VirtualClock(Date.UTC(2026, 0, 5)),
    historyMs,
    historyIntervalMs: intervalMs,
    checkHistory: historyBudget(historyMs, intervalMs),
  });
  started.push(live);
  await live.history();
  return live;
};

describe('historyBudget', () => {
  it('refuses `--history 1d` at 15s from the first scrape, with the figure and how to lower it', async () => {
    const begun = performance.now();
    const error = await generators(DAY, 15_000).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(UserError);
    expect((error as Error).message).toMatch(
      /^--history 1d would simulate about [\d.]+ million samples \(\d+ series x 5760 scrapes every 15s\), more than the budget of 1\.00 million; give a shorter --history, a longer --interval, or fewer systems$/,
    );
    expect(performance.now() - begun).toBeLessThan(10_000);
    expect(HISTORY_SAMPLE_BUDGET).toBe(1_000_000);
  }, 60_000);

  it('lets the default history through', async () => {
    const live = await generators(70 * 60_000, 15_000);
    expect((await live.history())?.series.length).toBeGreaterThan(100);
  }, 120_000);
});
