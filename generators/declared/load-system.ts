import { existsSync } from 'node:fs';
import { UserError } from '../user-error.js';
import { readUserFile } from '../model/user-file.js';
import type { SystemDefinition } from '../model/system.js';
import { YamlSource, fieldPath } from '../model/yaml-source.js';
import { compileSystem } from './compile.js';
import { SystemFileProblem } from './problem.js';
import { schemaError } from '../model/schema-error.js';
import { systemFileSchema } from './system-schema.js';

/**
 * Reads, validates and compiles one system file (YAML) into a SystemDefinition. Errors are UserErrors of
 * the form `file:line:column: path.to.field: what is wrong (did you mean …?)`.
 */
export async function loadSystem(file: string): Promise<SystemDefinition> {
  const text = await readUserFile(file, 'system file');
  const system = parseSystem(file, text);
  const listed = (key: 'rules' | 'dashboards', files: readonly string[] | undefined) =>
    (files ?? []).forEach((path, i) => {
      if (existsSync(path)) return;
      const source = YamlSource.parse(file, text) as { source: YamlSource };
      throw new UserError(
        `${source.source.position([key, i])}: ${key}[${i}]: ${path} does not exist; paths are relative to the system file`,
      );
    });
  listed('rules', system.ruleFiles);
  listed('dashboards', system.dashboardFiles);
  return system;
}

/** Validates and compiles the text of a system file. */
export function parseSystem(file: string, text: string): SystemDefinition {
  if (text.includes('\u0000')) throw new UserError(`${file}: contains NUL bytes; a system file is YAML text`);
  const parsed = YamlSource.parse(file, text);
  if ('error' in parsed) throw new UserError(parsed.error);
  const { source } = parsed;
  const result = systemFileSchema.safeParse(source.toJS() ?? {});
  if (!result.success) throw schemaError(source, result.error);
  try {
    return compileSystem(result.data, file, (path) => source.position(path));
  } catch (error) {
    if (!(error instanceof SystemFileProblem)) throw error;
    const where = source.position(error.path);
    const field = error.path.length > 0 ? `${fieldPath(error.path)}: ` : '';
    throw new UserError(`${where}: ${field}${error.message}`);
  }
}
