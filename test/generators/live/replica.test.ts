import { describe, expect, it } from 'vitest';
import { createReplica, type Replica } from '../../../generators/live/replica.js';
import type { TimeSeries } from '../../../generators/outputs/remote-write/write-request.js';
import { defaultSystems } from '../../../generators/systems/index.js';
import { targetsOf } from '../../../generators/systems/targets.js';

const START = Date.UTC(2026, 0, 5, 12);
const systems = defaultSystems();

function replica(index: number, scrape: boolean): Replica {
  return createReplica(index, {
    systems,
    seed: 3,
    startTime: START,
    sink: {},
    labelled: true,
    scrape,
  });
}

/** Every up target's series, keyed by their labels, valued by their sample (NaN as text). */
async function pushed(r: Replica): Promise<Map<string, string>> {
  const out = new Map<string, string>();
  for (const { job, instance } of targetsOf(systems)) {
    if (!r.isUp(job, instance)) continue;
    for (const s of await r.series(job, instance, { job, instance: `${job}-${instance}` }))
      out.set(key(s), `${s.samples[0]!.value}@${s.samples[0]!.timestamp}`);
  }
  return out;
}

const key = (s: TimeSeries) => s.labels.map((l) => `${l.name}=${l.value}`).join(',');

describe('a replica', () => {
  it('pushes from its plain store (no scrape) exactly the series its prom-client registries would', async () => {
    const scraped = replica(2, true);
    const pushedOnly = replica(2, false);
    expect(pushedOnly.registries).toBeUndefined();
    for (const r of [scraped, pushedOnly]) r.simulation.advanceTo(START + 10 * 60_000);
    const want = await pushed(scraped);
    expect(want.size).toBeGreaterThan(200);
    expect([...want.keys()].some((k) => k.includes('le=+Inf'))).toBe(true);
    expect([...want.keys()].every((k) => k.includes('replica=2'))).toBe(true);
    expect(await pushed(pushedOnly)).toEqual(want);
  });
});
