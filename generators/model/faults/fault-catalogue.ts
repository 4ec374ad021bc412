import type { z } from 'zod';
import { UserError, didYouMean } from '../../user-error.js';
import { faultParamsSchema, type FaultDefinition, type FaultParams } from './definition.js';

/** A fault as asked for: parameters in input form (strings from a command line, values from YAML). */
export interface FaultRequest {
  name: string;
  params: Readonly<Record<string, unknown>>;
}

/** A validated fault: defaults filled in, durations in milliseconds. */
export interface FaultActivation {
  name: string;
  params: FaultParams;
}

/** All faults the loaded systems know, looked up and validated by name. */
export class FaultCatalogue {
  private readonly byName: ReadonlyMap<string, FaultDefinition>;

  constructor(definitions: readonly FaultDefinition[]) {
    const map = new Map<string, FaultDefinition>();
    for (const def of definitions) {
      if (map.has(def.name)) throw new Error(`fault ${def.name} is defined twice`);
      map.set(def.name, def);
    }
    this.byName = map;
  }

  list(): FaultDefinition[] {
    return [...this.byName.values()].sort((a, b) => a.name.localeCompare(b.name));
  }

  names(): string[] {
    return this.list().map((d) => d.name);
  }

  get(name: string): FaultDefinition {
    const def = this.byName.get(name);
    if (!def) {
      throw new UserError(
        `unknown fault "${name}"${didYouMean(name, this.names())}; run \`sandbox faults\` to list them`,
      );
    }
    return def;
  }

  /** Validates parameters (strings are coerced), fills defaults; errors name the fault and the parameter. */
  validate(name: string, params: Readonly<Record<string, unknown>>): FaultActivation {
    const def = this.get(name);
    for (const [param, spec] of Object.entries(def.params)) {
      if (spec.default === undefined && params[param] === undefined) {
        const values = spec.type === 'enum' ? ` (one of ${spec.values.join(', ')})` : '';
        throw new UserError(
          `fault ${name}: parameter ${param} is required${values}; write it as ${name}:${param}=...`,
        );
      }
    }
    const result = faultParamsSchema(def).safeParse(params);
    if (!result.success) throw new UserError(`fault ${name}: ${describeIssue(def, result.error)}`);
    return { name, params: result.data };
  }

  /** Parses and checks the command-line form `NAME[:key=value,...]`. */
  parse(spec: string): FaultRequest {
    const colon = spec.indexOf(':');
    const name = (colon === -1 ? spec : spec.slice(0, colon)).trim();
    const params: Record<string, string> = {};
    if (colon !== -1) {
      for (const pair of spec.slice(colon + 1).split(',')) {
        if (pair.trim() === '') continue;
        const eq = pair.indexOf('=');
        if (eq <= 0) {
          throw new UserError(`fault ${name}: "${pair}" is not key=value; write it as ${name}:key=value,...`);
        }
        params[pair.slice(0, eq).trim()] = pair.slice(eq + 1).trim();
      }
    }
    this.validate(name, params);
    return { name, params };
  }
}

function describeIssue(def: FaultDefinition, error: z.ZodError): string {
  const issue = error.issues[0];
  if (!issue) return 'invalid parameters';
  const known = Object.keys(def.params);
  if (issue.code === 'unrecognized_keys') {
    const key = issue.keys[0] ?? '';
    const hint = known.length === 0 ? 'it takes no parameters' : `it takes ${known.join(', ')}`;
    return `unknown parameter "${key}"${didYouMean(key, known)}; ${hint}`;
  }
  return issue.message;
}
