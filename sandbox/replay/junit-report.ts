import { relative } from 'node:path';
import { create } from 'xmlbuilder2';
import type { ExpectationResult } from './judge.js';
import type { ScenarioResult } from './replay-scenarios.js';

type XMLBuilder = ReturnType<typeof create>;

/** The judged rule's file relative to here, with its line and column when known. */
function ruleLocation({ ruleFile, ruleWhere }: ExpectationResult): string | undefined {
  if (ruleFile === undefined) return undefined;
  const at = ruleWhere?.startsWith(`${ruleFile}:`) ? ruleWhere.slice(ruleFile.length) : '';
  return `${relative(process.cwd(), ruleFile)}${at}`;
}

const seconds = (ms: number) => (ms / 1000).toFixed(3);

/**
 * JUnit XML that validates against the common JUnit schema (the one Jenkins xunit and others check against):
 * a test suite per scenario, a test case per expectation and per unexpected alert.
 */
export function formatJunit(results: readonly ScenarioResult[]): string {
  const checks = results.flatMap((r) => [...r.results, ...r.unexpected]);
  // Label values may hold characters XML 1.0 cannot carry (control characters): they become U+FFFD.
  const root = create({ version: '1.0', encoding: 'UTF-8', invalidCharReplacement: '\uFFFD' }).ele(
    'testsuites',
    {
      name: 'obs-sandbox replay',
      tests: String(checks.length),
      failures: String(checks.filter((c) => !c.passed).length),
      errors: '0',
      time: seconds(results.reduce((sum, r) => sum + r.wallMs, 0)),
    },
  );
  for (const r of results) addSuite(root, r);
  return root.end({ prettyPrint: true }) + '\n';
}

function addSuite(root: XMLBuilder, r: ScenarioResult): void {
  const checks: ExpectationResult[] = [...r.results, ...r.unexpected];
  const suite = root.ele('testsuite', {
    name: r.name,
    tests: String(checks.length),
    failures: String(checks.filter((c) => !c.passed).length),
    errors: '0',
    skipped: '0',
    time: seconds(r.wallMs),
    file: relative(process.cwd(), r.file),
  });
  const properties = suite.ele('properties');
  const property = (name: string, value: string) => properties.ele('property', { name, value });
  property('mode', r.mode);
  if (r.seed !== undefined) property('seed', String(r.seed));
  if (r.forScale !== undefined) property('for-scale', String(r.forScale));
  for (const note of r.notes ?? []) property('note', note);
  // One replay judges all of a scenario's expectations: each case gets an equal share of its wall time.
  const share = seconds(r.wallMs / Math.max(1, checks.length));
  for (const c of checks) {
    const testcase = suite.ele('testcase', { classname: r.name, name: c.expectation, time: share });
    if (!c.passed) testcase.ele('failure', { type: 'failure', message: c.detail }).txt(c.detail);
    // The schema allows no properties in a test case: the rule it judged goes to its output.
    const rule = ruleLocation(c);
    if (rule) testcase.ele('system-out').txt(`rule_file: ${rule}`);
  }
}
