import type { Command } from 'commander';
import type { ProjectFile } from '../systems/project-file.js';
import type { SystemCatalogue } from '../systems/system-catalogue.js';
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
 * The systems' modules (the model, zod, faker) load here, when a command runs, not for its --help.
 */
export async function commandSetup(command: Command): Promise<CommandSetup> {
  const { config, system } = command.optsWithGlobals<{ config?: string; system?: string[] }>();
  const [{ loadProjectFile }, { loadSystemCatalogue }] = await Promise.all([
    import('../systems/project-file.js'),
    import('../systems/system-catalogue.js'),
  ]);
  const project = await loadProjectFile(config);
  return { project, catalogue: await loadSystemCatalogue({ project, systems: system }) };
}

/** `--seed` when given, else the project file's `seed:`, else the option's default. */
export function seedOf(command: Command, project: ProjectFile | undefined): number | string {
  const given = command.getOptionValueSource('seed') === 'cli';
  return given || project?.seed === undefined ? command.opts<{ seed: number | string }>().seed : project.seed;
}
