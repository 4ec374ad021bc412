/**
 * Scrape jobs the generators serve, one registry and one target each. The three `vaultmesh-*` jobs are the
 * seed's; the overview dashboard counts `sum(up{job=~"vaultmesh-.*"})` and reads 3 as "all up", so the
 * proof pipeline (a separate system in the seeds) gets a job outside that pattern.
 */
export const JOBS = [
  'vaultmesh-portal',
  'vaultmesh-guardian',
  'vaultmesh-oracle',
  'zkp-dataset-ledger',
] as const;

export type JobName = (typeof JOBS)[number];

/** Short service names used by faults and the CLI (`service_down:service=portal`). */
export const SERVICE_OF_JOB: Readonly<Record<JobName, string>> = {
  'vaultmesh-portal': 'portal',
  'vaultmesh-guardian': 'guardian',
  'vaultmesh-oracle': 'oracle',
  'zkp-dataset-ledger': 'zkp',
};

export const JOB_OF_SERVICE: Readonly<Record<string, JobName>> = Object.fromEntries(
  JOBS.map((job) => [SERVICE_OF_JOB[job], job]),
);
