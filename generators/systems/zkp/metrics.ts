import { byName } from '../../model/by-name.js';
import { defineCounter, defineGauge, defineHistogram } from '../../model/metric-handles.js';

/** The pipeline's one scrape job. */
export const ZKP_JOB = 'zkp-dataset-ledger';
const zkp = ZKP_JOB;

/** The ZKP Dataset Ledger's proof pipeline metrics (seed 003); the seed gives no labels. */
// prettier-ignore
export const ZKP_METRICS = [
  defineCounter({ name: 'proofs_generated_total', help: 'Total ZK proofs generated', labelNames: [], job: zkp, source: 'seed' }),
  defineCounter({ name: 'proofs_verified_total', help: 'Total ZK proofs verified', labelNames: [], job: zkp, source: 'seed' }),
  defineHistogram({ name: 'proof_generation_duration_seconds', help: 'Time to generate proofs', labelNames: [], buckets: [1, 2.5, 5, 10, 15, 20, 30, 45, 60, 120, 300], job: zkp, source: 'seed' }),
  defineHistogram({ name: 'proof_verification_duration_seconds', help: 'Time to verify proofs', labelNames: [], buckets: [0.001, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1], job: zkp, source: 'seed' }),
  defineGauge({ name: 'circuit_constraint_count', help: 'Number of circuit constraints', labelNames: [], job: zkp, source: 'seed' }),
  defineHistogram({ name: 'proof_size_bytes', help: 'Size of generated proofs', labelNames: [], buckets: [128, 192, 256, 384, 512, 1024, 2048], job: zkp, source: 'seed' }),
  defineCounter({ name: 'proof_verification_failures_total', help: 'Failed proof verifications', labelNames: [], job: zkp, source: 'seed' }),
  defineCounter({ name: 'datasets_notarized_total', help: 'Total datasets notarized', labelNames: [], job: zkp, source: 'seed' }),
  defineHistogram({ name: 'dataset_processing_duration_seconds', help: 'Dataset processing time', labelNames: [], buckets: [0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30], job: zkp, source: 'seed' }),
] as const;

/** The metrics by name, for the pipeline that writes them. */
export const ZKP_METRIC = byName(ZKP_METRICS);
