import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { explainCheckFailure } from '../../sandbox/promtool/promtool-check-output.js';
import { RuleFilePlaces } from '../../sandbox/rules/rule-file-places.js';
import { requireBinaries } from '../support/binaries.js';
import { runCliInProcess } from '../support/cli-in-process.js';

const bins = await requireBinaries(['promtool']);
const dir = mkdtempSync(join(tmpdir(), 'obs-sandbox-check-output-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const rule = (name: string, extra = '') => `      - alert: ${name}\n        expr: up == 0\n${extra}`;

/** Broken rule files and the one line each must give: promtool's whole message at file:line:col. */
const CASES: [string, string, string][] = [
  [
    'bad-expr',
    `groups:\n  - name: g\n    rules:\n      - alert: A\n        expr: up == = 0\n`,
    ':5:15: group "g", rule 1, "A": could not parse expression: 1:7: parse error: unexpected "="',
  ],
  [
    'repeated-group',
    `groups:\n  - name: g\n    rules:\n${rule('A')}  - name: g\n    rules:\n${rule('B')}`,
    ':6:11: groupname: "g" is repeated in the same file',
  ],
  [
    'for-1000y',
    `groups:\n  - name: g\n    rules:\n${rule('A')}${rule('B', '        for: 1000y\n')}`,
    ':8:9: group "g", rule 2, "B": for: 1000y: duration out of range',
  ],
  [
    'unmarshal',
    `groups:\n  - name: g\n    rules:\n${rule('A', '        for: [1]\n        labels: 5\n        bogus: 1\n')}`,
    ':6:9: group "g", rule 1, "A": yaml: unmarshal errors: cannot unmarshal !!seq into string; FILE:7:9: group "g", rule 1, "A": cannot unmarshal !!int `5` into map[string]string; FILE:8:9: group "g", rule 1, "A": field bogus not found in type rulefmt.Rule',
  ],
  [
    'missing-expr',
    `groups:\n  - name: g\n    rules:\n      - alert: A\n        for: 1m\n`,
    ':4:9: group "g", rule 1, "A": field \'expr\' must be set in rule',
  ],
  [
    'unclosed-template',
    `groups:\n  - name: g\n    rules:\n${rule('A', '        annotations:\n          summary: "{{ $labels.x "\n')}`,
    ':4:9: group "g", rule 1, "A": annotation "summary": template: __alert_A:1: unclosed action',
  ],
  [
    'duration-unit',
    `groups:\n  - name: g\n    rules:\n${rule('A', '        for: 1e308s\n')}`,
    ':6:9: group "g", rule 1, "A": for: unknown unit "e" in duration "1e308s"',
  ],
  [
    'empty-group-name',
    `groups:\n  - name: ''\n    rules:\n${rule('A')}`,
    ':2:11: Groupname must not be empty',
  ],
  [
    'no-alert-name',
    `groups:\n  - name: g\n    rules:\n${rule('A')}      - alert: ~\n        expr: up == 0\n`,
    ':6:16: group "g", rule 2, "": one of \'record\' or \'alert\' must be set',
  ],
  [
    'negative-duration',
    `groups:\n  - name: g\n    rules:\n${rule('A', '        keep_firing_for: -1m\n')}`,
    ':6:9: group "g", rule 1, "A": keep_firing_for: not a valid duration string: "-1m"',
  ],
];

describe.skipIf(!bins.available)('promtool check rules failures, with the real promtool', () => {
  it.each(CASES)('%s', async (name, text, expected) => {
    const file = join(dir, `${name}.yml`);
    writeFileSync(file, text);
    const { code, stderr } = await runCliInProcess(['check', '--no-bundled-rules', '--rules', file]);
    expect(stderr.trim().split('\n')).toHaveLength(1);
    expect(stderr.trim()).toBe(
      `sandbox: rules fail promtool's check: ${file}${expected.split('FILE').join(file)}; fix the rule file and run again`,
    );
    expect(code).toBe(2);
  });

  it.each([
    ['empty', ''],
    ['groups-alone', 'groups:\n'],
    ['group-without-rules', 'groups:\n  - name: g\n    rules:\n'],
  ])('refuses a file without rules (%s), which promtool passes', async (name, text) => {
    const file = join(dir, `${name}.yml`);
    writeFileSync(file, text);
    const { code, stderr } = await runCliInProcess(['check', '--no-bundled-rules', '--rules', file]);
    expect(stderr.trim()).toBe(
      `sandbox: ${file}:1:1: the file holds no rules (it is empty, or its groups: list no rules); add a group with rules, or leave the file out`,
    );
    expect(code).toBe(2);
  });

  it('refuses a for: no scenario can last, which promtool passes', async () => {
    const file = join(dir, 'for-200y.yml');
    writeFileSync(file, `groups:\n  - name: g\n    rules:\n${rule('A', '        for: 200y\n')}`);
    const { code, stderr } = await runCliInProcess(['check', '--no-bundled-rules', '--rules', file]);
    expect(stderr.trim()).toBe(
      `sandbox: ${file}:6:9: group "g", rule 1, "A": for: 200y is longer than the 7d a scenario may last, so the alert could never fire in the sandbox; shorten it`,
    );
    expect(code).toBe(2);
  });
});

describe('explainCheckFailure', () => {
  it('keeps a message it cannot place whole, on one line', () => {
    const output = 'Checking f.yml\n  FAILED:\nf.yml: something new\n  and its detail\n';
    expect(explainCheckFailure(output, ['f.yml'], () => new RuleFilePlaces(''))).toBe(
      'f.yml: something new and its detail',
    );
  });

  it('places Go YAML syntax errors by their line', () => {
    const output = 'f.yml: yaml: line 3: did not find expected key\n';
    const places = new RuleFilePlaces('groups:\n  - name: g\n    rules: [\n');
    expect(explainCheckFailure(output, ['f.yml'], () => places)).toBe(
      'f.yml:3:5: group "g": yaml: did not find expected key',
    );
  });

  it('is undefined for output naming no checked file', () => {
    expect(explainCheckFailure('error: something else', ['f.yml'], () => undefined)).toBeUndefined();
  });
});
