import type { ParamSpec, ParamSpecs, ParamValue, ParamValueOf } from './faults/definition.js';

declare const knobValue: unique symbol;

/** A traffic knob of a system written in TypeScript: its name, so that reading it is typed. */
export interface KnobHandle<V extends ParamValue = ParamValue> {
  readonly name: string;
  readonly spec: ParamSpec;
  /** Only a type: what the knob holds once validated. */
  readonly [knobValue]?: V;
}

export type KnobHandles<K extends ParamSpecs> = { readonly [N in keyof K]: KnobHandle<ParamValueOf<K[N]>> };

/** One handle per knob of a system's knob specs (the specs stay what the catalogue and the CLI read). */
export function knobHandles<const K extends ParamSpecs>(specs: K): KnobHandles<K> {
  return Object.fromEntries(
    Object.entries(specs).map(([name, spec]) => [name, { name, spec }]),
  ) as unknown as KnobHandles<K>;
}
