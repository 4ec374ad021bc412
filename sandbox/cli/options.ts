import { InvalidArgumentError } from 'commander';
import { parseDuration } from '../../generators/model/duration.js';
import { UserError } from '../../generators/user-error.js';

/** --speed at most: beyond this the model cannot keep up with the wall clock (each simulated second is modelled). */
export const MAX_SPEED = 10_000;

export function parsePort(value: string): number {
  const port = /^\d{1,5}$/.test(value) ? Number(value) : NaN;
  if (!(port <= 65535)) {
    throw new InvalidArgumentError('must be a port number from 0 to 65535 (0: any free port)');
  }
  return port;
}

/** Ports `first` to `first + count - 1` (as --port gives the generators' targets) must all be ports. */
export function assertPortsFit(option: string, first: number, count: number, what: string): void {
  const last = first + count - 1;
  if (first === 0 || last <= 65535) return;
  throw new UserError(
    `${option} ${first} leaves no room for ${what}: they need ports ${first}-${last}, past 65535; ` +
      `give ${option} ${65536 - count} or lower (0: any free ports)`,
  );
}

/** A number in (0, max], e.g. a speed-up or a rate multiplier. */
export function positiveUpTo(max: number, example: string): (value: string) => number {
  return (value) => {
    const n = value.trim() === '' ? NaN : Number(value);
    if (!(n > 0 && n <= max)) {
      throw new InvalidArgumentError(`must be a number greater than 0 and at most ${max}, e.g. ${example}`);
    }
    return n;
  };
}

/** `--for-scale`: a factor in (0, 1] that shortens every rule's `for:`. */
export function parseForScale(value: string): number {
  const n = Number(value);
  if (!Number.isFinite(n) || n <= 0 || n > 1)
    throw new InvalidArgumentError('must be a number in (0, 1], e.g. 0.1 turns for: 10m into 1m');
  return n;
}

/** A Prometheus duration of at least a second, e.g. 15s or 1m. */
export function parseInterval(value: string): string {
  const ms = parseDuration(value);
  if (ms === undefined || ms < 1000 || ms % 1000 !== 0)
    throw new InvalidArgumentError('must be a whole number of seconds of at least 1s, e.g. 5s, 15s or 1m');
  return value;
}

/** A duration of history to simulate: 0 (none) to a day. */
export function parseHistory(value: string): string {
  const ms = parseDuration(value);
  if (ms === undefined || ms > 86_400_000)
    throw new InvalidArgumentError('must be a duration up to 1d, e.g. 1h10m (0: none)');
  return value;
}

export function parseUrl(value: string): string {
  try {
    const url = new URL(value);
    if (url.protocol !== 'http:' && url.protocol !== 'https:') throw new Error('not http');
  } catch {
    // Not quoted: the URL may hold a password or a token (commander's prefix shows what may be shown of it).
    throw new InvalidArgumentError(
      'must be an http(s) URL with a valid host and port, e.g. http://127.0.0.1:3100',
    );
  }
  return value.replace(/\/+$/, '');
}

/** An integer seed (a safe integer, so that it is exactly the number typed) or any other word. */
export function parseSeed(value: string): number | string {
  if (value.trim() === '') throw new InvalidArgumentError('must not be empty: give an integer or a word');
  if (!/^-?\d+$/.test(value)) return value;
  const seed = Number(value);
  if (!Number.isSafeInteger(seed)) {
    throw new InvalidArgumentError(
      `is past the safe integers: an integer seed must be from -${Number.MAX_SAFE_INTEGER} to ${Number.MAX_SAFE_INTEGER}; give a smaller one or a word, e.g. run-7`,
    );
  }
  return seed;
}

export function collect(value: string, previous: string[] = []): string[] {
  return [...previous, value];
}

/** `--remote-write-header K=V`: an HTTP header name and its value. */
export function parseHeader(value: string, previous: Record<string, string> = {}): Record<string, string> {
  const match = /^([!#$%&'*+.^_`|~0-9A-Za-z-]+)=(.*)$/.exec(value);
  if (!match || /[\r\n]/.test(match[2]!))
    // Not quoted: the value may be a token.
    throw new InvalidArgumentError('must be NAME=VALUE with an HTTP header name, e.g. X-Env=staging');
  return { ...previous, [match[1]!]: match[2]! };
}

/** `--shard i/N`: this process is shard i (0-based) of N. */
export function parseShard(value: string): { index: number; count: number } {
  const match = /^(\d+)\/(\d+)$/.exec(value.trim());
  const index = Number(match?.[1]);
  const count = Number(match?.[2]);
  if (!match || !(count >= 1 && count <= 1000 && index < count))
    throw new InvalidArgumentError(
      `"${value}" is not i/N with 0 <= i < N <= 1000, e.g. 0/4 for the first of 4 shards`,
    );
  return { index, count };
}

/** A whole number of at least 1 (its upper bound, if any, is checked where its cost is known). */
export function parsePositiveInteger(example: string): (value: string) => number {
  return (value) => {
    const n = /^\d+$/.test(value.trim()) ? Number(value) : NaN;
    if (!(Number.isSafeInteger(n) && n >= 1))
      throw new InvalidArgumentError(`must be a whole number of at least 1, e.g. ${example}`);
    return n;
  };
}
