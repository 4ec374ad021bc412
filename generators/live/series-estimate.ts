import type { SystemDefinition } from '../model/system.js';
import { shardSeries, shardTargets, targetKey, type Shard } from '../systems/scale.js';
import { targetsOf } from '../systems/targets.js';
import { createReplica } from './replica.js';

/** Model time a probe replica runs before its series are counted: the series that traffic creates appear. */
const PROBE_MS = 5 * 60_000;

export interface SeriesEstimate {
  /** Series the shard's targets push or serve. */
  series: number;
  /** Series of one replica. */
  perReplica: number;
}

/**
 * Series a shard of `scale` replicas will push or serve, estimated from one replica (without logs or spans,
 * in a plain store) run for a few minutes of model time: cheap enough to refuse a scale before it is built.
 */
export async function estimateShardSeries(
  systems: readonly SystemDefinition[],
  seed: number | string,
  startTime: number,
  scale: number,
  shard?: Shard,
): Promise<SeriesEstimate> {
  const probe = createReplica(0, { systems, seed, startTime, sink: {}, labelled: scale > 1, scrape: false });
  probe.simulation.advanceTo(startTime + PROBE_MS);
  const perTarget = new Map<string, number>();
  const targets = targetsOf(systems);
  for (const target of targets)
    perTarget.set(targetKey(target), (await probe.series(target.job, target.instance, {})).length);
  const perReplica = shardSeries(perTarget, shardTargets(targets, 1));
  return { series: shardSeries(perTarget, shardTargets(targets, scale, shard)), perReplica };
}
