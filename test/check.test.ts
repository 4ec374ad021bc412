import { describe, expect, it } from 'vitest';
import { metricsInExpr } from '../sandbox/rules/promql-metrics.js';
import { requireBinaries } from './support/binaries.js';
import { runCli } from './support/cli.js';

const bins = await requireBinaries(['promtool']);

interface Report {
  alerts: { alert: string; firesIn: string[]; quietIn: string[]; unproduced: string[] }[];
  uncovered: string[];
  unproduced: string[];
  scenarios: number;
}

describe('PromQL metric extraction (the real PromQL grammar)', () => {
  it('finds every selected metric, whatever the form', () => {
    expect(
      metricsInExpr(
        'abs(rate(a_total[5m]) - avg_over_time(rate(a_total[5m])[1h:5m])) > 2 * stddev_over_time(b[1h:5m]) and on() {__name__="c"} == 1 and time() - d{x="y"} > 3',
      ).metrics,
    ).toEqual(['a_total', 'b', 'c', 'd']);
    expect(metricsInExpr('rate(x[5m]').error).toMatch(/cannot parse PromQL/);
  });
});

describe.skipIf(!bins.available)('sandbox check', () => {
  it('reports coverage for bundled and fixture rules', () => {
    const { code, stdout } = runCli(['check', '--rules', 'test/fixtures/rules/coverage.yaml', '--json']);
    expect(code).toBe(0);
    const report = JSON.parse(stdout) as Report;
    expect(report.alerts).toHaveLength(23);
    expect(report.uncovered).toEqual(['ReceiptsStalled', 'TenantQuotaExceeded', 'SlowOracleP99']);
    expect(report.unproduced).toEqual(['tenant_plan_active', 'tenant_quota_exceeded_total']);
    const byName = new Map(report.alerts.map((a) => [a.alert, a]));
    expect(byName.get('NodeDown')).toMatchObject({
      firesIn: ['mesh-partition', 'node-down'],
      unproduced: [],
    });
    expect(byName.get('SlowOracleP99')?.unproduced).toEqual([]);
    expect(byName.get('ReceiptWriteFailure')?.quietIn).toContain('baseline');
  });

  it('fails with --strict when an alert is uncovered or a metric unproduced', () => {
    expect(runCli(['check', '--rules', 'test/fixtures/rules/coverage.yaml', '--strict']).code).toBe(1);
    expect(runCli(['check', '--strict']).code).toBe(0);
  });

  it('exits non-zero with one line for invalid rules', () => {
    const { code, stderr } = runCli(['check', '--rules', 'test/fixtures/rules/broken.yaml']);
    expect(code).toBe(2);
    expect(stderr.trim()).toMatch(
      /^sandbox: rules fail promtool's check: .*broken\.yaml: 5:15: group "broken", rule 1, "Broken": could not parse expression/,
    );
  });
});
