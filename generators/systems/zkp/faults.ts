import { byName } from '../../model/by-name.js';
import { defineFault } from '../../model/faults/definition.js';

export const ZKP_FAULTS = [
  defineFault({
    name: 'slow_proofs',
    summary: 'circuit compilation and proof computation slow down',
    service: 'zkp',
    alerts: ['SlowProofGeneration'],
    params: { factor: { type: 'number', default: 4, min: 1, description: 'duration multiplier' } },
  }),
  defineFault({
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
  }),
] as const;

/** The faults by name, for the services that read them. */
export const ZKP_FAULT = byName(ZKP_FAULTS);
