import { existsSync } from 'node:fs';
import { readdir, stat } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { UserError, didYouMean } from '../../generators/user-error.js';
import { bundledScenariosDir } from '../paths.js';

/** Names of the bundled scenarios (file names without .yaml), sorted. */
export async function bundledScenarioNames(): Promise<string[]> {
  const entries = await readdir(bundledScenariosDir());
  return entries
    .filter((f) => f.endsWith('.yaml'))
    .map((f) => f.slice(0, -'.yaml'.length))
    .sort();
}

/** A scenario reference is a bundled scenario's name or a path to a YAML file. */
export async function resolveScenarioRef(ref: string): Promise<string> {
  if (ref.endsWith('.yaml') || ref.endsWith('.yml') || ref.includes('/')) {
    if (!existsSync(ref)) throw new UserError(`scenario file ${ref} does not exist`);
    return resolve(ref);
  }
  const names = await bundledScenarioNames();
  if (!names.includes(ref)) {
    throw new UserError(
      `no bundled scenario named "${ref}"${didYouMean(ref, names)}; \`sandbox replay --list\` shows them`,
    );
  }
  return join(bundledScenariosDir(), `${ref}.yaml`);
}

/** Scenario files from files and directories (every .yaml and .yml directly in one, sorted). */
export async function scenarioFilesIn(paths: readonly string[]): Promise<string[]> {
  const files: string[] = [];
  for (const path of paths) {
    if (!(await stat(path)).isDirectory()) {
      files.push(resolve(path));
      continue;
    }
    const names = (await readdir(path))
      .filter((f) => /\.ya?ml$/.test(f) && !/\.system\.ya?ml$/.test(f))
      .sort();
    files.push(...names.map((f) => resolve(path, f)));
  }
  return files;
}
