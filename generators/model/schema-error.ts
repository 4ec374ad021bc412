import type { z } from 'zod';
import { UserError } from '../user-error.js';
import { fieldPath, type YamlSource } from './yaml-source.js';

/** The issue of a failed schema validation to report, as `file:line:col: field: message`. */
export function schemaError(source: YamlSource, error: z.ZodError): UserError {
  const issue = deepest(error.issues);
  const path = issue.path as PropertyKey[];
  if (issue.code === 'unrecognized_keys') {
    const key = issue.keys[0]!;
    return new UserError(
      `${source.keyPosition(path, key)}: ${fieldPath([...path, key])}: unknown field; remove it or check its spelling`,
    );
  }
  const field = path.length > 0 ? `${fieldPath(path)}: ` : '';
  const message =
    issue.code === 'invalid_type' && issue.message.includes('received undefined')
      ? 'is required'
      : issue.message;
  return new UserError(`${source.position(path)}: ${field}${message}`);
}

/**
 * The issue to report: an unknown field first (the likely typo), else the most specific one. For a union,
 * zod reports "invalid input" at the union; the branch that got furthest says what is really wrong.
 */
function deepest(issues: readonly z.core.$ZodIssue[]): z.core.$ZodIssue {
  const flat = flatten(issues);
  return (
    flat.find((i) => i.code === 'unrecognized_keys') ??
    flat.reduce((a, b) => (b.path.length > a.path.length ? b : a))
  );
}

function flatten(issues: readonly z.core.$ZodIssue[]): z.core.$ZodIssue[] {
  return issues.flatMap((issue) => {
    // A union with a message of its own (the schema's words) says it best; zod's default does not.
    if (issue.code !== 'invalid_union' || issue.errors.length === 0 || issue.message !== 'Invalid input') {
      return [issue];
    }
    const branches = issue.errors.map((branch) =>
      flatten(branch.map((i) => ({ ...i, path: [...issue.path, ...i.path] }))),
    );
    const depth = (list: z.core.$ZodIssue[]) => Math.max(...list.map((i) => i.path.length));
    return branches.reduce((a, b) => (depth(b) > depth(a) ? b : a));
  });
}
