import type { FaultDefinition } from '../../model/faults/definition.js';

export const ZKP_FAULTS: readonly FaultDefinition[] = [
  {
    name: 'slow_proofs',
    summary: 'circuit compilation and proof computation slow down',
    service: 'zkp',
    alerts: ['SlowProofGeneration'],
    params: { factor: { type: 'number', default: 4, min: 1, description: 'duration multiplier' } },
  },
  {
    name: 'proof_verification_failures',
    summary: 'a share of proof verifications fail',
    service: 'zkp',
    alerts: ['HighVerificationFailureRate'],
    params: {
      ratio: {
        type: 'number',
        default: 0.3,
        min: 0,
        max: 1,
        description: 'share of verifications that fail',
      },
    },
  },
];
