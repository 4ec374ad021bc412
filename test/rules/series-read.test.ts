import { describe, expect, it } from 'vitest';
import type { RuleSet } from '../../sandbox/rules/rule-set.js';
import { inputNamesRead, namesRead } from '../../sandbox/rules/series-read.js';

const sorted = (names: Iterable<string> | undefined) => (names ? [...names].sort() : undefined);

function ruleSet(
  alerts: { expr: string; labels?: Record<string, string> }[],
  records: string[] = [],
): RuleSet {
  return {
    files: ['rules.yaml'],
    alerts: alerts.map((a, i) => ({
      alert: `A${i}`,
      expr: a.expr,
      forMs: 0,
      labels: a.labels ?? {},
      file: 'rules.yaml',
      group: 'g',
      where: 'rules.yaml:1:1',
    })),
    records: records.map((expr, i) => ({
      record: `r${i}`,
      expr,
      file: 'rules.yaml',
      where: 'rules.yaml:1:1',
    })),
  };
}

describe('namesRead', () => {
  it('names every selector of an expression, whatever the form', () => {
    expect(
      sorted(
        namesRead(
          'sum by (job) (rate(a_total{x="y"}[5m])) / on(job) group_left b + avg_over_time(c[1h:5m]) and {__name__="d", k!="v"} unless absent(e offset 5m)',
        ),
      ),
    ).toEqual(['a_total', 'b', 'c', 'd', 'e']);
    expect(sorted(namesRead('vector(1) > time()'))).toEqual([]);
  });

  it('is unbounded when a selector could match a series of any name', () => {
    for (const expr of [
      '{job="api"} > 0',
      'count({__name__=~"api_.*"})',
      'count({__name__!="x", job="a"})',
      "sum({__name__='single_quoted'})",
      '{"utf8.metric.name"}',
      '{"__name__"="quoted_name_label"}',
      'a{__name__="b"}',
      'info(rate(http_requests_total[5m]))',
      'rate(x[5m]',
    ])
      expect(namesRead(expr), expr).toBeUndefined();
  });
});

describe('inputNamesRead', () => {
  it('is the union of what alerting and recording rules select', () => {
    expect(
      sorted(inputNamesRead(ruleSet([{ expr: 'up == 0' }, { expr: 'job:x:rate5m > 1' }], ['rate(x[5m])']))),
    ).toEqual(['job:x:rate5m', 'up', 'x']);
  });

  it('is unbounded when one expression is, or an alert label template queries', () => {
    expect(inputNamesRead(ruleSet([{ expr: 'up == 0' }], ['sum({job="a"})']))).toBeUndefined();
    expect(
      inputNamesRead(
        ruleSet([{ expr: 'up == 0', labels: { owner: '{{ with query "owner_info" }}x{{ end }}' } }]),
      ),
    ).toBeUndefined();
    expect(
      sorted(inputNamesRead(ruleSet([{ expr: 'up == 0', labels: { summary: '{{ $labels.instance }}' } }]))),
    ).toEqual(['up']);
  });
});
