import { describe, expect, it } from 'vitest';
import { requireBinaries } from '../support/binaries.js';
import { runCli } from '../support/cli.js';

const bins = await requireBinaries(['promtool']);
const DIR = 'test/fixtures/rule-identity';

interface Result {
  passed: boolean;
  results: { passed: boolean; detail: string; ruleFile?: string }[];
  fired: { alert: string; ruleFile?: string; at: number }[];
}

describe.skipIf(!bins.available)('rule identity (the real promtool)', () => {
  it('refuses a user rule that shadows a bundled alert of the same name, naming both file:line and the fixes', () => {
    // The case of issue 10: a `> 100` threshold that never fires used to PASS because the bundled rule fired.
    const { code, stdout, stderr } = runCli([
      'replay',
      'proof-verification-failures',
      '--rules',
      `${DIR}/rules`,
    ]);
    expect(code).toBe(2);
    expect(stdout).not.toMatch(/PASS/);
    const lines = stderr.trim().split('\n');
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(
      /rules\/team\.yaml:4:\d+: alert HighVerificationFailureRate: also defined in sandbox\/assets\/rules\/zkp-alerts\.yaml:15:\d+/,
    );
    expect(lines[0]).toMatch(/--no-bundled-rules/);
    expect(lines[0]).toMatch(/rule_file: team\.yaml/);
  });

  it("judges only the rule the expectation names: the team's rule never fires, so it fails", () => {
    const { code, stdout } = runCli(['replay', `${DIR}/pvf.yaml`, '--rules', `${DIR}/rules`, '--json']);
    expect(code).toBe(1);
    const [result] = JSON.parse(stdout) as Result[];
    expect(result!.passed).toBe(false);
    expect(result!.results[1]).toMatchObject({
      passed: false,
      detail: 'expected firing by 14m, never fired',
    });
    expect(result!.results[1]!.ruleFile).toMatch(/fixtures\/rule-identity\/rules\/team\.yaml$/);
    // The bundled rule did fire, under its own identity.
    expect(result!.fired).toEqual([
      {
        alert: 'HighVerificationFailureRate',
        ruleFile: expect.stringMatching(/zkp-alerts\.yaml$/),
        at: 675_000,
      },
    ]);
  });

  it('passes when the expectation names the bundled file, which does fire', () => {
    const { code, stdout } = runCli([
      'replay',
      `${DIR}/pvf-bundled.yaml`,
      '--rules',
      `${DIR}/rules`,
      '--json',
    ]);
    expect(code).toBe(0);
    const [result] = JSON.parse(stdout) as Result[];
    expect(result!.results.map((r) => r.ruleFile)).toEqual([
      expect.stringMatching(/sandbox\/assets\/rules\/zkp-alerts\.yaml$/),
      expect.stringMatching(/sandbox\/assets\/rules\/zkp-alerts\.yaml$/),
    ]);
  });

  it("takes the project file's alerts: map as which file a name means", () => {
    const { code, stdout } = runCli([
      'replay',
      'proof-verification-failures',
      '--config',
      `${DIR}/project.yaml`,
    ]);
    expect(code).toBe(1);
    expect(stdout).toMatch(
      /FAIL {2}HighVerificationFailureRate\{severity="critical"\} fires within [^:]+: expected firing by \w+, never fired/,
    );
  });

  it('names an unknown rule_file with did-you-mean', () => {
    const { code, stderr } = runCli([
      'replay',
      `${DIR}/pvf-bundled.yaml`,
      '--rules',
      `${DIR}/rules`,
      '--no-bundled-rules',
    ]);
    expect(code).toBe(2);
    expect(stderr).toMatch(
      /pvf-bundled\.yaml:14:16: expect\[0\]\.rule_file: no loaded rule file is zkp-alerts\.yaml/,
    );
  });

  it('refuses recording rules of one name in two files, naming both', () => {
    const { code, stderr } = runCli(['replay', 'proof-verification-failures', '--rules', `${DIR}/records`]);
    expect(code).toBe(2);
    expect(stderr).toMatch(
      /records\/b\.yaml:4:\d+: record job:proof_failures:rate5m: also defined in .*records\/a\.yaml:4:\d+/,
    );
  });

  it('refuses the clash in check too', { timeout: 120_000 }, () => {
    const { code, stderr } = runCli(['check', '--rules', `${DIR}/rules`]);
    expect(code).toBe(2);
    expect(stderr).toMatch(/alert HighVerificationFailureRate: also defined in/);
  });
});

describe.skipIf(!bins.available)('saying what happened', () => {
  it('a fires expectation that failed on labels says when and with which labels the alert fired', () => {
    const { code, stdout } = runCli(['replay', `${DIR}/pvf-job.yaml`]);
    expect(code).toBe(1);
    expect(stdout).toContain(
      'expected firing by 14m, never fired; fired at 11m15s as {instance="127.0.0.1:9470", job="zkp-dataset-ledger", severity="critical"}; expected job="zkp-prover"',
    );
  });

  it('a label value no rule of that alert can have is an error at load time, with did-you-mean', () => {
    const { code, stderr } = runCli(['replay', `${DIR}/pvf-warning.yaml`]);
    expect(code).toBe(2);
    expect(stderr.trim()).toMatch(
      /pvf-warning\.yaml:12:\d+: expect\[0\]\.labels\.severity: alert HighVerificationFailureRate always has severity="critical" \(.*zkp-alerts\.yaml:15:\d+\), never "warnnig" \(did you mean critical\?\)$/,
    );
  });

  it('warns about a never expectation on an alert whose metrics nothing produces; --strict makes it an error', () => {
    const args = ['replay', `${DIR}/vacuous/scenario.yaml`, '--rules', `${DIR}/vacuous/rules.yaml`];
    const warned = runCli(args);
    expect(warned.code).toBe(0);
    const warnings = warned.stderr.trim().split('\n');
    // ProofFailureRatioHigh reads a recording rule whose inputs exist: not vacuous.
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toMatch(
      /warning: .*vacuous\/scenario\.yaml:6:\d+: expect\[0\]: ProverQueueFull never passes vacuously: its expression selects only metrics nothing produces \(zkp_prover_queue_depth\)/,
    );
    const strict = runCli([...args, '--strict']);
    expect(strict.code).toBe(2);
    expect(strict.stderr).toMatch(/ProverQueueFull never passes vacuously/);
  });

  it('check --strict exits 1 on a vacuous expectation, with the warning and a line saying why', () => {
    const { code, stderr } = runCli([
      'check',
      '--no-bundled-rules',
      '--rules',
      `${DIR}/vacuous/rules.yaml`,
      '--scenario',
      `${DIR}/vacuous/scenario.yaml`,
      '--strict',
      '--no-cache',
    ]);
    expect(code).toBe(1);
    expect(stderr).toMatch(
      /^sandbox: warning: .*vacuous\/scenario\.yaml:6:5: expect\[0\]: ProverQueueFull never passes vacuously/m,
    );
    expect(stderr).toMatch(
      /^sandbox: check --strict failed: .*; 1 never\/silent expectation\(s\) pass vacuously \(see the warnings above\)$/m,
    );
  }, 300_000);
});
