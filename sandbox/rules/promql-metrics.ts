import { parser } from '@prometheus-io/lezer-promql';

/** Series Prometheus itself creates: scrape health and the rule engine's alert state. */
const BUILT_IN = new Set([
  'up',
  'scrape_duration_seconds',
  'scrape_samples_scraped',
  'ALERTS',
  'ALERTS_FOR_STATE',
]);

export interface ParsedExpr {
  metrics: string[];
  /** Set when the expression does not parse. */
  error?: string;
}

/** Metric names an expression selects (`foo`, `foo{a="b"}`, `{__name__="foo"}`), from the real PromQL grammar. */
export function metricsInExpr(expr: string): ParsedExpr {
  const tree = parser.parse(expr);
  const names = new Set<string>();
  let error: string | undefined;
  tree.iterate({
    enter: (node) => {
      if (node.type.isError && error === undefined) error = `cannot parse PromQL at offset ${node.from}`;
      if (node.name !== 'VectorSelector') return;
      const identifier = node.node.getChild('Identifier');
      if (identifier) {
        names.add(expr.slice(identifier.from, identifier.to));
        return false;
      }
      const text = expr.slice(node.from, node.to);
      const byName = /__name__\s*=\s*"([^"]+)"/.exec(text);
      if (byName) names.add(byName[1]!);
      return false;
    },
  });
  return { metrics: [...names].sort(), error };
}

/** Whether a selected name is a series of a produced metric (histograms add _bucket, _sum and _count). */
export function isProduced(name: string, produced: ReadonlySet<string>): boolean {
  if (BUILT_IN.has(name) || produced.has(name)) return true;
  const base = /^(.*)_(bucket|sum|count)$/.exec(name)?.[1];
  return base !== undefined && produced.has(base);
}
