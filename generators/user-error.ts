import { distance } from 'fastest-levenshtein';

/**
 * An error caused by what the user asked for (bad flag, bad file, busy port): the CLI prints its message
 * as one line, without a stack trace, and exits non-zero.
 */
export class UserError extends Error {
  constructor(
    message: string,
    readonly exitCode = 2,
  ) {
    super(message);
    this.name = 'UserError';
  }
}

/** " (did you mean X?)" when a candidate is close enough to what was typed, else "". */
export function didYouMean(input: string, candidates: readonly string[]): string {
  let best: string | undefined;
  let bestDistance = Infinity;
  for (const candidate of candidates) {
    const d = distance(input.toLowerCase(), candidate.toLowerCase());
    if (d < bestDistance) {
      best = candidate;
      bestDistance = d;
    }
  }
  const limit = Math.max(2, Math.floor(input.length / 3));
  return best !== undefined && bestDistance <= limit ? ` (did you mean ${best}?)` : '';
}
