import { didYouMean } from '../user-error.js';

/** A mistake in a system file, at a path inside it; the loader turns the path into file:line:column. */
export class SystemFileProblem extends Error {
  constructor(
    readonly path: readonly PropertyKey[],
    message: string,
    /** The problem is with a map key (an unknown name), not its value. */
    readonly atKey = false,
  ) {
    super(message);
  }
}

export function fail(path: readonly PropertyKey[], message: string): never {
  throw new SystemFileProblem(path, message);
}

/** Fails unless `name` is one of `known`, with did-you-mean. */
export function mustBeOneOf(
  path: readonly PropertyKey[],
  name: string,
  known: readonly string[],
  what: string,
): void {
  if (known.includes(name)) return;
  const choices = known.length === 0 ? `none is declared` : `declared: ${known.slice(0, 12).join(', ')}`;
  fail(path, `no ${what} "${name}"${didYouMean(name, known)}; ${choices}`);
}

/** " (did you mean x?)" for a near miss, else the values there are. */
export function valueHint(value: string, values: readonly string[]): string {
  const near = didYouMean(value, values);
  if (near) return near;
  return ` (its values: ${values.slice(0, 8).join(', ')}${values.length > 8 ? ', …' : ''})`;
}
