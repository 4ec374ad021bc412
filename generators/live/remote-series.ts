import type { SenderOptions } from '../outputs/remote-write/sender.js';
import type { TimeSeries } from '../outputs/remote-write/write-request.js';
import type { ReplicaTarget } from '../systems/scale.js';
import type { Replica } from './replica.js';

export interface LiveRemoteWrite {
  sender: SenderOptions;
  /** Wall time between two pushes of every series' current value. */
  intervalMs: number;
  queueCapacity?: number;
  maxSamplesPerSend?: number;
}

/**
 * Labels remote write adds to a target's series, as a scrape adds job and instance; the instance names the
 * target, not an address, so that every shard and every run names it alike.
 */
export function remoteTargetLabels(target: ReplicaTarget): Record<string, string> {
  return { job: target.job, instance: `${target.job}-${target.instance}` };
}

/** Every series of the given targets that are up, each at its replica's model time. */
export async function seriesOfTargets(
  targets: readonly ReplicaTarget[],
  replicas: ReadonlyMap<number, Replica>,
): Promise<TimeSeries[]> {
  const out: TimeSeries[] = [];
  for (const target of targets) {
    const replica = replicas.get(target.replica);
    if (!replica) throw new Error(`replica ${target.replica} is not simulated here`);
    if (!replica.isUp(target.job, target.instance)) continue;
    for (const series of await replica.series(target.job, target.instance, remoteTargetLabels(target)))
      out.push(series);
  }
  return out;
}
