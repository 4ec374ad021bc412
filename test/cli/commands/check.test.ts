import { beforeAll, describe, expect, it } from 'vitest';
import { metricsInExpr } from '../../../sandbox/rules/promql-metrics.js';
import { requireBinaries } from '../../support/binaries.js';
import { runCli, type CliResult } from '../../support/cli.js';

const bins = await requireBinaries(['promtool']);

interface Report {
  alerts: {
    alert: string;
    file: string;
    firedIn: string[];
    claimedIn: string[];
    quietIn: string[];
    unproduced: string[];
  }[];
  unfired: { alert: string; file: string }[];
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
  // --strict prints the same table before it fails: one run serves the test of the table and of --strict.
  let strictTable: CliResult;
  beforeAll(() => {
    strictTable = runCli(['check', '--rules', 'test/fixtures/rules/coverage.yaml', '--strict'], 600_000);
  }, 900_000);

  it('reports where each alert actually fired in a replay, apart from what scenarios claim', () => {
    const { code, stdout } = runCli(
      ['check', '--rules', 'test/fixtures/rules/coverage.yaml', '--json'],
      600_000,
    );
    expect(code).toBe(0);
    const report = JSON.parse(stdout) as Report;
    expect(report.alerts).toHaveLength(23);
    expect(report.unfired.map((u) => u.alert)).toEqual(['ReceiptsStalled', 'TenantQuotaExceeded']);
    expect(report.unproduced).toEqual(['tenant_plan_active', 'tenant_quota_exceeded_total']);
    const byName = new Map(report.alerts.map((a) => [a.alert, a]));
    expect(byName.get('NodeDown')).toMatchObject({
      file: expect.stringMatching(/sandbox\/assets\/rules\/vaultmesh-alerts\.yaml$/),
      firedIn: ['mesh-partition', 'node-down'],
      claimedIn: ['mesh-partition', 'node-down'],
      unproduced: [],
    });
    // No scenario claims it, but oracle latency makes it fire: what happened, not what was written.
    expect(byName.get('SlowOracleP99')).toMatchObject({ firedIn: ['oracle-high-latency'], claimedIn: [] });
    expect(byName.get('ReceiptWriteFailure')?.quietIn).toContain('baseline');
  }, 900_000);

  it('fails with --strict, saying why, when an alert fires in no replay or a metric is unproduced', () => {
    const failed = strictTable;
    expect(failed.code).toBe(1);
    expect(failed.stderr).toMatch(
      /check --strict failed: ReceiptsStalled \(test\/fixtures\/rules\/coverage\.yaml\) fired in no replayed scenario; TenantQuotaExceeded .*; metrics no generator produces: tenant_plan_active, tenant_quota_exceeded_total/,
    );
    expect(runCli(['check', '--strict'], 600_000).code).toBe(0);
  }, 900_000);

  it('keeps the columns apart however long a cell is, and names each rule file', () => {
    const { stdout } = strictTable;
    const lines = stdout.split('\n');
    const header = lines.find((l) => l.startsWith('ALERT'))!;
    const claimed = header.indexOf('CLAIMED IN');
    const quiet = header.indexOf('QUIET IN');
    const rows = lines.slice(lines.indexOf(header) + 1, lines.indexOf('', lines.indexOf(header)));
    for (const row of rows) {
      // Whatever runs before a column ends with two spaces before it: nothing runs into the next column.
      if (row.length > claimed) expect(row.slice(claimed - 2, claimed)).toBe('  ');
      if (row.length > quiet) expect(row.slice(quiet - 2, quiet)).toBe('  ');
    }
    expect(stdout).toMatch(
      /^AnchorDelayed +sandbox\/assets\/rules\/vaultmesh-alerts\.yaml +anchor-critically-delayed, anchor-delayed,/m,
    );
    expect(stdout).toMatch(
      /^ReceiptsStalled +test\/fixtures\/rules\/coverage\.yaml +- +\(fired in no replay\)/m,
    );
  }, 900_000);

  it('exits non-zero with one line for invalid rules', () => {
    const { code, stderr } = runCli(['check', '--rules', 'test/fixtures/rules/broken.yaml']);
    expect(code).toBe(2);
    expect(stderr.trim()).toMatch(
      /^sandbox: rules fail promtool's check: .*broken\.yaml:5:15: group "broken", rule 1, "Broken": could not parse expression/,
    );
  });
});
