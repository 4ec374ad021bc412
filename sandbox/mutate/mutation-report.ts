import { create } from 'xmlbuilder2';
import type { AlertMutation, MutationReport } from './mutation-testing.js';

const percent = (score: number) => `${Math.round(score * 100)}%`;

function columns(rows: readonly string[][]): string[] {
  const widths = rows[0]!.map((_, c) => Math.max(...rows.map((r) => r[c]!.length)));
  return rows.map((r) =>
    r.map((cell, c) => (c === r.length - 1 ? cell : cell.padEnd(widths[c]! + 2))).join(''),
  );
}

function indent(text: string, by: string): string[] {
  return text.split('\n').map((line) => `${by}${line}`);
}

/** A table per alert, then each surviving mutant as rule text: what no scenario tells apart from the rule. */
export function formatMutationTable(report: MutationReport): string[] {
  const rows = [
    ['ALERT', 'RULE FILE', 'SCENARIOS', 'MUTANTS', 'KILLED', 'SURVIVED', 'INVALID', 'SCORE'],
    ...report.alerts.map((a) => [
      a.alert,
      a.position,
      String(a.scenarios.length),
      String(a.killed + a.survived),
      String(a.killed),
      String(a.survived),
      String(a.invalid),
      percent(a.score),
    ]),
  ];
  const lines = columns(rows);
  for (const s of report.scenarios.filter((s) => s.passed === false)) {
    lines.push(
      '',
      `FAIL  ${s.name} fails with the original rules, so it killed no mutant: ${s.failures.join('; ')}`,
    );
  }
  const survivors = report.alerts.filter((a) => a.survived > 0);
  if (survivors.length > 0) {
    lines.push(
      '',
      'Surviving mutants: no scenario tells these rules apart from the original (add an expectation that does):',
    );
  }
  for (const a of survivors) {
    const tried =
      a.scenarios.length > 0 ? `replayed in ${a.scenarios.join(', ')}` : 'no scenario names this alert';
    lines.push('', `${a.alert}  (${a.position}; ${tried})`);
    for (const m of a.mutants.filter((m) => m.status === 'survived')) {
      lines.push(`  - ${m.description}:`, ...indent(m.rule, '      '));
    }
  }
  const invalid = report.alerts.flatMap((a) =>
    a.mutants.filter((m) => m.status === 'invalid').map((m) => ({ a, m })),
  );
  if (invalid.length > 0) lines.push('', 'Mutants promtool rejects (not counted):');
  for (const { a, m } of invalid) lines.push(`  ${a.alert}: ${m.description}: ${m.invalid}`);
  lines.push(
    '',
    `mutation score ${percent(report.score)}: ${report.killed} of ${report.killed + report.survived} mutants killed, ` +
      `${report.survived} survived, ${report.invalid} invalid; ${report.alerts.length} alerts, ` +
      `${report.scenarios.length} scenarios, ${(report.wallMs / 1000).toFixed(1)}s`,
  );
  return lines;
}

type XMLBuilder = ReturnType<typeof create>;

function suite(parent: XMLBuilder, a: AlertMutation) {
  const node = parent.ele('testsuite', {
    name: a.alert,
    tests: String(a.mutants.length),
    failures: String(a.survived),
    errors: '0',
    skipped: String(a.invalid),
    time: '0',
    file: a.file,
  });
  const properties = node.ele('properties');
  properties.ele('property', { name: 'rule-file', value: a.file });
  properties.ele('property', { name: 'group', value: a.group });
  properties.ele('property', { name: 'mutation-score', value: percent(a.score) });
  for (const scenario of a.scenarios) properties.ele('property', { name: 'scenario', value: scenario });
  for (const m of a.mutants) {
    const testcase = node.ele('testcase', { classname: a.alert, name: m.description, time: '0' });
    if (m.status === 'survived') {
      testcase
        .ele('failure', { type: 'survived', message: `no scenario tells this mutant apart from ${a.alert}` })
        .txt(m.rule);
    } else if (m.status === 'invalid') {
      testcase.ele('skipped', { message: `promtool rejects it: ${m.invalid}` });
    } else {
      testcase.ele('system-out').txt(`killed by ${m.killedBy!.scenario}: ${m.killedBy!.failure}\n${m.rule}`);
    }
  }
}

/** JUnit XML: a test suite per alert, a test case per mutant; a surviving mutant is a failure. */
export function formatMutationJunit(report: MutationReport): string {
  const doc = create({ version: '1.0', encoding: 'UTF-8', invalidCharReplacement: '\uFFFD' });
  const root = doc.ele('testsuites', {
    name: 'obs-sandbox mutate',
    tests: String(report.killed + report.survived + report.invalid),
    failures: String(report.survived),
    errors: '0',
    time: (report.wallMs / 1000).toFixed(3),
  });
  for (const a of report.alerts) suite(root, a);
  return doc.end({ prettyPrint: true });
}
