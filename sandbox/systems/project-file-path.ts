import { existsSync } from 'node:fs';
import { join } from 'node:path';

/** The project file a command reads from its working directory when no `--config` names one. */
export const PROJECT_FILE = 'obs-sandbox.yaml';

/**
 * The project file a command reads: `--config FILE` (which must exist), else `obs-sandbox.yaml` in `cwd` when
 * there is one. Apart from the parser, so that a command run without a project file loads neither zod nor yaml.
 */
export function projectFilePath(config: string | undefined, cwd = process.cwd()): string | undefined {
  const file = config ?? join(cwd, PROJECT_FILE);
  return config || existsSync(file) ? file : undefined;
}
