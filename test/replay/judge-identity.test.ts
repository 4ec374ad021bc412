import { describe, expect, it } from 'vitest';
import { textTable } from '../../sandbox/cli/text-table.js';
import { judge } from '../../sandbox/replay/judge.js';
import type { AlertObservation } from '../../sandbox/promtool/promtool-output.js';
import { scenarioSchema } from '../../sandbox/scenario/scenario-schema.js';

const scenario = (expect: unknown[]) =>
  scenarioSchema.parse({ name: 's', description: 'd', duration: '20m', expect });

const fired = (at: number, ruleFile: string, labels: Record<string, string>): AlertObservation => ({
  at,
  alertname: 'HighVerificationFailureRate',
  state: 'firing',
  labels,
  ruleFile,
});

describe('judge: rule identity and what happened', () => {
  it("never lets another file's rule of the same name stand in (live and simulated judge alike)", () => {
    const observations = [fired(675_000, '/bundled/zkp-alerts.yaml', { severity: 'critical' })];
    const s = scenario([
      { alert: 'HighVerificationFailureRate', rule_file: '/team/team.yaml', fires: { within: '15m' } },
      {
        alert: 'HighVerificationFailureRate',
        rule_file: '/bundled/zkp-alerts.yaml',
        fires: { within: '15m' },
      },
    ]);
    const { results } = judge(s, observations, 0);
    expect(results.map((r) => [r.passed, r.ruleFile])).toEqual([
      [false, '/team/team.yaml'],
      [true, '/bundled/zkp-alerts.yaml'],
    ]);
  });

  it('says when and with which labels the alert fired or was pending, and what was expected', () => {
    const observations = [
      { ...fired(660_000, '/r.yaml', { severity: 'critical', tenant: 'a' }), state: 'pending' as const },
      fired(675_000, '/r.yaml', { severity: 'critical', tenant: 'a' }),
      { ...fired(690_000, '/r.yaml', { severity: 'critical', tenant: 'b' }), state: 'pending' as const },
    ];
    const s = scenario([
      { alert: 'HighVerificationFailureRate', labels: { severity: 'warning' }, fires: { within: '15m' } },
    ]);
    const [result] = judge(s, observations, 0).results;
    expect(result!.detail).toBe(
      'expected firing by 15m, never fired; fired at 11m15s as {severity="critical", tenant="a"}; expected severity="warning"; ' +
        'was pending at 11m30s as {severity="critical", tenant="b"}; expected severity="warning"',
    );
  });
});

describe('textTable', () => {
  it('wraps lists within the column and keeps two spaces between columns', () => {
    const lines = textTable(
      ['A', 'LIST', 'N'],
      [['x', ['lexecon-compliance-violations', 'lexecon-compliance-violations-2', 'c'], '3']],
      40,
    );
    expect(lines).toEqual([
      'A  LIST                                N',
      'x  lexecon-compliance-violations,      3',
      '   lexecon-compliance-violations-2, c',
    ]);
  });
});
