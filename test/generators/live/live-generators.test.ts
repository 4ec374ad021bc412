import { afterEach, describe, expect, it } from 'vitest';
import { VirtualClock } from '../../../generators/clock.js';
import { LiveGenerators, type LiveOptions } from '../../../generators/live/live-generators.js';
import { demo } from '../../support/demo-system.js';
import { FakeLoki } from '../../support/fake-loki.js';
import { freePort, waitFor } from '../../support/ports.js';

const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

const START = Date.UTC(2026, 0, 5, 12);

/** Generators on a clock that moves only when told to; `messages` gets what they report. */
async function generators(options: Partial<LiveOptions> = {}) {
  const clock = new VirtualClock(START);
  const messages: string[] = [];
  const live = await LiveGenerators.start({
    seed: 1,
    port: 0,
    clock,
    stepIntervalMs: 60_000,
    onStatus: (m) => messages.push(m),
    ...options,
  });
  let stopped = false;
  const stop = async () => {
    if (!stopped) await live.stop();
    stopped = true;
  };
  cleanups.push(stop);
  /** Produces `ms` of model time, and with it log lines. */
  const run = (ms: number) => {
    clock.advanceBy(ms);
    live.step();
  };
  return { live, messages, run, stop };
}

async function fakeLoki(port = 0) {
  const loki = new FakeLoki();
  const url = await loki.listen(port);
  cleanups.push(() => loki.close());
  return { loki, url };
}

describe('the generators before Loki is ready', () => {
  it('hold their lines and send every one of them once Loki is connected', async () => {
    const { live, messages, run } = await generators({ awaitLoki: true });
    run(60_000);
    const before = live.logs.size;
    expect(before).toBeGreaterThan(20);
    const { loki, url } = await fakeLoki();
    live.connectLoki(url);
    run(15_000);
    const all = live.logs.size;
    await waitFor('every line at Loki', async () => (loki.lines === all ? true : undefined), 30_000);
    expect(messages.filter((m) => /dropped|not delivered/.test(m))).toEqual([]);
  }, 60_000);

  it('hold a bounded number of them and say how many were dropped', async () => {
    const { live, messages, run } = await generators({ awaitLoki: true, heldLogLines: 10 });
    run(60_000);
    const produced = live.logs.size;
    expect(produced).toBeGreaterThan(10);
    const { loki, url } = await fakeLoki();
    live.connectLoki(url);
    await waitFor('the kept lines at Loki', async () => (loki.lines === 10 ? true : undefined), 30_000);
    expect(messages).toContain(
      `${produced - 10} log lines from before Loki was ready were dropped (the newest 10 were kept)`,
    );
  }, 60_000);

  it('let them go when there is no Loki', async () => {
    const { live, messages, run, stop } = await generators({ awaitLoki: true });
    run(60_000);
    live.connectLoki(undefined);
    run(15_000);
    await stop();
    expect(messages).toEqual([]);
  }, 60_000);
});

describe('the generators pushing to a Loki that is down at first', () => {
  it('deliver every line once it is up', async () => {
    const port = await freePort();
    const { live, messages, run } = await generators();
    live.connectLoki(`http://127.0.0.1:${port}`);
    run(60_000);
    await waitFor('Loki reported unreachable', async () =>
      messages.some((m) => m.includes('is unreachable')) ? true : undefined,
    );
    const { loki } = await fakeLoki(port);
    const all = live.logs.size;
    await waitFor('every line at Loki', async () => (loki.lines === all ? true : undefined), 60_000);
    expect(messages.some((m) => m.includes('reachable again'))).toBe(true);
  }, 90_000);

  it('say how many lines were dropped when stopped while it is still down', async () => {
    const port = await freePort();
    const { live, messages, run, stop } = await generators();
    live.connectLoki(`http://127.0.0.1:${port}`);
    run(60_000);
    const all = live.logs.size;
    await stop();
    expect(messages).toContain(
      `${all} of ${all} log lines were not delivered to Loki (Loki was unreachable)`,
    );
  }, 60_000);
});

describe('the generators held (holdSteps)', () => {
  it('stay where they are until released, then catch up with the same lines as step by step', async () => {
    const steady = await generators();
    const held = await generators();
    let release!: () => void;
    held.live.holdSteps(new Promise<void>((resolve) => (release = resolve)));
    for (let i = 0; i < 4; i++) {
      steady.run(15_000);
      held.run(15_000);
    }
    expect(held.live.simulation.now()).toBe(START);
    expect(held.live.logs.size).toBe(0);
    release();
    await new Promise((resolve) => setImmediate(resolve));
    // One step advances for at most a slice of wall time: a busy machine takes several to catch up.
    const catchUp = async (live: LiveGenerators) => {
      while (!live.step()) await new Promise((resolve) => setImmediate(resolve));
    };
    await catchUp(held.live);
    await catchUp(steady.live);
    expect(held.live.simulation.now()).toBe(START + 60_000);
    expect(steady.live.simulation.now()).toBe(START + 60_000);
    expect(held.live.logs.size).toBeGreaterThan(20);
    expect(held.live.logs.toArray()).toEqual(steady.live.logs.toArray());
  }, 60_000);

  it('are released by a rejection too', async () => {
    const { live, run } = await generators();
    const failed = Promise.reject(new Error('no blocks'));
    live.holdSteps(failed);
    await failed.catch(() => undefined);
    run(15_000);
    while (!live.step()) await new Promise((resolve) => setImmediate(resolve));
    expect(live.simulation.now()).toBe(START + 15_000);
  });
});

describe('the generators with a history', () => {
  // A week: long enough that the simulation is still under way after a scrape's round trip (6 h of the demo
  // system ended within one on an idle machine).
  const withHistory = () =>
    generators({ systems: [demo], historyMs: 7 * 24 * 3_600_000, historyIntervalMs: 15_000 });
  const scrape = (url: string) =>
    fetch(url).then(
      (r) => r.status,
      () => 'cut' as const,
    );

  it('listen at once, cut every scrape while the history is simulated, and answer once it is recorded', async () => {
    const { live } = await withHistory();
    const url = live.targets()[0]!.url;
    expect(live.step()).toBe(false);
    let recorded = false;
    void live.history().then(() => (recorded = true));
    expect(await scrape(url)).toBe('cut');
    expect(recorded).toBe(false);
    const history = await live.history();
    expect(history?.timesMs.at(-1)).toBe(START);
    expect(await scrape(url)).toBe(200);
  }, 60_000);

  it('end the simulation when stopped during it: the history rejects, and stop is prompt', async () => {
    const { live, stop } = await withHistory();
    const history = live.history();
    const stopping = performance.now();
    await stop();
    expect(performance.now() - stopping).toBeLessThan(1_000);
    await expect(history).rejects.toThrow(/abort/i);
  }, 60_000);
});
