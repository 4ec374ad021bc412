import type { MetricDefinition } from '../../model/metric-definitions.js';

const zkp = 'zkp-dataset-ledger';

/** The ZKP Dataset Ledger's proof pipeline metrics (seed 003); the seed gives no labels. */
// prettier-ignore
export const ZKP_METRICS: readonly MetricDefinition[] = [
  { name: 'proofs_generated_total', type: 'counter', help: 'Total ZK proofs generated', labelNames: [], job: zkp, source: 'seed' },
  { name: 'proofs_verified_total', type: 'counter', help: 'Total ZK proofs verified', labelNames: [], job: zkp, source: 'seed' },
  { name: 'proof_generation_duration_seconds', type: 'histogram', help: 'Time to generate proofs', labelNames: [], buckets: [1, 2.5, 5, 10, 15, 20, 30, 45, 60, 120, 300], job: zkp, source: 'seed' },
  { name: 'proof_verification_duration_seconds', type: 'histogram', help: 'Time to verify proofs', labelNames: [], buckets: [0.001, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1], job: zkp, source: 'seed' },
  { name: 'circuit_constraint_count', type: 'gauge', help: 'Number of circuit constraints', labelNames: [], job: zkp, source: 'seed' },
  { name: 'proof_size_bytes', type: 'histogram', help: 'Size of generated proofs', labelNames: [], buckets: [128, 192, 256, 384, 512, 1024, 2048], job: zkp, source: 'seed' },
  { name: 'proof_verification_failures_total', type: 'counter', help: 'Failed proof verifications', labelNames: [], job: zkp, source: 'seed' },
  { name: 'datasets_notarized_total', type: 'counter', help: 'Total datasets notarized', labelNames: [], job: zkp, source: 'seed' },
  { name: 'dataset_processing_duration_seconds', type: 'histogram', help: 'Dataset processing time', labelNames: [], buckets: [0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30], job: zkp, source: 'seed' },
];
