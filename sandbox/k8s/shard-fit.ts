import { estimateShardSeries } from '../../generators/live/series-estimate.js';
import type { SystemDefinition } from '../../generators/model/system.js';
import { MAX_SCALE, SERIES_BUDGET } from '../../generators/systems/scale.js';
import { targetsOf } from '../../generators/systems/targets.js';
import { UserError } from '../../generators/user-error.js';

/**
 * Refuses a StatefulSet whose pods could not all start: a pod whose shard has no target, or one whose
 * shard is over a process's series budget, would only crash-loop with `sandbox generate`'s own refusal.
 * The budget is checked on pod 0's shard (the shards differ by at most one target).
 */
export async function assertShardsFit(
  options: { replicas: number; scale: number },
  systems: readonly SystemDefinition[],
  seed: number | string,
): Promise<void> {
  const { replicas, scale } = options;
  if (scale > MAX_SCALE) throw new UserError(`--scale ${scale} is over ${MAX_SCALE}; give ${MAX_SCALE} or less`);
  const targets = targetsOf(systems).length;
  if (replicas > targets * scale)
    throw new UserError(
      `--replicas ${replicas} leaves pods without a shard: --scale ${scale} makes ${targets * scale} targets to share; give --scale ${Math.ceil(replicas / targets)} or more, or --replicas ${targets * scale} or less`,
    );
  if (scale === 1) return;
  // The start time only places the probe's model clock; any fixed one counts the same series.
  const { series, perReplica } = await estimateShardSeries(systems, seed, 0, scale, { index: 0, count: replicas });
  if (series <= SERIES_BUDGET) return;
  const n = (x: number) => x.toLocaleString('en');
  throw new UserError(
    `--scale ${scale} over --replicas ${replicas} would push or serve about ${n(series)} series from each pod ` +
      `(${n(perReplica)} per replica), over the budget of ${n(SERIES_BUDGET)} per process: give --replicas ` +
      `${Math.ceil((perReplica * scale) / SERIES_BUDGET)} or more, or --scale ${Math.floor((SERIES_BUDGET * replicas) / perReplica)} or less`,
  );
}
