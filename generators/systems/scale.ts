import type { JobTarget } from './targets.js';

/** --scale at most; what bounds one process is the series it pushes or serves (SERIES_BUDGET). */
export const MAX_SCALE = 10_000;

/**
 * Series one process (one shard) may push or serve: about 250,000 take under 1 GB of RSS when only pushed
 * (README, "Scale"). Beyond, more shards share the load.
 */
export const SERIES_BUDGET = 300_000;

/** One of `count` processes that share one logical system (0-based `index`). */
export interface Shard {
  index: number;
  count: number;
}

/** A scrape target of one replica of the systems. */
export interface ReplicaTarget extends JobTarget {
  replica: number;
}

/**
 * The targets of `scale` replicas of the systems that `shard` serves. All replicas' targets, replica after
 * replica, are cut into `shard.count` contiguous blocks of (nearly) equal size; each shard takes its own,
 * so the shards never overlap and together serve every target, and each shard simulates few replicas.
 */
export function shardTargets(
  targets: readonly JobTarget[],
  scale: number,
  shard: Shard = { index: 0, count: 1 },
): ReplicaTarget[] {
  if (!(Number.isInteger(scale) && scale >= 1))
    throw new Error(`scale must be a positive integer, not ${scale}`);
  if (!(Number.isInteger(shard.count) && shard.count >= 1 && shard.index >= 0 && shard.index < shard.count))
    throw new Error(`shard ${shard.index}/${shard.count} is not one of 0/N to N-1/N`);
  const total = targets.length * scale;
  const from = Math.floor((shard.index * total) / shard.count);
  const to = Math.floor(((shard.index + 1) * total) / shard.count);
  const out: ReplicaTarget[] = [];
  for (let g = from; g < to; g++)
    out.push({ ...targets[g % targets.length]!, replica: Math.floor(g / targets.length) });
  return out;
}

/** Replica 0 is the unscaled system; the others draw from seeds of their own, derived from the run's. */
export function replicaSeed(seed: number | string, replica: number): number | string {
  return replica === 0 ? seed : `${String(seed)}/replica-${replica}`;
}

/** Key of a target of one replica, for counting series per target. */
export const targetKey = (target: JobTarget) => `${target.job}/${target.instance}`;

/**
 * Series the shard's targets push or serve, from the series each target of one replica has: every replica
 * has the same targets and, but for its own traffic, the same series.
 */
export function shardSeries(perTarget: ReadonlyMap<string, number>, owned: readonly ReplicaTarget[]): number {
  let series = 0;
  for (const target of owned) series += perTarget.get(targetKey(target)) ?? 0;
  return series;
}

/** Why a shard's estimated series are over the budget, and the fewest shards that would keep each under it. */
export function seriesOverBudget(
  estimate: { series: number; perReplica: number; scale: number; shard?: Shard },
  budget = SERIES_BUDGET,
): string | undefined {
  if (estimate.series <= budget) return undefined;
  const { series, perReplica, scale, shard } = estimate;
  const shards = Math.ceil((perReplica * scale) / budget);
  const n = (x: number) => x.toLocaleString('en');
  const where = shard ? `--scale ${scale} --shard ${shard.index}/${shard.count}` : `--scale ${scale}`;
  return (
    `${where} would push or serve about ${n(series)} series from one process (${n(perReplica)} per replica), ` +
    `over the budget of ${n(budget)} per process: spread them over ${shards} or more processes ` +
    `(--shard 0/${shards} ... ${shards - 1}/${shards}) or give --scale ${Math.floor((budget * (shard?.count ?? 1)) / perReplica)} or less`
  );
}
