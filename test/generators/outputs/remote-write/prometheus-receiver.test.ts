import { dirname, join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { VirtualClock } from '../../../../generators/clock.js';
import { loadSystem } from '../../../../generators/declared/load-system.js';
import { LiveGenerators, type LiveOptions } from '../../../../generators/live/live-generators.js';
import { defaultSystems } from '../../../../generators/systems/index.js';
import { requireBinaries } from '../../../support/binaries.js';
import { oldestPromtool } from '../../../support/oldest-prometheus.js';
import {
  startReceiver,
  type RemoteWriteReceiver,
  type Vector,
} from '../../../support/remote-write-receiver.js';
import { parseExposition } from '../../../support/text-exposition.js';

const bins = await requireBinaries(['prometheus']);
const oldest = await oldestPromtool();
const receivers = [
  ...(bins.available ? [{ version: '3.5', binary: () => bins.get('prometheus').path }] : []),
  ...(oldest.path ? [{ version: '2.42', binary: () => join(dirname(oldest.path!), 'prometheus') }] : []),
];

/** Model time of the pushes: recent, so that the receiver's TSDB takes them. */
const NOW = Math.floor(Date.now() / 60_000) * 60_000;
const RUN_MS = 10 * 60_000;
/** The built-in systems and a declared one with summaries and several targets per job. */
const SYSTEMS = [
  ...defaultSystems(),
  await loadSystem(join(import.meta.dirname, '../../../../generators/systems/lexecon/lexecon.system.yaml')),
];

/** Generators that have run RUN_MS of model time up to NOW, pushing to `url` only when asked. */
async function generatorsAt(url: string, options: Partial<LiveOptions> = {}): Promise<LiveGenerators> {
  const clock = new VirtualClock(NOW - RUN_MS);
  const live = await LiveGenerators.start({
    seed: 7,
    port: 0,
    clock,
    stepIntervalMs: 3_600_000,
    remoteWrite: { sender: { url }, intervalMs: 3_600_000 },
    ...options,
  });
  await live.pushNow();
  clock.advanceTo(NOW);
  while (!live.step());
  return live;
}

function key(metric: Record<string, string>): string {
  return JSON.stringify(Object.entries(metric).sort(([a], [b]) => (a < b ? -1 : 1)));
}

function byKey(vectors: Vector[]): Map<string, number> {
  return new Map(vectors.map((v) => [key(v.metric), v.value]));
}

describe.each(receivers)('remote write into the real Prometheus $version', ({ binary }) => {
  let receiver: RemoteWriteReceiver;
  beforeAll(async () => {
    receiver = await startReceiver(binary());
  }, 120_000);
  afterAll(async () => receiver?.stop());

  it('delivers what the scrape targets serve: the same series, labels and values at the same model time', async () => {
    const live = await generatorsAt(receiver.url, { systems: SYSTEMS });
    try {
      const served: Vector[] = [];
      for (const target of live.targets()) {
        const text = await (await fetch(target.url)).text();
        for (const v of parseExposition(text)) {
          const metric = Object.fromEntries(Object.entries(v.metric).filter(([, value]) => value !== ''));
          served.push({
            metric: { ...metric, job: target.job, instance: `${target.job}-${target.instance}` },
            value: v.value,
          });
        }
      }
      const before = live.remoteWriteStats()!.sent;
      await live.pushNow();
      expect(live.remoteWriteStats()).toMatchObject({ dropped: 0, sent: before + served.length });
      const arrived = byKey(await receiver.everything(NOW));
      const expected = byKey(served);
      const types = new Set(served.map((v) => v.metric.__name__!.replace(/_(bucket|sum|count)$/, '')));
      expect(served.some((v) => v.metric.le !== undefined)).toBe(true);
      expect(served.some((v) => v.metric.quantile !== undefined)).toBe(true);
      expect(types.size).toBeGreaterThan(20);
      expect([...arrived.keys()].sort()).toEqual([...expected.keys()].sort());
      for (const [k, value] of expected) expect([k, arrived.get(k)]).toEqual([k, value]);
    } finally {
      await live.stop();
    }
  }, 180_000);
});

describe.skipIf(!bins.available)('three shards pushing into one Prometheus', () => {
  it('deliver exactly the series (and values) of one unsharded run', async () => {
    const whole = await startReceiver(bins.get('prometheus').path);
    const sharded = await startReceiver(bins.get('prometheus').path);
    try {
      const one = await generatorsAt(whole.url, { scale: 2, scrape: false });
      await one.pushNow();
      await one.stop();
      const shards = await Promise.all(
        [0, 1, 2].map((index) =>
          generatorsAt(sharded.url, { scale: 2, scrape: false, shard: { index, count: 3 } }),
        ),
      );
      const counts = await Promise.all(shards.map((s) => s.seriesCount()));
      for (const shard of shards) await shard.pushNow();
      for (const shard of shards) await shard.stop();
      const expected = byKey(await whole.everything(NOW));
      const arrived = byKey(await sharded.everything(NOW));
      expect(counts.every((n) => n > 0)).toBe(true);
      expect(counts.reduce((a, b) => a + b)).toBe(expected.size);
      expect(new Set(await whole.everything(NOW).then((v) => v.map((x) => x.metric.replica)))).toEqual(
        new Set(['0', '1']),
      );
      expect([...arrived.keys()].sort()).toEqual([...expected.keys()].sort());
      for (const [k, value] of expected) expect([k, arrived.get(k)]).toEqual([k, value]);
    } finally {
      await whole.stop();
      await sharded.stop();
    }
  }, 300_000);
});
