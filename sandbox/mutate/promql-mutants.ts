import type { SyntaxNode } from '@lezer/common';
import { parser } from '@prometheus-io/lezer-promql';
import { formatDuration, parseDuration } from '../../generators/model/duration.js';

/** What a mutation operator changed, e.g. `threshold ×2` or `matcher job="x" removed`. */
export interface ExprMutant {
  operator: 'threshold' | 'comparison' | 'matcher' | 'range' | 'grouping';
  description: string;
  expr: string;
}

interface Edit {
  from: number;
  to: number;
  insert: string;
}

const FLIPPED: Record<string, string> = { Gtr: '<', Lss: '>', Gte: '<=', Lte: '>=', Eql: '!=', Neq: '==' };
const ARITHMETIC = new Set(['Mul', 'Div']);

/** The node's children, in source order. */
function children(node: SyntaxNode): SyntaxNode[] {
  const out: SyntaxNode[] = [];
  for (let child = node.firstChild; child; child = child.nextSibling) out.push(child);
  return out;
}

/** The operator token of a binary expression (the child between its two operands). */
function operatorOf(node: SyntaxNode): SyntaxNode | undefined {
  const [, op] = children(node);
  return op;
}

/** Keeps the literal readable: 0.1 × 0.5 is 0.05, not 0.05000000000000001. */
const scaled = (value: number, factor: number) => String(Number((value * factor).toPrecision(12)));

/**
 * The numbers an alert's comparison is made against: a literal operand of a comparison, or a literal factor
 * of a product or quotient that is an operand (`> 2 * stddev_over_time(…)`).
 */
function comparedNumbers(comparison: SyntaxNode): SyntaxNode[] {
  const operands = children(comparison).filter(
    (c) => c !== operatorOf(comparison) && c.name !== 'BoolModifier',
  );
  return operands.flatMap((operand) => {
    if (operand.name === 'NumberDurationLiteral') return [operand];
    if (operand.name === 'BinaryExpr' && ARITHMETIC.has(operatorOf(operand)?.name ?? '')) {
      return children(operand).filter((c) => c.name === 'NumberDurationLiteral');
    }
    return [];
  });
}

/** The range of a matrix selector or subquery, when it is a plain duration literal. */
function rangeOf(node: SyntaxNode): SyntaxNode | undefined {
  const duration = node.getChild('DurationExpr');
  const literal = duration?.firstChild;
  if (
    !duration ||
    !literal ||
    literal.nextSibling ||
    literal.name !== 'NumberDurationLiteralInDurationContext'
  )
    return undefined;
  return duration;
}

/** Removing one label matcher together with the comma that separates it from a neighbour. */
function matcherRemoval(matcher: SyntaxNode): Edit {
  const next = matcher.nextSibling;
  const previous = matcher.prevSibling;
  if (next) return { from: matcher.from, to: next.from, insert: '' };
  if (previous) return { from: previous.to, to: matcher.to, insert: '' };
  return { from: matcher.from, to: matcher.to, insert: '' };
}

/** Dropping `by (…)`/`without (…)` and the space that set it apart. */
function groupingRemoval(expr: string, modifier: SyntaxNode): Edit {
  let { from, to } = modifier;
  while (expr[to] === ' ') to++;
  if (to === modifier.to) while (from > 0 && expr[from - 1] === ' ') from--;
  return { from, to, insert: '' };
}

/** Whether the expression parses without an error node. */
export function parsesCleanly(expr: string): boolean {
  let clean = true;
  parser.parse(expr).iterate({
    enter: (node) => {
      if (node.type.isError) clean = false;
      return clean;
    },
  });
  return clean;
}

/**
 * The mutants of a PromQL expression, found on its syntax tree (lezer-promql) and written by rewriting the
 * source range of one node, so the rest of the expression stays byte for byte as the user wrote it.
 */
export function exprMutants(expr: string): ExprMutant[] {
  const mutants: ExprMutant[] = [];
  const add = (operator: ExprMutant['operator'], description: string, edit: Edit) => {
    const text = expr.slice(0, edit.from) + edit.insert + expr.slice(edit.to);
    if (text !== expr && !mutants.some((m) => m.expr === text))
      mutants.push({ operator, description, expr: text });
  };
  parser.parse(expr).iterate({
    enter: (ref) => {
      const node = ref.node;
      const source = expr.slice(node.from, node.to);
      if (node.name === 'BinaryExpr') {
        const op = operatorOf(node);
        const flipped = op && FLIPPED[op.name];
        if (!op || !flipped) return;
        const opText = expr.slice(op.from, op.to);
        add('comparison', `comparison ${opText} flipped to ${flipped}`, {
          from: op.from,
          to: op.to,
          insert: flipped,
        });
        for (const number of comparedNumbers(node)) {
          const text = expr.slice(number.from, number.to);
          const value = Number(text);
          if (!Number.isFinite(value) || value === 0) continue;
          for (const factor of [2, 0.5]) {
            const insert = scaled(value, factor);
            add('threshold', `threshold ${text} ×${factor} = ${insert}`, {
              from: number.from,
              to: number.to,
              insert,
            });
          }
        }
      } else if (node.name === 'MatrixSelector' || node.name === 'SubqueryExpr') {
        const range = rangeOf(node);
        const ms = range && parseDuration(expr.slice(range.from, range.to));
        if (!range || !ms) return;
        const text = expr.slice(range.from, range.to);
        for (const factor of [0.5, 2]) {
          const insert = formatDuration(Math.max(1000, Math.round((ms * factor) / 1000) * 1000));
          add('range', `range [${text}] ×${factor} = [${insert}]`, {
            from: range.from,
            to: range.to,
            insert,
          });
        }
      } else if (node.name === 'LabelMatchers') {
        const matchers = children(node);
        const named = node.prevSibling?.name === 'Identifier';
        for (const matcher of matchers) {
          if (matchers.length === 1 && named) {
            add('matcher', `matcher ${source.slice(1, -1)} removed`, {
              from: node.from,
              to: node.to,
              insert: '',
            });
            continue;
          }
          add('matcher', `matcher ${expr.slice(matcher.from, matcher.to)} removed`, matcherRemoval(matcher));
        }
      } else if (node.name === 'AggregateModifier') {
        add('grouping', `${source} dropped`, groupingRemoval(expr, node));
      }
    },
  });
  return mutants;
}
