import { describe, expect, expectTypeOf, it } from 'vitest';
import type { FaultState, ModelContext } from '../../../../generators/model/context.js';
import { defineFault } from '../../../../generators/model/faults/definition.js';
import { knobHandles } from '../../../../generators/model/knob-handles.js';
import { Simulation } from '../../../../generators/model/simulation.js';
import type { SystemDefinition } from '../../../../generators/model/system.js';

const ANCHOR_FAILURES = defineFault({
  name: 'anchor_failures',
  summary: 'every anchor cycle fails',
  service: 'guardian',
  alerts: [],
  params: {
    reason: {
      type: 'enum',
      values: ['rpc_timeout', 'chain_reorg'],
      default: 'rpc_timeout',
      description: 'failure reason',
    },
    retry_after: { type: 'duration', default: 120_000, description: 'wait before the next attempt' },
    attempts: { type: 'number', integer: true, default: 1, description: 'attempts' },
  },
});
const KNOBS = {
  anchor_interval: { type: 'duration', default: 600_000, description: 'between anchors' },
} as const;
const KNOB = knobHandles(KNOBS);

/** A system whose one service records what it reads through the handles. */
function probe(seen: { fault?: FaultState; interval?: number }[]): SystemDefinition {
  return {
    name: 'probe',
    jobs: {},
    metrics: [],
    faults: [ANCHOR_FAILURES],
    knobs: KNOBS,
    createServices: (ctx: ModelContext) => [
      {
        start: () => {},
        tick: () => {
          seen.push({ fault: ctx.fault(ANCHOR_FAILURES), interval: ctx.knob(KNOB.anchor_interval) });
        },
      },
    ],
  };
}

describe('fault and knob handles', () => {
  it('give a service the validated values: durations in ms, defaults filled in', () => {
    const seen: { fault?: FaultState; interval?: number }[] = [];
    const sim = new Simulation({
      systems: [probe(seen)],
      seed: 1,
      startTime: 0,
      sink: { metrics: { touch() {}, add() {}, set() {}, observe() {}, remove() {}, setTargetUp() {} } },
      knobs: { anchor_interval: '5m' },
    });
    sim.advanceTo(1000);
    sim.setFault({ name: 'anchor_failures', params: { retry_after: '90s', reason: 'chain_reorg' } });
    sim.advanceTo(2000);
    expect(seen[0]).toEqual({ fault: undefined, interval: 300_000 });
    expect(seen[1]?.fault?.params).toEqual({ reason: 'chain_reorg', retry_after: 90_000, attempts: 1 });
  });

  it('type the parameters from the specs, so a wrong name or value does not compile', () => {
    const ctx = {} as ModelContext;
    const read = () => ctx.fault(ANCHOR_FAILURES)!.params;
    expectTypeOf(read).returns.toEqualTypeOf<{
      readonly reason: 'rpc_timeout' | 'chain_reorg';
      readonly retry_after: number;
      readonly attempts: number;
    }>();
    expectTypeOf(() => ctx.knob(KNOB.anchor_interval)).returns.toEqualTypeOf<number>();
    const unchecked = () => {
      // @ts-expect-error a parameter the fault does not have
      void ctx.fault(ANCHOR_FAILURES)?.params.retry;
      // @ts-expect-error a value the enum does not have
      void (ctx.fault(ANCHOR_FAILURES)?.params.reason === 'rpc_timout');
      // @ts-expect-error a knob the system does not have
      void KNOB.anchor_intervals;
      defineFault({
        name: 'bad_default',
        summary: '',
        service: 'guardian',
        alerts: [],
        // @ts-expect-error an enum default that is not one of its values
        params: { reason: { type: 'enum', values: ['a', 'b'], default: 'c', description: '' } },
      });
    };
    expect(unchecked).toBeTypeOf('function');
  });
});
