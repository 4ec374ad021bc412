import { ExpressionError, parseExpression, type Expression } from './expression.js';
import { fail, mustBeOneOf } from './problem.js';

/** A numeric value of the file: a constant, or an expression over knobs and fault parameters. */
export type NumberSource = (vars: (name: string) => number) => number;

/** The `$names` an expression may use at one place of the file. */
export interface Scope {
  readonly names: readonly string[];
  /** What the names are, for the error: "knob", or "knob or parameter". */
  readonly description: string;
}

const noNames = () => NaN;

/** Compiles a number or an expression, checking its `$names` against the scope. */
export function numberSource(
  path: readonly PropertyKey[],
  input: number | string,
  scope: Scope,
  allowNames = false,
): { source: NumberSource; expression: Expression | undefined } {
  if (typeof input === 'number') {
    if (!Number.isFinite(input)) fail(path, 'must be a finite number');
    return { source: () => input, expression: undefined };
  }
  let expression: Expression;
  try {
    expression = parseExpression(input, allowNames);
  } catch (error) {
    if (error instanceof ExpressionError) fail(path, error.message);
    throw error;
  }
  for (const name of expression.variables) {
    mustBeOneOf(path, name, scope.names, scope.description);
  }
  if (expression.constant !== undefined) {
    const value = expression.constant;
    if (!Number.isFinite(value)) fail(path, `"${input}" is not a finite number`);
    return { source: () => value, expression };
  }
  const evaluate = expression.evaluate;
  return { source: (vars) => evaluate(vars, noNames), expression };
}

/** Just the source of `numberSource`. */
export function compileNumber(
  path: readonly PropertyKey[],
  input: number | string,
  scope: Scope,
): NumberSource {
  return numberSource(path, input, scope).source;
}
