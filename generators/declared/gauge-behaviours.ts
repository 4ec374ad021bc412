import { parseDuration } from '../model/duration.js';
import { ExpressionError, parseExpression } from './expression.js';
import { compileNumber, type NumberSource, type Scope } from './expression-scope.js';
import type { GaugeBehaviour, GaugeState } from './plan.js';
import { fail, mustBeOneOf } from './problem.js';
import type { GaugeValueInput } from './system-schema.js';

const HOUR_MS = 3_600_000;
const DAY_MS = 24 * HOUR_MS;

export interface CompiledBehaviour {
  behaviour: GaugeBehaviour;
  /** Metrics read by a derived gauge. */
  reads: readonly string[];
}

const clampTo = (min: number | undefined, max: number | undefined) => (value: number) =>
  Math.min(max ?? Infinity, Math.max(min ?? -Infinity, value));

/**
 * Compiles how a gauge evolves. `metrics` are the names a derived gauge may read; `inFault` allows a trend
 * without a start (it continues from the series' value when the fault begins).
 */
export function compileGaugeBehaviour(
  path: readonly PropertyKey[],
  input: GaugeValueInput,
  scope: Scope,
  metrics: readonly string[],
): CompiledBehaviour {
  const num = (key: PropertyKey[], value: number | string) => compileNumber([...path, ...key], value, scope);
  const clamp = clampTo(input.min, input.max);
  const noise = input.noise ?? 0;
  const finish = (
    make: (start: number, current: number | undefined, vars: (n: string) => number) => GaugeState['value'],
  ) => ({
    init: (start: number, current: number | undefined, vars: (n: string) => number): GaugeState => {
      const raw = make(start, current, vars);
      return {
        value: (time, dtMs, rng, v, lookup) => {
          const value = raw(time, dtMs, rng, v, lookup);
          return clamp(noise > 0 ? value * (1 + noise * rng.normal()) : value);
        },
      };
    },
  });

  if ('constant' in input) {
    const value = num(['constant'], input.constant);
    return { behaviour: finish(() => (_t, _dt, _rng, vars) => value(vars)), reads: [] };
  }
  if ('walk' in input) {
    const w = input.walk;
    const [start, step, min, max] = [
      num(['walk', 'start'], w.start),
      num(['walk', 'step'], w.step),
      num(['walk', 'min'], w.min),
      num(['walk', 'max'], w.max),
    ];
    if (typeof w.min === 'number' && typeof w.max === 'number' && w.min > w.max) {
      fail([...path, 'walk', 'max'], 'must be at least min');
    }
    return {
      behaviour: finish((_start, _current, vars) => {
        let x = start(vars);
        return (_t, dtMs, rng, v) => {
          const low = min(v);
          const high = max(v);
          x += step(v) * Math.sqrt(dtMs / 60_000) * rng.normal();
          // Reflect at the bounds, so the walk stays inside them without sticking to an edge.
          if (x > high) x = Math.max(low, 2 * high - x);
          if (x < low) x = Math.min(high, 2 * low - x);
          return x;
        };
      }),
      reads: [],
    };
  }
  if ('sine' in input) {
    const s = input.sine;
    const mean = num(['sine', 'mean'], s.mean);
    const amplitude = num(['sine', 'amplitude'], s.amplitude);
    const period = durationMs([...path, 'sine', 'period'], s.period);
    if (period <= 0) fail([...path, 'sine', 'period'], 'must be longer than 0s');
    const phase = s.phase === undefined ? 0 : durationMs([...path, 'sine', 'phase'], s.phase);
    return {
      behaviour: finish(
        () => (t, _dt, _rng, vars) =>
          mean(vars) + amplitude(vars) * Math.sin((2 * Math.PI * (t + phase)) / period),
      ),
      reads: [],
    };
  }
  if ('daily' in input) {
    const d = input.daily;
    const mean = num(['daily', 'mean'], d.mean);
    const amplitude = num(['daily', 'amplitude'], d.amplitude);
    const peak = (d.peak ?? 14) * HOUR_MS;
    return {
      behaviour: finish(
        () => (t, _dt, _rng, vars) =>
          mean(vars) + amplitude(vars) * Math.cos((2 * Math.PI * (t - peak)) / DAY_MS),
      ),
      reads: [],
    };
  }
  if ('trend' in input) {
    const t = input.trend;
    const start: NumberSource | undefined =
      t.start === undefined ? undefined : num(['trend', 'start'], t.start);
    const perHour = num(['trend', 'per_hour'], t.per_hour);
    return {
      behaviour: finish((origin, current, vars) => {
        const from = start ? start(vars) : (current ?? 0);
        return (time, _dt, _rng, v) => from + (perHour(v) * (time - origin)) / HOUR_MS;
      }),
      reads: [],
    };
  }
  let expression;
  try {
    expression = parseExpression(input.derived, true);
  } catch (error) {
    if (error instanceof ExpressionError) fail([...path, 'derived'], error.message);
    throw error;
  }
  for (const name of expression.variables)
    mustBeOneOf([...path, 'derived'], name, scope.names, scope.description);
  for (const name of expression.names) mustBeOneOf([...path, 'derived'], name, metrics, 'metric');
  const evaluate = expression.evaluate;
  return {
    behaviour: finish(() => (_t, _dt, _rng, vars, lookup) => {
      const value = evaluate(vars, lookup);
      return Number.isFinite(value) ? value : 0;
    }),
    reads: [...expression.names],
  };
}

export function durationMs(path: readonly PropertyKey[], text: string): number {
  const ms = parseDuration(text);
  if (ms === undefined) fail(path, `"${text}" is not a duration like 90s, 30m or 1h30m`);
  return ms;
}
