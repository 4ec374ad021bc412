import type { SystemDefinition } from '../../model/system.js';
import { assetFile } from '../assets.js';
import { ZKP_FAULTS } from './faults.js';
import { ZKP_METRICS } from './metrics.js';
import { ProofPipeline, ZKP_JOB } from './pipeline.js';

/** The ZKP Dataset Ledger's proof pipeline (seed 003). */
export const zkp: SystemDefinition = {
  name: 'zkp',
  jobs: { zkp: ZKP_JOB },
  metrics: ZKP_METRICS,
  faults: ZKP_FAULTS,
  knobs: {
    proof_rate: { type: 'number', default: 3, min: 0, max: 6000, description: 'proofs generated per minute' },
    verify_rate: {
      type: 'number',
      default: 0.5,
      min: 0,
      max: 1000,
      description: 'client proof verifications per second',
    },
  },
  ruleFiles: [assetFile('rules', 'zkp-alerts.yaml')],
  createServices: (ctx) => [new ProofPipeline(ctx)],
};
