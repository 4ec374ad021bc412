const BLOCKS = '▁▂▃▄▅▆▇█';

/**
 * The last `width` values as block characters scaled between their min and max, right-aligned so the
 * latest value is always in the last column. Non-finite values (no answer) are blanks.
 */
export function sparkline(values: readonly number[], width: number): string {
  if (width <= 0) return '';
  const recent = values.slice(-width);
  const finite = recent.filter((v) => Number.isFinite(v));
  const min = Math.min(...finite);
  const range = Math.max(...finite) - min;
  const bars = recent.map((v) => {
    if (!Number.isFinite(v)) return ' ';
    if (range === 0) return BLOCKS.charAt(0);
    return BLOCKS.charAt(Math.round(((v - min) / range) * (BLOCKS.length - 1)));
  });
  return bars.join('').padStart(width);
}
