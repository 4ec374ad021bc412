import { InvalidArgumentError } from 'commander';
import { parseDuration } from '../../generators/model/duration.js';

export function parsePort(value: string): number {
  const port = Number(value);
  if (!Number.isInteger(port) || port < 0 || port > 65535) {
    throw new InvalidArgumentError('must be a port number from 0 to 65535 (0: any free port)');
  }
  return port;
}

export function parsePositive(value: string): number {
  const n = Number(value);
  if (!Number.isFinite(n) || n <= 0) throw new InvalidArgumentError('must be a number greater than 0');
  return n;
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

/** A duration of history to simulate: 0 or up to a day. */
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
    throw new InvalidArgumentError(`"${value}" is not an http(s) URL, e.g. http://127.0.0.1:3100`);
  }
  return value.replace(/\/+$/, '');
}

export function parseSeed(value: string): number | string {
  return /^-?\d+$/.test(value) ? Number(value) : value;
}

export function collect(value: string, previous: string[] = []): string[] {
  return [...previous, value];
}

/** `name=value` pairs of repeatable options such as --knob. */
export function parsePairs(pairs: readonly string[], option: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const pair of pairs) {
    const eq = pair.indexOf('=');
    if (eq <= 0) throw new InvalidArgumentError(`${option} "${pair}" must be name=value`);
    out[pair.slice(0, eq)] = pair.slice(eq + 1);
  }
  return out;
}
