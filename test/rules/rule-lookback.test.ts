import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseDuration } from '../../generators/model/duration.js';
import { defaultSystems, ruleFilesOf } from '../../generators/systems/index.js';
import { loadRuleSet } from '../../sandbox/rules/rule-set.js';
import { ruleLookback } from '../../sandbox/rules/rule-lookback.js';

const MIN = 60_000;
const HOUR = 60 * MIN;

/** The bundled rule files and those of the seeds' systems (`generators/systems/<name>/*-alerts.yaml`). */
function allRuleFiles(): string[] {
  const root = 'generators/systems';
  const seeds = readdirSync(root, { withFileTypes: true })
    .filter((d) => d.isDirectory())
    .flatMap((d) =>
      readdirSync(join(root, d.name))
        .filter((f) => f.endsWith('-alerts.yaml'))
        .map((f) => join(root, d.name, f)),
    );
  return [...ruleFilesOf(defaultSystems()), ...seeds];
}

/**
 * The test's own reading of a rule with range selectors only (no subquery, offset or `@`): the longest
 * `[d]` in it, or 0 without any.
 */
const longestRange = (expr: string) =>
  Math.max(0, ...[...expr.matchAll(/\[(\w+)\]/g)].map((m) => parseDuration(m[1]!)!));
const rangesOnly = (expr: string) => !/\[[^\]]*:|\boffset\b|@/.test(expr);

describe('ruleLookback', () => {
  it.each([
    ['rate(x[5m])', 5 * MIN, 'x[5m]'],
    ['x', 0, 'x'],
    ['time() - x > 600', 0, 'x'],
    ['vector(1)', 0, ''],
    // A subquery: its range, plus what the expression it evaluates reads before its oldest step.
    ['avg_over_time(rate(x[5m])[1h:5m])', HOUR + 5 * MIN, 'rate(x[5m])[1h:5m]'],
    ['rate(x[5m:1m])', 5 * MIN, 'x[5m:1m]'],
    ['max_over_time(rate(x[5m])[1h:])', HOUR + 5 * MIN, 'rate(x[5m])[1h:]'],
    // A subquery in a subquery: both ranges and the innermost selector's.
    [
      'max_over_time(avg_over_time(rate(x[5m])[30m:1m])[2h:5m])',
      2 * HOUR + 35 * MIN,
      'avg_over_time(rate(x[5m])[30m:1m])[2h:5m]',
    ],
    // Offsets: on an instant selector, a range selector, a function's result, and a subquery.
    ['x offset 1h', HOUR, 'x offset 1h'],
    ['rate(x[5m] offset 1h)', HOUR + 5 * MIN, 'x[5m] offset 1h'],
    ['rate(x[5m]) offset 1h', HOUR + 5 * MIN, 'rate(x[5m]) offset 1h'],
    ['max_over_time(x[10m:1m] offset 1d)', 24 * HOUR + 10 * MIN, 'x[10m:1m] offset 1d'],
    // A negative offset reads after the evaluation time: no further back than the window's end.
    ['rate(x[5m] offset -10m)', 0, 'x[5m] offset -10m'],
    // `@ start()` and `@ end()` are the evaluation time of a rule; a fixed `@` reads that time whatever the history.
    ['rate(x[1h] @ start())', HOUR, 'x[1h]'],
    ['rate(x[1h] @ end()) + rate(y[5m])', HOUR, 'x[1h]'],
    ['rate(x[1h] @ 1700000000) + rate(y[5m])', 5 * MIN, 'y[5m]'],
    ['rate(x[5m] offset 1h @ 1700000000)', 0, ''],
    ['avg_over_time((x @ 1700000000)[1h:])', 0, ''],
    // Durations as Prometheus writes them: seconds as a bare number, arithmetic, min_of/max_of.
    ['rate(x[90])', 90_000, 'x[90]'],
    ['rate(x[5m * 2])', 10 * MIN, 'x[5m * 2]'],
    ['rate(x[1h - 5m])', 55 * MIN, 'x[1h - 5m]'],
    ['rate(x[max_of(5m, 1h)])', HOUR, 'x[max_of(5m, 1h)]'],
    ['rate(x[(5m)])', 5 * MIN, 'x[(5m)]'],
    ['sum by (job) (increase(x[7d])) / sum by (job) (increase(x[1d]))', 7 * 24 * HOUR, 'x[7d]'],
  ])('%s looks back %d ms (%s)', (expr, ms, text) => {
    expect(ruleLookback(expr)).toEqual({ ms, text });
  });

  it('keeps the first of two equally long parts', () => {
    expect(ruleLookback('rate(a[1h]) / rate(b[1h])')).toEqual({ ms: HOUR, text: 'a[1h]' });
  });

  it('says so for an expression that does not parse or a duration only known when it runs', () => {
    expect(ruleLookback('rate(x[5m]')).toEqual({ error: expect.stringMatching(/^cannot parse PromQL/) });
    expect(ruleLookback('rate(x[step()])')).toEqual({
      error: 'the duration step() cannot be sized before the query runs',
    });
  });

  it('sizes every bundled and seed rule, as their range selectors say', async () => {
    const rules = await loadRuleSet(allRuleFiles());
    const named = [
      ...rules.alerts.map((r) => ({ name: r.alert, expr: r.expr })),
      ...rules.records.map((r) => ({ name: r.record, expr: r.expr })),
    ];
    const sized = named.map((r) => ({ ...r, lookback: ruleLookback(r.expr) }));
    expect(sized.filter((r) => 'error' in r.lookback)).toEqual([]);
    const simple = sized.filter((r) => rangesOnly(r.expr));
    // Range selectors only, but for VaultMesh's baseline; long windows are among them (AnchorFailure's 1h, the 7d of
    // CostAnomalyDetected), so the comparison is not only of 5m windows.
    expect(sized.filter((r) => !rangesOnly(r.expr)).map((r) => r.name)).toEqual(['ReceiptRateAnomaly']);
    expect(simple.some((r) => longestRange(r.expr) === 7 * 24 * HOUR)).toBe(true);
    for (const r of simple)
      expect([r.name, r.lookback]).toEqual([r.name, expect.objectContaining({ ms: longestRange(r.expr) })]);
    expect(sized.find((r) => r.name === 'ReceiptRateAnomaly')?.lookback).toEqual({
      ms: HOUR + 5 * MIN,
      text: 'rate(vaultmesh_receipts_total[5m])[1h:5m]',
    });
  });
});
