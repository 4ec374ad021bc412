import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { mutate, type MutationReport } from '../../sandbox/mutate/mutation-testing.js';
import { replay } from '../../sandbox/replay/replay-scenarios.js';
import { requireBinaries } from '../support/binaries.js';
import { runCli } from '../support/cli.js';

const bins = await requireBinaries(['promtool']);

const RULES = 'test/fixtures/mutate/tiny-rules.yaml';
const SCENARIO = 'test/fixtures/mutate/tiny-emergency.yaml';
const TINY = [SCENARIO, '--no-bundled-rules', '--rules', RULES];

describe.skipIf(!bins.available)('sandbox mutate', () => {
  const dir = mkdtemp(join(tmpdir(), 'obs-sandbox-mutate-'));
  afterAll(async () => rm(await dir, { recursive: true, force: true }));
  let report: MutationReport;

  it('kills the mutants the scenario tells apart and keeps the others as survivors', async () => {
    report = await mutate([SCENARIO], { rules: [RULES], bundledRules: false });
    const [alert] = report.alerts;
    expect(alert!.alert).toBe('TinyEmergency');
    expect(alert!.scenarios).toEqual(['tiny-emergency']);
    const status = Object.fromEntries(alert!.mutants.map((m) => [m.description, m.status]));
    expect(status).toEqual({
      'comparison == flipped to !=': 'killed',
      'threshold 1 ×2 = 2': 'killed',
      'threshold 1 ×0.5 = 0.5': 'killed',
      'for: 2m ×2 = 4m': 'killed',
      'for: 2m ×0.5 = 1m': 'survived',
      'for: 2m dropped': 'survived',
    });
    const flipped = alert!.mutants[0]!;
    expect(flipped.killedBy).toEqual({
      scenario: 'tiny-emergency',
      failure: 'TinyEmergency silent from 0s to 10m: fired at 0s, expected silent then',
    });
    expect(alert!.mutants.find((m) => m.status === 'survived')!.rule).toBe(
      'alert: TinyEmergency\nexpr: vaultmesh_governance_emergency_active == 1\nfor: 1m\nlabels:\n  severity: warning',
    );
    expect([report.killed, report.survived, report.invalid, report.score]).toEqual([4, 2, 0, 4 / 6]);
  });

  it('gives each mutant the verdict a replay of that mutant alone gives (one promtool run judges them all)', async () => {
    const [alert] = report.alerts;
    for (const [i, mutant] of alert!.mutants.entries()) {
      const file = join(await dir, `alone-${i}.yaml`);
      const rule = mutant.rule.replace(/^/gm, '        ').trimStart();
      await writeFile(file, `groups:\n  - name: tiny\n    rules:\n      - ${rule}\n`);
      const [result] = await replay([SCENARIO], { rules: [file], bundledRules: false });
      expect(result!.passed, mutant.description).toBe(mutant.status === 'survived');
    }
  });

  it('prints the survivors as rule text and exits 0 with the default --min-score', () => {
    const { code, stdout } = runCli(['mutate', ...TINY]);
    expect(code).toBe(0);
    expect(stdout).toMatch(
      /^TinyEmergency {2}test\/fixtures\/mutate\/tiny-rules\.yaml:4:9 +1 +6 +4 +2 +0 +67%$/m,
    );
    expect(stdout).toContain('  - for: 2m dropped:\n      alert: TinyEmergency\n');
    expect(stdout).toMatch(/^mutation score 67%: 4 of 6 mutants killed, 2 survived, 0 invalid;/m);
  });

  it('exits 1 below --min-score and 0 at it', () => {
    expect(runCli(['mutate', ...TINY, '--min-score', '70']).code).toBe(1);
    expect(runCli(['mutate', ...TINY, '--min-score', '66']).code).toBe(0);
  });

  it('writes JSON, and JUnit that validates against the JUnit schema', async () => {
    const junit = join(await dir, 'mutants.xml');
    const { code, stdout } = runCli(['mutate', ...TINY, '--json', '--junit', junit]);
    expect(code).toBe(0);
    const json = JSON.parse(stdout) as MutationReport;
    expect(json.alerts[0]!.mutants.map((m) => m.status)).toEqual(
      report.alerts[0]!.mutants.map((m) => m.status),
    );
    expect(json.score).toBeCloseTo(4 / 6);
    const xml = readFileSync(junit, 'utf8');
    execFileSync('xmllint', ['--noout', '--schema', 'test/fixtures/junit-10.xsd', junit], { stdio: 'pipe' });
    expect(xml).toMatch(
      /<testsuites name="obs-sandbox mutate" tests="6" failures="2" errors="0" time="[\d.]+">/,
    );
    expect(xml).toMatch(/<testsuite name="TinyEmergency" tests="6" failures="2" errors="0" skipped="0"/);
    expect(xml).toContain('<property name="rule-file" value="test/fixtures/mutate/tiny-rules.yaml"/>');
    expect(xml).toMatch(
      /<testcase classname="TinyEmergency" name="for: 2m dropped" time="0">\s*<failure type="survived"/,
    );
  });

  it('counts mutants promtool rejects apart, as skipped in JUnit', async () => {
    const rules = join(await dir, 'nameless.yaml');
    // The only matcher of a selector without a metric name: removing it leaves `{}`, which PromQL refuses.
    await writeFile(
      rules,
      'groups:\n  - name: g\n    rules:\n      - alert: TinyEmergency\n        expr: \'{__name__="vaultmesh_governance_emergency_active"} == 1\'\n        for: 2m\n        labels: { severity: warning }\n',
    );
    const mutated = await mutate([SCENARIO], { rules: [rules], bundledRules: false });
    const invalid = mutated.alerts[0]!.mutants.filter((m) => m.status === 'invalid');
    expect(invalid.map((m) => m.description)).toEqual([
      'matcher __name__="vaultmesh_governance_emergency_active" removed',
    ]);
    expect(invalid[0]!.invalid).toMatch(/vector selector must contain at least one non-empty matcher/);
    expect(mutated.invalid).toBe(1);
    expect(mutated.killed + mutated.survived).toBe(6);
  });

  it.each([
    [
      [...TINY, '--alert', 'TinyEmergencyy'],
      /^sandbox: --alert TinyEmergencyy: no alerting rule of that name in the loaded rule files \(did you mean TinyEmergency\?\)$/,
    ],
    [
      [...TINY, '--min-score', '120'],
      /^sandbox: option '--min-score <percent>' argument '120' is invalid\. must be a percentage from 0 to 100, e\.g\. 80$/,
    ],
    [['nope/missing.yaml'], /^sandbox: scenario file nope\/missing\.yaml does not exist$/],
    [
      [SCENARIO, '--rules', 'test/fixtures/nothing-here'],
      /^sandbox: rules path test\/fixtures\/nothing-here does not exist/,
    ],
  ])('rejects %j in one line with exit 2', (args, message) => {
    const { code, stderr } = runCli(['mutate', ...args]);
    expect(code).toBe(2);
    expect(stderr.trim().split('\n')).toHaveLength(1);
    expect(stderr.trim()).toMatch(message);
  });
});
