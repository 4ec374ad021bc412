import { parser } from '@prometheus-io/lezer-promql';
import type { RuleSet } from './rule-set.js';

/**
 * A Go template action calling `query` (`{{ query "…" }}`, `{{ "…" | query }}`): an alert's label template
 * that queries can read any series, other files' alerts and recorded series among them.
 */
export const QUERYING_TEMPLATE = /\{\{(?:(?!\}\}).)*\bquery\b/s;

type SyntaxNode = ReturnType<typeof parser.parse>['topNode'];

/** The one metric name a selector names literally (`foo{…}` or `{__name__="foo", …}`), else undefined. */
function literalName(selector: SyntaxNode, expr: string): string | undefined {
  const text = (n: SyntaxNode) => expr.slice(n.from, n.to);
  const names: string[] = [];
  const identifier = selector.getChild('Identifier');
  if (identifier) names.push(text(identifier));
  for (const matcher of selector.getChild('LabelMatchers')?.getChildren('UnquotedLabelMatcher') ?? []) {
    if (text(matcher.getChild('LabelName')!) !== '__name__') continue;
    const value = matcher.getChild('StringLiteral');
    if (text(matcher.getChild('MatchOp')!) !== '=' || !value || !text(value).startsWith('"'))
      return undefined;
    try {
      names.push(JSON.parse(text(value)) as string);
    } catch {
      return undefined;
    }
  }
  // Quoted names (`{"foo"}`, `{"__name__"=…}`) are not read here: such a selector counts as unnamed.
  const quoted = selector.getChild('LabelMatchers')?.getChildren('QuotedLabelName') ?? [];
  const quotedMatchers = selector.getChild('LabelMatchers')?.getChildren('QuotedLabelMatcher') ?? [];
  if (quoted.length > 0 || quotedMatchers.some((m) => text(m).includes('__name__'))) return undefined;
  return names.length === 1 ? names[0] : undefined;
}

/**
 * The metric names an expression's series can have: every selector's literal name. Undefined when it could
 * read a series of any name: a selector without one literal name, a call of `info()` (which reads
 * `target_info` without naming it), or an expression that does not parse.
 */
export function namesRead(expr: string): Set<string> | undefined {
  const names = new Set<string>();
  let bounded = true;
  parser.parse(expr).iterate({
    enter: (node) => {
      if (!bounded) return false;
      if (node.type.isError) bounded = false;
      if (node.name === 'FunctionCall') {
        const identifier = node.node.getChild('FunctionIdentifier');
        if (identifier && expr.slice(identifier.from, identifier.to) === 'info') bounded = false;
        return undefined;
      }
      if (node.name !== 'VectorSelector') return undefined;
      const name = literalName(node.node, expr);
      if (name === undefined) bounded = false;
      else names.add(name);
      return false;
    },
  });
  return bounded ? names : undefined;
}

/**
 * The names of the input series the rules can read (their expressions' selectors), or undefined when they may
 * read any: an expression with an unnamed selector, or an alert whose label template queries. A series of any
 * other name changes no evaluation, so promtool need not be given it.
 */
export function inputNamesRead(rules: RuleSet): ReadonlySet<string> | undefined {
  if (
    rules.alerts.some((a) => Object.values(a.labels).some((value) => QUERYING_TEMPLATE.test(String(value))))
  )
    return undefined;
  const all = new Set<string>();
  for (const { expr } of [...rules.alerts, ...rules.records]) {
    const names = namesRead(expr);
    if (!names) return undefined;
    for (const name of names) all.add(name);
  }
  return all;
}
