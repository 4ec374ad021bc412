import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import type * as Zod from 'zod';
import { formatDuration, parseDuration } from '../duration.js';

// zod (~100 ms of CPU to load) only once a fault's parameters are validated: listing the faults does not.
// Its ES module is required (Node >= 20.19, as faker needs) by path, since `require('zod')` would load its
// CommonJS twin: this keeps faultParamsSchema synchronous and zod one instance with the project's imports.
const require = createRequire(import.meta.url);
let zod: typeof Zod.z | undefined;
const zodOnce = () => (zod ??= (require(fileURLToPath(import.meta.resolve('zod'))) as typeof Zod).z);

interface ParamBase {
  description: string;
}

export type ParamSpec =
  | (ParamBase & { type: 'number'; default?: number; min?: number; max?: number; integer?: boolean })
  | (ParamBase & { type: 'duration'; default?: number; max?: number })
  | (ParamBase & { type: 'enum'; values: readonly string[]; default?: string });

export type ParamValue = number | string;
export type FaultParams = Readonly<Record<string, ParamValue>>;

/** A named, parameterised way to break the simulated system. */
export interface FaultDefinition {
  name: string;
  summary: string;
  /** The service whose behaviour changes (short name, e.g. `portal`). */
  service: string;
  /** Alerts of the bundled rules this fault is meant to drive (informational; scenarios prove it). */
  alerts: readonly string[];
  params: Readonly<Record<string, ParamSpec>>;
}

function paramSchema(name: string, spec: ParamSpec): Zod.ZodType<ParamValue> {
  const z = zodOnce();
  switch (spec.type) {
    case 'number': {
      let schema = z.coerce.number({ error: `${name} must be a number` });
      if (spec.integer) schema = schema.int({ error: `${name} must be a whole number` });
      if (spec.min !== undefined) schema = schema.min(spec.min, { error: `${name} must be >= ${spec.min}` });
      if (spec.max !== undefined) schema = schema.max(spec.max, { error: `${name} must be <= ${spec.max}` });
      return schema;
    }
    case 'duration':
      return z.union([z.number().nonnegative(), z.string()]).transform((value, ctx) => {
        const ms = typeof value === 'number' ? value * 1000 : parseDuration(value);
        if (ms === undefined) {
          ctx.addIssue({ code: 'custom', message: `${name} must be a duration like 90s, 30m or 1h30m` });
          return z.NEVER;
        }
        if (spec.max !== undefined && ms > spec.max) {
          ctx.addIssue({ code: 'custom', message: `${name} must be at most ${formatDuration(spec.max)}` });
          return z.NEVER;
        }
        return ms;
      });
    case 'enum':
      return z.enum(spec.values as [string, ...string[]], {
        error: `${name} must be one of ${spec.values.join(', ')}`,
      });
  }
}

const schemas = new WeakMap<FaultDefinition, Zod.ZodType<Record<string, ParamValue>>>();

/** The zod schema of a fault's parameters: strict (unknown keys are errors), defaults filled in. */
export function faultParamsSchema(def: FaultDefinition): Zod.ZodType<Record<string, ParamValue>> {
  let schema = schemas.get(def);
  if (!schema) {
    const shape: Record<string, Zod.ZodType> = {};
    for (const [name, spec] of Object.entries(def.params)) {
      const base = paramSchema(name, spec);
      // zod 4 returns a default as the output without parsing it, so it is given in output form (ms).
      shape[name] = spec.default === undefined ? base : base.optional().default(spec.default);
    }
    schema = zodOnce().strictObject(shape) as unknown as Zod.ZodType<Record<string, ParamValue>>;
    schemas.set(def, schema);
  }
  return schema;
}

/** Human form of a parameter's default, for listings. */
export function describeDefault(spec: ParamSpec): string {
  if (spec.default === undefined) return 'required';
  return spec.type === 'duration' ? formatDuration(spec.default) : String(spec.default);
}

/** Human form of a parameter's type, for listings. */
export function describeType(spec: ParamSpec): string {
  switch (spec.type) {
    case 'number':
      return spec.integer ? 'integer' : 'number';
    case 'duration':
      return 'duration';
    case 'enum':
      return spec.values.join('|');
  }
}

export type ParamSpecs = Readonly<Record<string, ParamSpec>>;

/** What a parameter holds once validated: an enum one of its values, a number or duration (ms) a number. */
export type ParamValueOf<S extends ParamSpec> = S extends {
  type: 'enum';
  values: readonly (infer V extends string)[];
}
  ? V
  : number;

export type ParamValues<P extends ParamSpecs> = { readonly [K in keyof P]: ParamValueOf<P[K]> };

declare const paramValues: unique symbol;

/**
 * A fault of a system written in TypeScript: its definition, keeping the name and the parameters' value
 * types, so that the service reading it gets `params.retry_after` as a number and `params.reason` as one of
 * its values.
 */
export interface FaultHandle<
  N extends string = string,
  V extends FaultParams = FaultParams,
> extends FaultDefinition {
  readonly name: N;
  /** Only a type: what the parameters hold once validated (the specs stay in `params`). */
  readonly [paramValues]?: V;
}

/** An enum parameter's default must be one of its values. */
type CheckedDefaults<P extends ParamSpecs> = {
  readonly [K in keyof P]: P[K] extends { type: 'enum'; values: readonly (infer V)[] }
    ? { default?: V }
    : unknown;
};

/** Declares a fault; the definition is returned as it is, typed. */
export function defineFault<const N extends string, const P extends ParamSpecs>(
  definition: FaultDefinition & { name: N; params: P & CheckedDefaults<P> },
): FaultHandle<N, ParamValues<P>> {
  return definition;
}
