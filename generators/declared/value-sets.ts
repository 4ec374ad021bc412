import type { Faker } from '@faker-js/faker';
import { faker as englishFaker } from '@faker-js/faker/locale/en';
import { seededFaker } from '../model/seeded-faker.js';
import type { Rng } from '../model/rng.js';
import { compileNumber, type NumberSource, type Scope } from './expression-scope.js';
import { fail } from './problem.js';
import type { ValueSetInput } from './system-schema.js';

/** The values a label takes, with optional weights, or a faker pool made per seed. */
export interface ValueSet {
  /** Literal values; undefined for a faker pool (values known only once seeded). */
  readonly values: readonly string[] | undefined;
  /** Weights per value (may use knobs or fault parameters); undefined: uniform. */
  readonly weights: readonly NumberSource[] | undefined;
  readonly faker?: { path: string; size: number };
}

/** A value set with its values made: what the runtime draws from. */
export interface ResolvedSet {
  readonly values: readonly string[];
  readonly weights: readonly NumberSource[] | undefined;
}

/** Whether `faker.<module>.<method>()` exists and returns something printable. */
function fakerMethod(faker: Faker, path: string): (() => unknown) | undefined {
  const [module, method] = path.split('.') as [string, string];
  const group = (faker as unknown as Record<string, Record<string, unknown> | undefined>)[module];
  const fn = group?.[method];
  return typeof fn === 'function' ? () => (fn as () => unknown).call(group) : undefined;
}

export function compileValueSet(path: readonly PropertyKey[], input: ValueSetInput, scope: Scope): ValueSet {
  if (Array.isArray(input)) return { values: unique(path, input), weights: undefined };
  if ('faker' in input && typeof input.faker === 'string') {
    const fn = fakerMethod(englishFaker, input.faker);
    if (!fn) fail([...path, 'faker'], `faker has no method ${input.faker}; see fakerjs.dev/api for the list`);
    const sample = fn();
    if (typeof sample !== 'string' && typeof sample !== 'number') {
      fail([...path, 'faker'], `faker.${input.faker}() does not return text or a number`);
    }
    return { values: undefined, weights: undefined, faker: { path: input.faker, size: Number(input.size) } };
  }
  if ('values' in input && Array.isArray(input.values)) {
    const values = unique(path, input.values);
    const weights = input.weights as number[] | undefined;
    if (weights && weights.length !== values.length) {
      fail(
        [...path, 'weights'],
        `has ${weights.length} weights for ${values.length} values; give one per value`,
      );
    }
    if (weights && !weights.some((w) => w > 0))
      fail([...path, 'weights'], 'needs at least one weight above 0');
    return { values, weights: weights?.map((w) => () => w) };
  }
  const entries = Object.entries(input as Record<string, number | string>);
  if (entries.length === 0) fail(path, 'needs at least one value');
  return {
    values: entries.map(([value]) => value),
    weights: entries.map(([value, weight]) => compileNumber([...path, value], weight, scope)),
  };
}

function unique(path: readonly PropertyKey[], values: readonly string[]): string[] {
  const seen = new Set<string>();
  values.forEach((value, i) => {
    if (seen.has(value)) fail([...path, i], `"${value}" is listed twice`);
    seen.add(value);
  });
  return [...values];
}

/** Makes a faker pool of distinct values from a seed (suffixes make values distinct when faker repeats). */
export function fakerPool(path: string, size: number, seed: number): string[] {
  const fn = fakerMethod(seededFaker(seed), path)!;
  const values = new Set<string>();
  for (let attempt = 0; values.size < size && attempt < size * 20; attempt++) values.add(String(fn()));
  for (let i = 0; values.size < size; i++) values.add(`${String(fn())}-${i}`);
  return [...values];
}

/** Resolves a set's values (making faker pools from the rng). */
export function resolveSet(set: ValueSet, rng: () => Rng): ResolvedSet {
  if (set.values) return { values: set.values, weights: set.weights };
  return { values: fakerPool(set.faker!.path, set.faker!.size, rng().nextUint32()), weights: undefined };
}

/** Index of a drawn value. */
export function drawIndex(set: ResolvedSet, rng: Rng, vars: (name: string) => number): number {
  if (!set.weights) return rng.int(set.values.length);
  const weights = set.weights.map((w) => Math.max(0, w(vars)));
  return rng.weightedIndex(weights);
}

/** Share of a value among the set's weights (1 / n when uniform). */
export function shareOf(set: ResolvedSet, value: string, vars: (name: string) => number): number {
  const i = set.values.indexOf(value);
  if (i < 0) return 0;
  if (!set.weights) return 1 / set.values.length;
  const weights = set.weights.map((w) => Math.max(0, w(vars)));
  const total = weights.reduce((a, b) => a + b, 0);
  return total > 0 ? weights[i]! / total : 0;
}
