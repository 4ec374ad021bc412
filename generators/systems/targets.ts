import type { SystemDefinition } from '../model/system.js';
import { jobsOf } from './index.js';

/** One scrape target: a job and the ordinal of its target among the job's (0 when it has one). */
export interface JobTarget {
  job: string;
  instance: number;
}

/**
 * Scrape targets of the given systems: jobs in `jobsOf` order, each job's targets consecutively. Live ports,
 * replay addresses and the stack's scrape configs all follow this order.
 */
export function targetsOf(systems: readonly SystemDefinition[]): JobTarget[] {
  const counts: Record<string, number> = Object.assign({}, ...systems.map((s) => s.instances ?? {}));
  return jobsOf(systems).flatMap((job) => {
    const count = counts[job] ?? 1;
    if (!Number.isInteger(count) || count < 1)
      throw new Error(`job ${job}: instances must be a positive integer`);
    return Array.from({ length: count }, (_, instance) => ({ job, instance }));
  });
}
