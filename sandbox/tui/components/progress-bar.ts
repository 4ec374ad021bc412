const FILLED = '━';
const EMPTY = '─';

/**
 * A scenario timeline `width` cells wide, split into its elapsed part and the rest (coloured apart);
 * steps are marked ● once done and ○ before.
 */
export function progressBar(
  elapsedMs: number,
  durationMs: number,
  width: number,
  steps: readonly { atMs: number; done: boolean }[] = [],
): { elapsed: string; rest: string } {
  const cells = Math.max(0, width);
  const share = durationMs > 0 ? Math.min(1, Math.max(0, elapsedMs / durationMs)) : 1;
  const filled = Math.round(share * cells);
  const bar: string[] = Array.from({ length: cells }, (_, i) => (i < filled ? FILLED : EMPTY));
  if (durationMs > 0 && cells > 0) {
    for (const step of steps) {
      const at = Math.min(cells - 1, Math.max(0, Math.floor((step.atMs / durationMs) * cells)));
      bar[at] = step.done ? '●' : '○';
    }
  }
  return { elapsed: bar.slice(0, filled).join(''), rest: bar.slice(filled).join('') };
}
