import { afterEach, describe, expect, it } from 'vitest';
import { VirtualClock } from '../../generators/clock.js';
import { LiveGenerators } from '../../generators/live/live-generators.js';
import { UserError } from '../../generators/user-error.js';
import {
  checkHistoryBudget,
  HISTORY_SAMPLE_BUDGET,
  historyBudget,
} from '../../sandbox/stack/history-blocks.js';
import { SystemCatalogue } from '../../sandbox/systems/system-catalogue.js';

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
    // CPU time, not wall time (a busy machine stretches the latter): simulating the whole day takes tens of
    // seconds of it, the refusal at the first scrape a fraction of one.
    const begun = process.cpuUsage();
    const error = await generators(DAY, 15_000).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(UserError);
    expect((error as Error).message).toMatch(
      /^--history 1d would simulate about [\d.]+ million samples \(\d+ series x 5760 scrapes every 15s\), more than the budget of 1\.00 million; give a shorter --history, a longer --interval, or fewer systems$/,
    );
    const cpu = process.cpuUsage(begun);
    expect((cpu.user + cpu.system) / 1000).toBeLessThan(10_000);
    expect(HISTORY_SAMPLE_BUDGET).toBe(1_000_000);
  }, 60_000);

  it('lets the default history through', async () => {
    const live = await generators(70 * 60_000, 15_000);
    expect((await live.history())?.series.length).toBeGreaterThan(100);
  }, 120_000);
});

describe('checkHistoryBudget', () => {
  const systems = SystemCatalogue.defaults().systems;
  const check = (historyMs: number, scrapeIntervalMs: number) =>
    checkHistoryBudget({ systems, seed: 1, historyMs, scrapeIntervalMs });
  const REFUSAL =
    /^--history (\S+) would simulate about ([\d.]+) million samples \((\d+) series x (\d+) scrapes every (\S+)\), more than the budget of 1\.00 million; give a shorter --history, a longer --interval, or fewer systems$/;

  it('refuses `--history 1d` at 15s with the message the simulation gives: series x scrapes', async () => {
    const error = await check(DAY, 15_000).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(UserError);
    const [, history, millions, series, scrapes, every] = REFUSAL.exec((error as Error).message) ?? [];
    expect([history, scrapes, every]).toEqual(['1d', '5760', '15s']);
    expect(Number(millions)).toBeCloseTo((Number(series) * 5760) / 1e6, 2);
  });

  it('counts the scrapes at the history interval, which is no finer than 15s', async () => {
    const error = await check(20 * 60 * 60_000, 1_000).catch((e: unknown) => e);
    expect((error as Error).message).toMatch(/^--history 20h would .* x 4800 scrapes every 15s\)/);
    await expect(check(12 * 60 * 60_000, 60_000)).resolves.toBeUndefined();
  });

  it('estimates as many series as a simulated history has at its first scrape, or more', async () => {
    const error = await check(DAY, 15_000).catch((e: unknown) => e);
    const estimated = Number(REFUSAL.exec((error as Error).message)?.[3]);
    const simulated = await generators(DAY, 15_000).catch((e: unknown) => e);
    expect(estimated).toBeGreaterThanOrEqual(Number(REFUSAL.exec((simulated as Error).message)?.[3]));
  }, 60_000);

  it('lets the default history and no history through', async () => {
    await expect(check(70 * 60_000, 15_000)).resolves.toBeUndefined();
    await expect(check(0, 15_000)).resolves.toBeUndefined();
  });
});
