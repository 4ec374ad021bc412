import { formatDuration } from '../../generators/model/duration.js';
import type { ScenarioResult } from './replay.js';

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

const xml = (text: string) =>
  text.replace(
    /[<>&"']/g,
    (c) => ({ '<': '&lt;', '>': '&gt;', '&': '&amp;', '"': '&quot;', "'": '&apos;' })[c]!,
  );

/** JUnit XML: a test suite per scenario, a test case per expectation (and per unexpected alert). */
export function formatJunit(results: readonly ScenarioResult[]): string {
  const suites = results.map((r) => {
    const checks = [...r.results, ...r.unexpected];
    const cases = checks.map((c) => {
      const failure = c.passed ? '' : `<failure message="${xml(c.detail)}">${xml(c.detail)}</failure>`;
      return `    <testcase classname="${xml(r.name)}" name="${xml(c.expectation)}">${failure}</testcase>`;
    });
    const failures = checks.filter((c) => !c.passed).length;
    const properties = [
      `      <property name="mode" value="${r.mode}"/>`,
      ...(r.forScale !== undefined ? [`      <property name="for-scale" value="${r.forScale}"/>`] : []),
      ...(r.notes ?? []).map((n) => `      <property name="note" value="${xml(n)}"/>`),
    ];
    return [
      `  <testsuite name="${xml(r.name)}" tests="${checks.length}" failures="${failures}" time="${(r.wallMs / 1000).toFixed(3)}">`,
      '    <properties>',
      ...properties,
      '    </properties>',
      ...cases,
      '  </testsuite>',
    ].join('\n');
  });
  return `<?xml version="1.0" encoding="UTF-8"?>\n<testsuites name="obs-sandbox replay">\n${suites.join('\n')}\n</testsuites>\n`;
}
