import { readUserFile } from '../../generators/model/user-file.js';
import { dirname } from 'node:path';
import type { SystemDefinition } from '../../generators/model/system.js';
import { YamlSource, fieldPath } from '../scenario/source-map.js';
import type { SystemCatalogue } from './system-catalogue.js';
import { resolveSystemRef, systemTarget } from './system-refs.js';

/**
 * Loads the systems a scenario file names in `systems:` (relative to the file). A file that cannot be
 * read or parsed gives none: loading the scenario itself reports that, with its position.
 */
export async function scenarioSystems(file: string): Promise<SystemDefinition[]> {
  const text = await readUserFile(file, 'scenario file').catch(() => undefined);
  const parsed = text === undefined ? undefined : YamlSource.parse(file, text);
  if (!parsed || 'error' in parsed) return [];
  const refs = (parsed.source.toJS() as { systems?: unknown } | null)?.systems;
  if (!Array.isArray(refs)) return [];
  const loaded = await Promise.all(
    refs.map((ref, i) => {
      if (typeof ref !== 'string' || ref === '') return [];
      const where = `${parsed.source.position(['systems', i])}: ${fieldPath(['systems', i])}: `;
      return resolveSystemRef(ref, dirname(file), where);
    }),
  );
  return loaded.flat();
}

/**
 * For a running sandbox, which cannot load systems any more: a scenario's `systems:` entry is a problem
 * unless the sandbox already simulates it.
 */
export function runningSystemProblem(
  catalogue: SystemCatalogue,
): (ref: string, scenarioFile: string) => string | undefined {
  return (ref, scenarioFile) => {
    const target = systemTarget(ref, dirname(scenarioFile));
    if (target.kind === 'missing') return target.message;
    const missing =
      target.kind === 'typescript'
        ? catalogue.find(target.name) === undefined
        : target.files.some((file) => catalogue.find(file) === undefined);
    if (!missing) return undefined;
    const given = target.kind === 'typescript' ? target.name : target.files.join(' --system ');
    return `the running sandbox does not simulate ${ref}; stop it and start it with \`sandbox start --system ${given}\``;
  };
}
