/** A sample: a value, no sample (`_` in promtool), or a staleness marker. */
export type Sample = number | undefined | 'stale';

/** Go's strconv.FormatFloat(v, 'g', -1)-like text that promtool parses back to the same float64. */
export function formatNumber(value: number): string {
  if (Number.isNaN(value)) return 'NaN';
  if (value === Infinity) return '+Inf';
  if (value === -Infinity) return '-Inf';
  return String(value);
}

/**
 * Encodes samples in promtool's expanding notation: `a+bxn` for runs with a constant step (exact for the
 * integers counters and gauges mostly hold; other floats are only folded when equal), `_xn` for gaps.
 */
export function encodeSamples(samples: readonly Sample[]): string {
  const parts: string[] = [];
  let i = 0;
  while (i < samples.length) {
    const first = samples[i];
    if (first === undefined || first === 'stale') {
      let run = 1;
      while (first === undefined && samples[i + run] === undefined && i + run < samples.length) run++;
      parts.push(first === 'stale' ? 'stale' : run === 1 ? '_' : `_x${run}`);
      i += run;
      continue;
    }
    const next = samples[i + 1];
    const step = typeof next === 'number' ? next - first : 0;
    const exact = Number.isInteger(first) && Number.isInteger(step);
    let run = 0;
    while (true) {
      const candidate = samples[i + run + 1];
      if (typeof candidate !== 'number') break;
      const expected = first + step * (run + 1);
      if (exact ? candidate !== expected : step !== 0 || candidate !== first) break;
      run++;
    }
    if (run === 0) parts.push(formatNumber(first));
    else if (step === 0) parts.push(`${formatNumber(first)}x${run}`);
    else parts.push(`${formatNumber(first)}${step < 0 ? '-' : '+'}${formatNumber(Math.abs(step))}x${run}`);
    i += run + 1;
  }
  return parts.join(' ');
}
