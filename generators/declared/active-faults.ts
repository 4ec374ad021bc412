import type { FaultState } from '../model/context.js';
import type { FaultDefinition } from '../model/faults/definition.js';
import type { Labels } from '../model/types.js';
import type { EffectPlan, FaultPlan, ValueRef, Vars } from './plan.js';

/** A fault of the system that is on, with what its effects need to evaluate. */
export interface ActiveFault {
  plan: FaultPlan;
  state: FaultState;
  /** `$names` inside its effects: its parameters, then knobs. */
  vars: Vars;
  /** When its effects count from: switched on, less `since` when it is back-dated. */
  origin: number;
}

export type ActiveEffect<K extends EffectPlan['kind']> = {
  effect: Extract<EffectPlan, { kind: K }>;
  fault: ActiveFault;
};

/** Number form of a parameter for expressions: durations in seconds, enums as numbers where they are. */
export function paramVars(definition: FaultDefinition, state: FaultState, knobs: Vars): Vars {
  return (name) => {
    const value = state.params[name];
    if (value === undefined) return knobs(name);
    return definition.params[name]?.type === 'duration' ? Number(value) / 1000 : Number(value);
  };
}

export function activate(
  plan: FaultPlan,
  definition: FaultDefinition,
  state: FaultState,
  knobs: Vars,
): ActiveFault {
  const since = plan.backDated ? Number(state.params.since ?? 0) : 0;
  return { plan, state, vars: paramVars(definition, state, knobs), origin: state.since - since };
}

export function resolveRef(ref: ValueRef, fault: ActiveFault): string {
  return 'literal' in ref ? ref.literal : String(fault.state.params[ref.param]);
}

/** Whether a label set has every `where` value. */
export function matches(
  where: ReadonlyArray<[string, ValueRef]>,
  labels: Labels,
  fault: ActiveFault,
): boolean {
  for (const [name, ref] of where) if (labels[name] !== resolveRef(ref, fault)) return false;
  return true;
}

/** The effects of a kind among the active faults, in declaration order. */
export function effectsOf<K extends EffectPlan['kind']>(
  active: readonly ActiveFault[],
  kind: K,
): ActiveEffect<K>[] {
  const out: ActiveEffect<K>[] = [];
  for (const fault of active) {
    for (const effect of fault.plan.effects) {
      if (effect.kind === kind) out.push({ effect: effect as Extract<EffectPlan, { kind: K }>, fault });
    }
  }
  return out;
}
