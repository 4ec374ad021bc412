import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { formatJunit } from '../../sandbox/replay/junit-report.js';
import { replay, type ScenarioResult } from '../../sandbox/replay/replay-scenarios.js';
import { requireBinaries } from '../support/binaries.js';

/** The common JUnit XML schema (Jenkins xunit's), checked by the real libxml2 validator. */
const SCHEMA = 'test/fixtures/junit-10.xsd';
const hasXmllint = spawnSync('xmllint', ['--version']).status === 0;
const dir = mkdtempSync(join(tmpdir(), 'obs-sandbox-junit-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

let written = 0;
function xmllint(xml: string, ...args: string[]) {
  const file = join(dir, `report-${written++}.xml`);
  writeFileSync(file, xml);
  const run = spawnSync('xmllint', [...args, file], { encoding: 'utf8' });
  return { ok: run.status === 0, stdout: run.stdout, stderr: run.stderr };
}
const validate = (xml: string) => xmllint(xml, '--noout', '--schema', SCHEMA);
const xpath = (xml: string, path: string) => xmllint(xml, '--xpath', path).stdout.replace(/\n$/, '');

const result = (overrides: Partial<ScenarioResult>): ScenarioResult => ({
  name: 'demo',
  mode: 'simulated',
  description: 'a demo',
  file: join(process.cwd(), 'scenarios/demo.yaml'),
  seed: 1,
  passed: true,
  results: [],
  unexpected: [],
  failures: [],
  virtualMs: 600_000,
  wallMs: 1500,
  ...overrides,
});

// In CI a missing xmllint fails these tests (.ci/run installs it); elsewhere they are skipped.
describe.skipIf(!hasXmllint && !process.env.CI)('JUnit report', () => {
  it('is checked by a validator that refuses what CI servers refuse (the old report: no errors, no totals)', () => {
    const old = `<?xml version="1.0"?>\n<testsuites name="x"><testsuite name="s" tests="1" failures="0" time="1.000"><testcase classname="s" name="c"/></testsuite></testsuites>\n`;
    const { ok, stderr } = validate(old);
    expect(ok).toBe(false);
    expect(stderr).toMatch(/attribute 'errors' is required/);
  });

  it('validates for live mode with notes, for-scale and rule files, with totals and a time per case', () => {
    const xml = formatJunit([
      result({
        name: 'live-one',
        mode: 'live',
        seed: undefined,
        forScale: 0.1,
        notes: ['for-scale 0.1: every for: multiplied by 0.1'],
        passed: false,
        results: [
          { alert: 'A', expectation: 'A fires within 1m', passed: true, detail: 'fired at 30s' },
          { alert: 'B', expectation: 'B never fires', passed: false, detail: 'fired at 40s, expected never' },
        ].map((r, i) => ({
          ...r,
          ruleFile: join(process.cwd(), 'rules/team.yml'),
          ruleWhere: `${join(process.cwd(), 'rules/team.yml')}:${4 + 6 * i}:11`,
        })),
        wallMs: 2000,
      }),
      result({
        name: 'other',
        seed: 'abc',
        results: [{ alert: 'C', expectation: 'C never fires', passed: true, detail: 'never fired' }],
      }),
    ]);
    expect(validate(xml)).toMatchObject({ ok: true });
    expect(xpath(xml, 'string(/testsuites/@tests)')).toBe('3');
    expect(xpath(xml, 'string(/testsuites/@failures)')).toBe('1');
    expect(xpath(xml, 'string(/testsuites/@errors)')).toBe('0');
    expect(xpath(xml, 'string(/testsuites/@time)')).toBe('3.500');
    expect(xpath(xml, 'string(//testsuite[1]/@file)')).toBe('scenarios/demo.yaml');
    expect(xpath(xml, 'count(//testcase[@time="1.000"])')).toBe('2');
    expect(xpath(xml, 'string(//testsuite[1]//property[@name="for-scale"]/@value)')).toBe('0.1');
    expect(xpath(xml, 'string(//testsuite[1]//property[@name="note"]/@value)')).toMatch(/^for-scale 0\.1/);
    // Each case names the rule it judged; the schema has no properties in a test case.
    expect(xpath(xml, 'string(//testcase[@name="A fires within 1m"]/system-out)')).toBe(
      'rule_file: rules/team.yml:4:11',
    );
    expect(xpath(xml, 'string(//testcase[@name="B never fires"]/system-out)')).toBe(
      'rule_file: rules/team.yml:10:11',
    );
    expect(xpath(xml, 'count(//property[starts-with(@name, "rule_file")])')).toBe('0');
    expect(xpath(xml, 'count(//testsuite[2]//system-out)')).toBe('0');
    expect(xpath(xml, 'string(//testsuite[2]//property[@name="seed"]/@value)')).toBe('abc');
    expect(xpath(xml, 'count(//testsuite[1]//property[@name="seed"])')).toBe('0');
    expect(xpath(xml, 'string(//testcase[@name="B never fires"]/failure/@message)')).toBe(
      'fired at 40s, expected never',
    );
  });

  it('escapes names and messages, and replaces characters XML cannot carry', () => {
    const name = `Odd{path="/a&b", q='<x>'} fires within 1m`;
    const detail = 'fired at 1m as {msg="]]> & \u0007bell"}\nsecond line';
    const xml = formatJunit([
      result({ passed: false, results: [{ alert: 'Odd', expectation: name, passed: false, detail }] }),
    ]);
    expect(validate(xml)).toMatchObject({ ok: true });
    expect(xpath(xml, 'string(//testcase/@name)')).toBe(name);
    expect(xpath(xml, 'string(//failure)')).toBe(detail.replace('\u0007', '\uFFFD'));
  });
});

const bins = await requireBinaries(['promtool']);

describe.skipIf(!bins.available || (!hasXmllint && !process.env.CI))('JUnit report of a real replay', () => {
  it('validates for a passing and a failing scenario, the unexpected alert a failing case', async () => {
    const results = await replay(['emergency-active', 'test/fixtures/scenarios/wrong-expectations.yaml']);
    expect(results.map((r) => r.passed)).toEqual([true, false]);
    const xml = formatJunit(results);
    expect(validate(xml)).toMatchObject({ ok: true });
    expect(xpath(xml, 'string(/testsuites/@tests)')).toBe('6');
    expect(xpath(xml, 'string(//testsuite[@name="wrong-expectations"]/@failures)')).toBe('4');
    expect(xpath(xml, 'string(//testsuite[@name="emergency-active"]/@failures)')).toBe('0');
    expect(xpath(xml, 'string(//testcase[@name="EmergencyActive not expected"]/failure/@message)')).toMatch(
      /^EmergencyActive fired at .*no expectation names it/,
    );
    expect(xpath(xml, 'string(//testsuite[@name="emergency-active"]/testcase[1]/system-out)')).toMatch(
      /^rule_file: \S+\.ya?ml:\d+:\d+$/,
    );
    expect(xpath(xml, 'string(//testsuite[@name="wrong-expectations"]//property[@name="seed"]/@value)')).toBe(
      '1',
    );
  }, 60_000);
});
