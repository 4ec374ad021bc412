import { formatDuration } from '../../generators/model/duration.js';
import type { ScenarioResult } from './replay-scenarios.js';

/** A readable table: one line per scenario, then its checks. */
export function formatTable(results: readonly ScenarioResult[]): string[] {
  const lines: string[] = [];
  for (const r of results) {
    const speed = Math.round(r.virtualMs / Math.max(1, r.wallMs));
    const how =
      r.mode === 'live'
        ? `live, ${formatDuration(r.virtualMs)} in ${(r.wallMs / 1000).toFixed(1)}s, for-scale ${r.forScale ?? 1}`
        : `${formatDuration(r.virtualMs)} replayed in ${(r.wallMs / 1000).toFixed(1)}s, ${speed}x`;
    lines.push(`${r.passed ? 'PASS' : 'FAIL'}  ${r.name}  (${how})`);
    for (const note of r.notes ?? []) lines.push(`  note  ${note}`);
    for (const check of [...r.results, ...r.unexpected]) {
      lines.push(`  ${check.passed ? 'ok  ' : 'FAIL'}  ${check.expectation}: ${check.detail}`);
    }
  }
  const failed = results.filter((r) => !r.passed).length;
  lines.push('', `${results.length - failed} passed, ${failed} failed`);
  return lines;
}
