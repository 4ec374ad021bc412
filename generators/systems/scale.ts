import type { JobTarget } from './targets.js';

/** --scale at most: beyond, one process holds too many series to be of use (see the series estimate). */
export const MAX_SCALE = 1000;

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
