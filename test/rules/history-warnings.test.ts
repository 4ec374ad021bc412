import { describe, expect, it } from 'vitest';
import { parseDuration } from '../../generators/model/duration.js';
import { defaultSystems, ruleFilesOf } from '../../generators/systems/index.js';
import { historyWarnings } from '../../sandbox/rules/history-warnings.js';
import type { AlertRule } from '../../sandbox/rules/rule-files.js';
import { loadRuleSet, type RuleSet } from '../../sandbox/rules/rule-set.js';
import { ruleLookback } from '../../sandbox/rules/rule-lookback.js';

const bundled = () => loadRuleSet(ruleFilesOf(defaultSystems()));
const ms = (text: string) => parseDuration(text)!;
const named = (lines: string[]) => lines.map((l) => l.split(' ')[0]);

const alert = (name: string, expr: string): AlertRule => ({
  alert: name,
  expr,
  forMs: 0,
  labels: {},
  file: 'a.yaml',
  group: 'g',
  where: 'a.yaml:1:1',
});
const ruleSet = (alerts: AlertRule[], records: RuleSet['records'] = []): RuleSet => ({
  files: ['a.yaml'],
  alerts,
  records,
});

describe('historyWarnings', () => {
  it('names every bundled rule that looks back further than a 10m history, ReceiptRateAnomaly as its own words', async () => {
    const rules = await bundled();
    const lines = historyWarnings(rules, ms('10m'));
    const longer = rules.alerts.filter((r) => {
      const lookback = ruleLookback(r.expr);
      return !('error' in lookback) && lookback.ms > ms('10m');
    });
    expect(longer.length).toBeGreaterThan(1);
    expect(named(lines)).toEqual(longer.map((r) => r.alert));
    expect(lines).toContain(
      'ReceiptRateAnomaly looks back 1h5m (rate(vaultmesh_receipts_total[5m])[1h:5m]) but --history is 10m: ' +
        'until 1h5m of samples exist it may be pending or wrong; use --history 1h10m or more',
    );
  });

  it('names none of them at the default 1h10m, and every rule with a range at 0', async () => {
    const rules = await bundled();
    expect(historyWarnings(rules, ms('1h10m'))).toEqual([]);
    const withRange = rules.alerts.filter((r) => !('error' in ruleLookback(r.expr)) && /\[/.test(r.expr));
    const lines = historyWarnings(rules, 0);
    expect(named(lines)).toEqual(withRange.map((r) => r.alert));
    expect(lines[0]).toMatch(
      /^ReceiptWriteFailure looks back 5m \(.*\) but --history is 0: .*use --history 10m or more$/,
    );
  });

  it('warns exactly past the lookback, and names the option it is given', () => {
    const rules = ruleSet([alert('A', 'increase(x[1h]) > 0')]);
    expect(historyWarnings(rules, ms('1h'))).toEqual([]);
    expect(historyWarnings(rules, ms('59m'), 'history')).toEqual([
      'A looks back 1h (x[1h]) but history is 59m: until 1h of samples exist it may be pending or wrong; use history 1h5m or more',
    ]);
  });

  it('says what to do when no history can be long enough', () => {
    expect(historyWarnings(ruleSet([alert('Weekly', 'x > 2 * avg_over_time(x[7d])')]), ms('1d'))).toEqual([
      'Weekly looks back 7d (x[7d]) but --history is 1d, and at most 1d can be simulated: it may be pending or ' +
        'wrong for 7d after start; test it with a replay, whose warm-up can be that long',
    ]);
  });

  it('covers recording rules, says one thing once, and leaves out what does not parse', () => {
    const rules = ruleSet(
      [
        alert('Slow', 'rate(x[30m]) > 1'),
        alert('Slow', 'rate(x[30m]) > 5'),
        alert('Broken', 'rate(x[1h]'),
        alert('Multiline', 'avg_over_time(\n  rate(x[5m])\n  [1h:5m]\n) > 1'),
      ],
      [{ record: 'job:x:rate1h', expr: 'rate(x[1h])', file: 'a.yaml', where: 'a.yaml:2:1' }],
    );
    const lines = historyWarnings(rules, ms('10m'));
    expect(named(lines)).toEqual(['Slow', 'Multiline', 'job:x:rate1h']);
    expect(lines[1]).toMatch(/^Multiline looks back 1h5m \(rate\(x\[5m\]\) \[1h:5m\]\) but/);
  });
});
