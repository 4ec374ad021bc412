import type { SyntaxNode } from '@lezer/common';
import { parser } from '@prometheus-io/lezer-promql';
import { parseDuration } from '../../generators/model/duration.js';

/** How far back before its evaluation time an expression reads samples. */
export interface Lookback {
  ms: number;
  /** The part of the expression that reaches furthest back, e.g. `rate(x[5m])[1h:5m]`. */
  text: string;
}

export type LookbackResult = Lookback | { error: string };

/** A duration that cannot be sized before the query runs (`step()`, `range()`). */
class UnsizedDuration extends Error {}

/** The node's children, in source order. */
function children(node: SyntaxNode): SyntaxNode[] {
  const out: SyntaxNode[] = [];
  for (let child = node.firstChild; child; child = child.nextSibling) out.push(child);
  return out;
}

/**
 * The value of a `DurationExpr` or `OffsetDurationExpr`, in seconds: Prometheus reads a bare number there as
 * seconds and does its duration arithmetic (`[5m * 2]`, `[1h - 5m]`) on seconds.
 */
function seconds(node: SyntaxNode, expr: string): number {
  const parts = children(node);
  const [first, second, third] = parts;
  if (parts.length === 1 && first!.name === 'NumberDurationLiteralInDurationContext') {
    const text = expr.slice(first!.from, first!.to).replace(/_/g, '');
    const ms = /[a-z]$/.test(text) ? parseDuration(text) : Number(text) * 1000;
    if (ms === undefined || Number.isNaN(ms)) throw new UnsizedDuration(text);
    return ms / 1000;
  }
  if (first!.name === 'DurationStep' || first!.name === 'DurationRange')
    throw new UnsizedDuration(expr.slice(node.from, node.to));
  if (parts.length === 1) return seconds(first!, expr);
  if (first!.name === 'UnaryOp') {
    const value = seconds(second!, expr);
    return expr.slice(first!.from, first!.to) === '-' ? -value : value;
  }
  if (first!.name === 'DurationMinOf' || first!.name === 'DurationMaxOf') {
    const [a, b] = parts.filter((p) => p.name === 'DurationExpr').map((p) => seconds(p, expr));
    return first!.name === 'DurationMinOf' ? Math.min(a!, b!) : Math.max(a!, b!);
  }
  // `( DurationExpr )`: the parentheses are anonymous tokens, so the one named child is the inner expression.
  if (!third) return seconds(first!, expr);
  const a = seconds(first!, expr);
  const b = seconds(third, expr);
  switch (second!.name) {
    case 'Add':
      return a + b;
    case 'Sub':
      return a - b;
    case 'Mul':
      return a * b;
    case 'Div':
      return a / b;
    case 'Mod':
      return a % b;
    case 'Pow':
      return a ** b;
  }
  throw new UnsizedDuration(expr.slice(node.from, node.to));
}

const durationMs = (node: SyntaxNode | null, expr: string) => (node ? seconds(node, expr) * 1000 : 0);

const longest = (a: Lookback | undefined, b: Lookback | undefined) =>
  b !== undefined && (a === undefined || b.ms > a.ms) ? b : a;

/**
 * The lookback of a node, or undefined when it reads no samples relative to the evaluation time: a literal,
 * or a part pinned to a fixed time (`x[1h] @ 1700000000` reads that hour whenever it is evaluated).
 */
function lookbackOf(node: SyntaxNode, expr: string): Lookback | undefined {
  const text = () => expr.slice(node.from, node.to);
  const inner = () =>
    children(node).reduce<Lookback | undefined>((l, c) => longest(l, lookbackOf(c, expr)), undefined);
  switch (node.name) {
    case 'VectorSelector':
      return { ms: 0, text: text() };
    case 'MatrixSelector':
    case 'SubqueryExpr': {
      // A subquery's range, then the lookback of the expression it evaluates at the range's oldest step.
      const reads = lookbackOf(node.firstChild!, expr);
      return reads && { ms: durationMs(node.getChild('DurationExpr'), expr) + reads.ms, text: text() };
    }
    case 'OffsetExpr': {
      const reads = lookbackOf(node.firstChild!, expr);
      // A negative offset reads after the evaluation time: no further back than the evaluation time itself.
      const ms = reads && Math.max(0, durationMs(node.getChild('OffsetDurationExpr'), expr) + reads.ms);
      return reads && { ms: ms!, text: text() };
    }
    case 'StepInvariantExpr':
      // `@ start()` and `@ end()` are the evaluation time in a rule; `@ <timestamp>` is a fixed time.
      return node.getChild('At')?.nextSibling?.name === 'NumberDurationLiteral'
        ? undefined
        : lookbackOf(node.firstChild!, expr);
    default:
      return inner();
  }
}

/**
 * The longest lookback of a rule's expression, from the PromQL grammar: a range selector's range plus its
 * offset, a subquery's range plus the lookback of what it evaluates (nested), an instant selector's offset.
 */
export function ruleLookback(expr: string): LookbackResult {
  const tree = parser.parse(expr);
  let error: string | undefined;
  tree.iterate({
    enter: (node) => {
      if (node.type.isError && error === undefined) error = `cannot parse PromQL at offset ${node.from}`;
    },
  });
  if (error) return { error };
  try {
    return lookbackOf(tree.topNode, expr) ?? { ms: 0, text: '' };
  } catch (e) {
    if (!(e instanceof UnsizedDuration)) throw e;
    return { error: `the duration ${e.message} cannot be sized before the query runs` };
  }
}
