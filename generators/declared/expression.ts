/**
 * The small arithmetic language of system files: numbers, `$name` (knobs and fault parameters), bare names
 * (other metrics, in derived gauges), `+ - * /`, parentheses and `min`/`max`. Compiled once to a closure.
 */

export type Lookup = (name: string) => number;
export type Compiled = (vars: Lookup, names: Lookup) => number;

export interface Expression {
  evaluate: Compiled;
  /** `$name` references, without the `$`. */
  variables: ReadonlySet<string>;
  /** Bare names (metric references). */
  names: ReadonlySet<string>;
  /** The value when the expression references nothing. */
  constant?: number;
}

export class ExpressionError extends Error {}

type Token =
  { kind: 'number'; value: number } | { kind: 'var' | 'name'; value: string } | { kind: 'op'; value: string };

const TOKEN =
  /\s*(?:(\d+(?:\.\d*)?(?:e[+-]?\d+)?|\.\d+(?:e[+-]?\d+)?)|\$([a-z][a-z0-9_]*)|([a-zA-Z_:][a-zA-Z0-9_:]*)|([-+*/(),]))/iy;

function tokenize(text: string): Token[] {
  const tokens: Token[] = [];
  TOKEN.lastIndex = 0;
  while (TOKEN.lastIndex < text.length) {
    if (/^\s*$/.test(text.slice(TOKEN.lastIndex))) break;
    const at = TOKEN.lastIndex;
    const match = TOKEN.exec(text);
    if (!match) throw new ExpressionError(`unexpected "${text.slice(at).trim()[0]}" in "${text}"`);
    if (match[1] !== undefined) tokens.push({ kind: 'number', value: Number(match[1]) });
    else if (match[2] !== undefined) tokens.push({ kind: 'var', value: match[2] });
    else if (match[3] !== undefined) tokens.push({ kind: 'name', value: match[3] });
    else tokens.push({ kind: 'op', value: match[4]! });
  }
  return tokens;
}

/** Parses an expression; `allowNames` permits bare metric names. */
export function parseExpression(text: string, allowNames = false): Expression {
  const tokens = tokenize(text);
  const variables = new Set<string>();
  const names = new Set<string>();
  let pos = 0;
  const peek = () => tokens[pos];
  const isOp = (value: string) => {
    const t = peek();
    return t?.kind === 'op' && t.value === value;
  };
  const expect = (value: string) => {
    if (!isOp(value)) throw new ExpressionError(`expected "${value}" in "${text}"`);
    pos++;
  };

  const primary = (): Compiled => {
    const t = tokens[pos++];
    if (!t) throw new ExpressionError(`"${text}" ends too early`);
    if (t.kind === 'number') {
      const value = t.value;
      return () => value;
    }
    if (t.kind === 'var') {
      const name = t.value;
      variables.add(name);
      return (vars) => vars(name);
    }
    if (t.kind === 'name') {
      if ((t.value === 'min' || t.value === 'max') && isOp('(')) {
        pos++;
        const a = sum();
        expect(',');
        const b = sum();
        expect(')');
        const fn = t.value === 'min' ? Math.min : Math.max;
        return (v, n) => fn(a(v, n), b(v, n));
      }
      if (!allowNames) {
        throw new ExpressionError(
          `"${t.value}" is not allowed here; knobs and parameters are written $${t.value}`,
        );
      }
      const name = t.value;
      names.add(name);
      return (_vars, lookup) => lookup(name);
    }
    if (t.value === '(') {
      const inner = sum();
      expect(')');
      return inner;
    }
    if (t.value === '-') {
      const operand = primary();
      return (v, n) => -operand(v, n);
    }
    throw new ExpressionError(`unexpected "${t.value}" in "${text}"`);
  };

  const product = (): Compiled => {
    let left = primary();
    while (isOp('*') || isOp('/')) {
      const op = (tokens[pos++] as { value: string }).value;
      const a = left;
      const b = primary();
      left = op === '*' ? (v, n) => a(v, n) * b(v, n) : (v, n) => a(v, n) / b(v, n);
    }
    return left;
  };

  const sum = (): Compiled => {
    let left = product();
    while (isOp('+') || isOp('-')) {
      const op = (tokens[pos++] as { value: string }).value;
      const a = left;
      const b = product();
      left = op === '+' ? (v, n) => a(v, n) + b(v, n) : (v, n) => a(v, n) - b(v, n);
    }
    return left;
  };

  if (tokens.length === 0) throw new ExpressionError('the expression is empty');
  const evaluate = sum();
  if (pos < tokens.length)
    throw new ExpressionError(`unexpected "${String(tokens[pos]!.value)}" in "${text}"`);
  const none: Lookup = () => NaN;
  const constant = variables.size === 0 && names.size === 0 ? evaluate(none, none) : undefined;
  return { evaluate, variables, names, constant };
}
