import { existsSync } from 'node:fs';
import { readUserFile } from '../../generators/model/user-file.js';
import { dirname, resolve } from 'node:path';
import { z } from 'zod';
import { UserError } from '../../generators/user-error.js';
import { schemaError } from '../../generators/model/schema-error.js';
import { YamlSource, fieldPath } from '../scenario/source-map.js';
import { projectFilePath } from './project-file-path.js';

const paths = (what: string) => z.array(z.string().min(1)).describe(`${what}, relative to this file`);

export const projectSchema = z
  .strictObject({
    systems: paths('bundled system names, system files or directories of them')
      .optional()
      .describe(
        'the systems to simulate, instead of the default vaultmesh and zkp: bundled names, or system files or directories of them (relative to this file)',
      ),
    rules: paths('rule files or directories').optional(),
    bundled_rules: z
      .boolean()
      .optional()
      .describe('false leaves out the rules that come with the systems (like --no-bundled-rules)'),
    dashboards: z
      .string()
      .min(1)
      .optional()
      .describe('a directory of Grafana dashboards (like --dashboards)'),
    alertmanager_config: z
      .string()
      .min(1)
      .optional()
      .describe(
        'your Alertmanager configuration (like --alertmanager-config): its routing, with the sandbox webhook as every receiver',
      ),
    scenarios: paths('scenario files or directories of them')
      .optional()
      .describe(
        'what `sandbox replay` runs with no argument, and what `check` counts besides the bundled ones',
      ),
    seed: z
      .union([z.number().int(), z.string()])
      .optional()
      .describe('random seed of `generate` and `start`'),
    alerts: z
      .record(z.string(), z.string().min(1))
      .optional()
      .describe(
        'alert name → the rule file (relative to this file) that defines the alert scenarios mean, when several loaded files define that name',
      ),
  })
  .describe('An obs-sandbox project: the systems it simulates, its rules, dashboards and scenarios.');

/** A system reference from the project file, with where it was written (for errors). */
export interface ProjectSystemRef {
  ref: string;
  /** `obs-sandbox.yaml:3:5: systems[0]: `. */
  where: string;
}

/** A loaded project file; paths are absolute (resolved against the file's directory). */
export interface ProjectFile {
  file: string;
  dir: string;
  systems?: ProjectSystemRef[];
  rules: string[];
  bundledRules?: boolean;
  dashboards?: string;
  alertmanagerConfig?: string;
  scenarios: string[];
  seed?: number | string;
  /** Alert name → the absolute path of the rule file scenarios mean by it. */
  alerts: Record<string, string>;
}

/** The JSON Schema published for editors (schemas/project.schema.json). */
export function projectJsonSchema(): object {
  return z.toJSONSchema(projectSchema, { io: 'input' });
}

/** Reads and validates a project file; errors are `file:line:col: field: message`. */
export function parseProjectFile(file: string, text: string): ProjectFile {
  const parsed = YamlSource.parse(file, text);
  if ('error' in parsed) throw new UserError(parsed.error);
  const { source } = parsed;
  const result = projectSchema.safeParse(source.toJS() ?? {});
  if (!result.success) throw schemaError(source, result.error);
  const project = result.data;
  const dir = dirname(resolve(file));
  const at = (path: PropertyKey[]) => `${source.position(path)}: ${fieldPath(path)}: `;
  const existing = (path: PropertyKey[], relative: string) => {
    const absolute = resolve(dir, relative);
    if (!existsSync(absolute)) throw new UserError(`${at(path)}${relative} does not exist (in ${dir})`);
    return absolute;
  };
  return {
    file,
    dir,
    systems: project.systems?.map((ref, i) => ({ ref, where: at(['systems', i]) })),
    rules: (project.rules ?? []).map((p, i) => existing(['rules', i], p)),
    bundledRules: project.bundled_rules,
    dashboards: project.dashboards && existing(['dashboards'], project.dashboards),
    alertmanagerConfig:
      project.alertmanager_config && existing(['alertmanager_config'], project.alertmanager_config),
    scenarios: (project.scenarios ?? []).map((p, i) => existing(['scenarios', i], p)),
    seed: project.seed,
    alerts: Object.fromEntries(
      Object.entries(project.alerts ?? {}).map(([alert, p]) => [alert, existing(['alerts', alert], p)]),
    ),
  };
}

/**
 * The project file: `--config FILE` (which must exist), else `obs-sandbox.yaml` in `cwd` when there is one.
 */
export async function loadProjectFile(
  config: string | undefined,
  cwd = process.cwd(),
): Promise<ProjectFile | undefined> {
  const file = projectFilePath(config, cwd);
  if (file === undefined) return undefined;
  const text = await readUserFile(file, 'project file', 'check the path given to --config');
  return parseProjectFile(file, text);
}
