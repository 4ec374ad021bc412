import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  encodeSamples,
  formatNumber,
  type Sample,
} from '../../../generators/promtool-tests/series-values.js';

/** promtool's expanding notation read back: `a`, `axn`, `a+bxn`, `a-bxn`, `_`, `_xn`, `stale`. */
function expand(text: string): Sample[] {
  const out: Sample[] = [];
  for (const token of text.split(' ').filter(Boolean)) {
    if (token === 'stale') out.push('stale');
    else if (token === '_') out.push(undefined);
    else if (token.startsWith('_x')) out.push(...new Array<Sample>(Number(token.slice(2))).fill(undefined));
    else {
      const run = /x(\d+)$/.exec(token);
      const body = run ? token.slice(0, run.index) : token;
      // The step's sign: a + or - that is not the first character nor an exponent's.
      const at = [...body].findIndex(
        (c, i) => i > 0 && (c === '+' || c === '-') && !/[eE]/.test(body[i - 1]!),
      );
      const first = parse(at < 0 ? body : body.slice(0, at));
      const step = at < 0 ? 0 : (body[at] === '-' ? -1 : 1) * parse(body.slice(at + 1));
      const n = run ? Number(run[1]) : 0;
      for (let i = 0; i <= n; i++) out.push(step === 0 ? first : first + step * i);
    }
  }
  return out;
}

function parse(text: string): number {
  if (text === '+Inf') return Infinity;
  if (text === '-Inf') return -Infinity;
  return Number(text);
}

const sample: fc.Arbitrary<Sample> = fc.oneof(
  fc.integer({ min: -1e6, max: 1e6 }),
  fc.double({ noDefaultInfinity: false }).filter((v) => !Object.is(v, -0)),
  fc.constant(undefined),
  fc.constant<Sample>('stale'),
);
/** Runs as the model makes them: constant gauges, counters rising by a fixed step, gaps. */
const runOf: fc.Arbitrary<Sample[]> = fc
  .tuple(
    fc.integer({ min: -1000, max: 1000 }),
    fc.integer({ min: -5, max: 5 }),
    fc.integer({ min: 1, max: 30 }),
  )
  .map(([first, step, n]) => Array.from({ length: n }, (_, i) => first + step * i));

describe('encodeSamples', () => {
  it('reads back as exactly the samples it encodes', () => {
    fc.assert(
      fc.property(
        fc.array(
          fc.oneof(
            sample.map((s) => [s]),
            runOf,
          ),
          { maxLength: 20 },
        ),
        (parts) => {
          const samples = parts.flat();
          const decoded = expand(encodeSamples(samples));
          expect(decoded).toHaveLength(samples.length);
          // One expect per run, not per sample: tens of thousands of them were most of what this file cost.
          const differing = decoded.flatMap((value, i) =>
            Object.is(value, samples[i]) || value === samples[i]
              ? []
              : [`sample ${i}: ${String(value)} instead of ${String(samples[i])}`],
          );
          expect(differing).toEqual([]);
        },
      ),
      { numRuns: 500 },
    );
  });

  it('folds runs into promtool notation', () => {
    expect(encodeSamples([1, 2, 3, 4])).toBe('1+1x3');
    expect(encodeSamples([5, 5, 5])).toBe('5x2');
    expect(encodeSamples([10, 8, 6])).toBe('10-2x2');
    expect(encodeSamples([undefined, undefined, 0.5, 0.5, 'stale', undefined])).toBe('_x2 0.5x1 stale _');
    expect(encodeSamples([0.1, 0.2, 0.30000000000000004])).toBe('0.1 0.2 0.30000000000000004');
    expect(encodeSamples([])).toBe('');
  });

  it('writes the special floats as promtool reads them', () => {
    expect([NaN, Infinity, -Infinity, 1e21].map(formatNumber)).toEqual(['NaN', '+Inf', '-Inf', '1e+21']);
  });
});
