import { describe, expect, it } from 'vitest';
import { ExpressionError, parseExpression } from '../../../generators/declared/expression.js';

const evaluate = (text: string, vars: Record<string, number> = {}, names: Record<string, number> = {}) =>
  parseExpression(text, true).evaluate(
    (n) => vars[n] ?? NaN,
    (n) => names[n] ?? NaN,
  );

describe('parseExpression', () => {
  it('computes with the usual precedence, parentheses, unary minus and min/max', () => {
    expect(evaluate('1 + 2 * 3')).toBe(7);
    expect(evaluate('(1 + 2) * 3')).toBe(9);
    expect(evaluate('10 / 4 - 1')).toBe(1.5);
    expect(evaluate('-2 * -3')).toBe(6);
    expect(evaluate('min(3, max(1, 2)) + 1e2')).toBe(102);
    expect(evaluate('.5 + 0.25')).toBe(0.75);
  });

  it('reads $variables and bare names, and lists them', () => {
    const e = parseExpression('$ratio * in_use / pool_max', true);
    expect([...e.variables]).toEqual(['ratio']);
    expect([...e.names]).toEqual(['in_use', 'pool_max']);
    expect(e.constant).toBeUndefined();
    expect(evaluate('$ratio * in_use / pool_max', { ratio: 2 }, { in_use: 3, pool_max: 4 })).toBe(1.5);
  });

  it('folds an expression without references into a constant', () => {
    expect(parseExpression('1 - 0.25').constant).toBe(0.75);
  });

  it.each([
    ['', /empty/],
    ['1 +', /ends too early/],
    ['(1 + 2', /expected "\)"/],
    ['1 2', /unexpected "2"/],
    ['2 ^ 3', /unexpected "\^"/],
    ['rate * 2', /written \$rate/],
  ])('rejects %j', (text, message) => {
    expect(() => parseExpression(text)).toThrow(ExpressionError);
    expect(() => parseExpression(text)).toThrow(message);
  });
});
