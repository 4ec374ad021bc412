import type { Rng } from '../model/rng.js';
import { compileNumber, type Scope } from './expression-scope.js';
import { fail } from './problem.js';
import type { DistributionInput } from './system-schema.js';

/** Draws one value; `vars` resolves `$names` (knobs, fault parameters). */
export type Distribution = (rng: Rng, vars: (name: string) => number) => number;

/** z of the 99th percentile of the standard normal: log-normal sigma = ln(p99 / median) / Z99. */
const Z99 = 2.3263478740408408;

const clamp = (value: number, min: number | undefined, max: number | undefined) =>
  Math.min(max ?? Infinity, Math.max(min ?? -Infinity, value));

export function compileDistribution(
  path: readonly PropertyKey[],
  input: DistributionInput,
  scope: Scope,
): Distribution {
  if (typeof input === 'number') return () => input;
  const num = (key: PropertyKey[], value: number | string) => compileNumber([...path, ...key], value, scope);
  if ('constant' in input) {
    const value = num(['constant'], input.constant);
    return (_rng, vars) => value(vars);
  }
  if ('uniform' in input) {
    const low = num(['uniform', 0], input.uniform[0]);
    const high = num(['uniform', 1], input.uniform[1]);
    return (rng, vars) => rng.between(low(vars), high(vars));
  }
  if ('normal' in input) {
    const mean = num(['normal', 'mean'], input.normal.mean);
    const stddev = num(['normal', 'stddev'], input.normal.stddev);
    const { min, max } = input;
    return (rng, vars) => clamp(mean(vars) + stddev(vars) * rng.normal(), min, max);
  }
  if ('lognormal' in input) {
    const median = num(['lognormal', 'median'], input.lognormal.median);
    const p99 = num(['lognormal', 'p99'], input.lognormal.p99);
    if (typeof input.lognormal.median === 'number' && input.lognormal.median <= 0) {
      fail([...path, 'lognormal', 'median'], 'must be above 0');
    }
    if (
      typeof input.lognormal.median === 'number' &&
      typeof input.lognormal.p99 === 'number' &&
      input.lognormal.p99 < input.lognormal.median
    ) {
      fail([...path, 'lognormal', 'p99'], 'must be at least the median');
    }
    const { max } = input;
    return (rng, vars) => {
      const m = median(vars);
      const sigma = Math.log(Math.max(p99(vars), m) / m) / Z99;
      return clamp(rng.logNormal(m, sigma), 0, max);
    };
  }
  const mean = num(['exponential', 'mean'], input.exponential.mean);
  const { max } = input;
  return (rng, vars) => clamp(rng.exponential(mean(vars)), 0, max);
}
