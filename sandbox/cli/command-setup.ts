import type { Command } from 'commander';
import type { ProjectFile } from '../systems/project-file.js';
import type { SystemCatalogue } from '../systems/system-catalogue.js';
import { projectFilePath } from '../systems/project-file-path.js';
import { collect } from './options.js';

/** Adds the repeatable `--system` option. */
export function withSystemOption(command: Command): Command {
  return command.option(
    '--system <ref>',
    'also simulate this system: a system file, a directory of them, or a bundled name (repeatable)',
    collect,
    [],
  );
}

/** What every command that simulates something starts from: the project file, and the systems it loads. */
export interface CommandSetup {
  project?: ProjectFile;
  catalogue: SystemCatalogue;
}

/**
 * Reads the project file (`--config`, or ./obs-sandbox.yaml) and loads the systems, `--system` included.
 * The systems' modules load here, when a command runs, not for its --help; the project file's parser (zod,
 * yaml) only when there is a project file.
 */
export async function commandSetup(command: Command): Promise<CommandSetup> {
  const { config, system } = command.optsWithGlobals<{ config?: string; system?: string[] }>();
  const [project, { loadSystemCatalogue }] = await Promise.all([
    projectFilePath(config) === undefined
      ? undefined
      : import('../systems/project-file.js').then(({ loadProjectFile }) => loadProjectFile(config)),
    import('../systems/system-catalogue.js'),
  ]);
  return { project, catalogue: await loadSystemCatalogue({ project, systems: system }) };
}

/** `--seed` when given, else the project file's `seed:`, else the option's default. */
export function seedOf(command: Command, project: ProjectFile | undefined): number | string {
  const given = command.getOptionValueSource('seed') === 'cli';
  return given || project?.seed === undefined ? command.opts<{ seed: number | string }>().seed : project.seed;
}
