import type { SystemDefinition } from '../../model/system.js';
import { assetFile } from '../assets.js';
import { ZKP_FAULTS } from './faults.js';
import { ZKP_KNOBS } from './knobs.js';
import { ZKP_JOB, ZKP_METRICS } from './metrics.js';
import { ProofPipeline } from './pipeline.js';

/** The ZKP Dataset Ledger's proof pipeline (seed 003). */
export const zkp: SystemDefinition = {
  name: 'zkp',
  jobs: { zkp: ZKP_JOB },
  metrics: ZKP_METRICS,
  faults: ZKP_FAULTS,
  knobs: ZKP_KNOBS,
  ruleFiles: [assetFile('rules', 'zkp-alerts.yaml')],
  createServices: (ctx) => [new ProofPipeline(ctx)],
};
