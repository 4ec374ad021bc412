import type { z } from 'zod';
import { UserError } from '../../generators/model/errors.js';
import { fieldPath, type YamlSource } from './source-map.js';

/** The issue of a failed schema validation to report, as `file:line:col: field: message`. */
export function schemaError(source: YamlSource, error: z.ZodError): UserError {
  // An unknown field first: it is the likely typo behind a required field reported missing beside it.
  const issue = error.issues.find((i) => i.code === 'unrecognized_keys') ?? error.issues[0]!;
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
