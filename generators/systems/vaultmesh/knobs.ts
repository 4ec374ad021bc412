import type { ParamSpecs } from '../../model/faults/definition.js';
import { knobHandles } from '../../model/knob-handles.js';

/** Traffic knobs: normal behaviour a scenario or the TUI can turn, as opposed to faults that break it. */
export const VAULTMESH_KNOBS = {
  receipt_rate: {
    type: 'number',
    default: 8,
    min: 0,
    // Every receipt is modelled one by one: the maxima keep a replay's work bounded.
    max: 1000,
    description: 'receipts written per second, all scrolls',
  },
  http_rate: {
    type: 'number',
    default: 30,
    min: 0,
    max: 5000,
    description: 'portal HTTP requests per second',
  },
  anchor_interval: { type: 'duration', default: 600_000, description: 'time between anchor cycles' },
  oracle_query_rate: {
    type: 'number',
    default: 0.5,
    min: 0,
    max: 100,
    description: 'oracle queries per second',
  },
} satisfies ParamSpecs;

export const VAULTMESH_KNOB = knobHandles(VAULTMESH_KNOBS);
