import type { ParamSpecs } from '../../model/faults/definition.js';
import { knobHandles } from '../../model/knob-handles.js';

/** Traffic knobs of the proof pipeline. */
export const ZKP_KNOBS = {
  proof_rate: { type: 'number', default: 3, min: 0, max: 6000, description: 'proofs generated per minute' },
  verify_rate: {
    type: 'number',
    default: 0.5,
    min: 0,
    max: 1000,
    description: 'client proof verifications per second',
  },
} satisfies ParamSpecs;

export const ZKP_KNOB = knobHandles(ZKP_KNOBS);
