import { describe, expect, it } from 'vitest';
import { exprMutants, parsesCleanly } from '../../sandbox/mutate/promql-mutants.js';
import { loadAlertRules } from '../../sandbox/rules/rule-files.js';

const mutated = (expr: string) => exprMutants(expr).map((m) => [m.operator, m.expr]);

describe('exprMutants', () => {
  it('scales the threshold up and down and flips the comparison', () => {
    expect(mutated('rate(proof_verification_failures_total[5m]) > 0.01')).toEqual([
      ['comparison', 'rate(proof_verification_failures_total[5m]) < 0.01'],
      ['threshold', 'rate(proof_verification_failures_total[5m]) > 0.02'],
      ['threshold', 'rate(proof_verification_failures_total[5m]) > 0.005'],
      ['range', 'rate(proof_verification_failures_total[2m30s]) > 0.01'],
      ['range', 'rate(proof_verification_failures_total[10m]) > 0.01'],
    ]);
  });

  it('flips every comparison both ways and keeps bool', () => {
    for (const [from, to] of [
      ['>=', '<='],
      ['<=', '>='],
      ['==', '!='],
      ['!=', '=='],
      ['<', '>'],
    ]) {
      expect(mutated(`up ${from} bool 1`)[0]).toEqual(['comparison', `up ${to} bool 1`]);
    }
  });

  it('scales a factor of a product compared against (ReceiptRateAnomaly) and every range and subquery window', () => {
    const expr =
      'abs(rate(x[5m]) - avg_over_time(rate(x[5m])[1h:5m])) > 2 * stddev_over_time(rate(x[5m])[1h:5m])';
    const mutants = exprMutants(expr);
    expect(mutants.filter((m) => m.operator === 'threshold').map((m) => m.description)).toEqual([
      'threshold 2 ×2 = 4',
      'threshold 2 ×0.5 = 1',
    ]);
    // Five windows (three [5m], two [1h] subquery ranges), each halved and doubled; the subquery step stays.
    expect(mutants.filter((m) => m.operator === 'range')).toHaveLength(10);
    expect(mutants.some((m) => m.expr.includes('[1h:2m30s]'))).toBe(false);
  });

  it('removes each label matcher, and the braces with the last one', () => {
    expect(mutated('rate(x_bucket{a="b", c!~"d"}[5m]) > 1').filter(([op]) => op === 'matcher')).toEqual([
      ['matcher', 'rate(x_bucket{c!~"d"}[5m]) > 1'],
      ['matcher', 'rate(x_bucket{a="b"}[5m]) > 1'],
    ]);
    expect(mutated('vaultmesh_psi_phase_duration_seconds{phase="nigredo"} > 86400')).toContainEqual([
      'matcher',
      'vaultmesh_psi_phase_duration_seconds > 86400',
    ]);
  });

  it("drops an aggregation's by or without, before or after its body", () => {
    expect(mutated('histogram_quantile(0.95, sum by (le) (rate(h_bucket[5m]))) > 30')).toContainEqual([
      'grouping',
      'histogram_quantile(0.95, sum (rate(h_bucket[5m]))) > 30',
    ]);
    expect(mutated('sum(y) without (x) > 3')).toContainEqual(['grouping', 'sum(y) > 3']);
  });

  it('leaves out mutants equal to the original (a zero threshold scaled)', () => {
    expect(mutated('increase(f_total[1h]) > 0').map(([op]) => op)).toEqual(['comparison', 'range', 'range']);
  });

  it('mutates every bundled alert, and every mutant parses', async () => {
    const rules = await loadAlertRules([
      'sandbox/assets/rules/vaultmesh-alerts.yaml',
      'sandbox/assets/rules/zkp-alerts.yaml',
      'generators/systems/lexecon/lexecon-alerts.yaml',
      'generators/systems/vex-lens/vex-lens-alerts.yaml',
      'generators/systems/sankofa-phoenix/sankofa-phoenix-alerts.yaml',
    ]);
    expect(rules.length).toBeGreaterThan(30);
    for (const rule of rules) {
      const mutants = exprMutants(rule.expr);
      expect(mutants.length, rule.alert).toBeGreaterThan(0);
      for (const m of mutants) expect(parsesCleanly(m.expr), `${rule.alert}: ${m.expr}`).toBe(true);
      expect(new Set(mutants.map((m) => m.expr)).size).toBe(mutants.length);
    }
  });

  it('tells a broken expression from a good one', () => {
    expect(parsesCleanly('rate(x[5m]) >')).toBe(false);
    expect(parsesCleanly('rate(x[5m]) > 1')).toBe(true);
  });
});
