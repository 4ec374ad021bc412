import { formatDuration } from '../../../generators/model/duration.js';

/** "2m10s": whole seconds, never negative (the adapters' clocks and the view's may differ by a little). */
export function formatAge(ms: number): string {
  return formatDuration(Math.max(0, Math.round(ms / 1000)) * 1000);
}

/** A step's time: "1.2s" under a minute, "2m5s" above. */
export function formatElapsed(ms: number): string {
  return ms < 60_000 ? `${(Math.max(0, ms) / 1000).toFixed(1)}s` : formatAge(ms);
}

function formatNumber(value: number): string {
  if (!Number.isFinite(value)) return String(value);
  const abs = Math.abs(value);
  if (abs >= 1e6) return `${(value / 1e6).toFixed(1)}M`;
  if (abs >= 1e4) return `${(value / 1e3).toFixed(1)}k`;
  if (abs > 0 && abs < 0.1) return value.toFixed(2);
  return value.toFixed(1);
}

/** "8.1 /s", "0.0%", or "…" before the first answer. */
export function formatValue(value: number | undefined, unit: string): string {
  if (value === undefined) return '…';
  const text = formatNumber(value);
  if (unit === '%') return `${text}%`;
  return unit ? `${text} ${unit}` : text;
}

/** Local wall-clock time, HH:MM:SS. */
export function clockTime(ms: number): string {
  return new Date(ms).toTimeString().slice(0, 8);
}

/** Cuts `text` to `width` columns, marking the cut with '…'. */
export function truncate(text: string, width: number): string {
  if (width <= 0) return '';
  return text.length <= width ? text : `${text.slice(0, width - 1)}…`;
}

/** Word-wraps `text` (which may hold newlines) into lines of at most `width` characters. */
export function wrapText(text: string, width: number): string[] {
  const size = Math.max(1, width);
  const lines: string[] = [];
  for (const paragraph of text.split('\n')) {
    let line = '';
    for (const word of paragraph.split(/\s+/).filter(Boolean)) {
      const candidate = line ? `${line} ${word}` : word;
      if (candidate.length <= size) {
        line = candidate;
        continue;
      }
      if (line) lines.push(line);
      line = word;
      while (line.length > size) {
        lines.push(line.slice(0, size));
        line = line.slice(size);
      }
    }
    lines.push(line);
  }
  return lines;
}

const SPINNER = '⠋⠙⠹⠸⠼⠴⠦⠧⠇⠏';

/**
 * A spinner frame that moves with the time shown, so it advances with the UI's own redraws; an animated
 * spinner would redraw the whole screen a dozen times a second.
 */
export function spinnerFrame(elapsedMs: number): string {
  return SPINNER[Math.floor(elapsedMs / 250) % SPINNER.length]!;
}
