import { delimiter, dirname, join, resolve } from 'node:path';

import { isExecutable } from './cache.js';
import { BinaryUnavailableError, reasonOf } from './binary-errors.js';
import { findBinary, type BinaryOptions } from './resolve.js';
import { probeVersion } from './version.js';

export const AMTOOL_PATH_VAR = 'OBS_SANDBOX_AMTOOL_PATH';

export interface ResolvedAmtool {
  path: string;
  version: string;
}

/**
 * amtool ships with Alertmanager (its release archive and Debian's package), so it is looked up like the
 * other binaries (configured path, PATH) and then beside the Alertmanager that `sandbox install` provisioned.
 * Nothing is provisioned here.
 */
export async function findAmtool(options: BinaryOptions = {}): Promise<ResolvedAmtool> {
  const env = options.env ?? process.env;
  const configured = options.path ?? env[AMTOOL_PATH_VAR];
  if (configured) {
    const path = resolve(configured);
    try {
      return { path, version: await probeVersion(path) };
    } catch (error) {
      throw new BinaryUnavailableError(
        `amtool set by ${options.path ? 'the path option' : AMTOOL_PATH_VAR} to ${path} does not run (${reasonOf(error)}); fix the path or unset ${AMTOOL_PATH_VAR}`,
      );
    }
  }
  const candidates = (env.PATH ?? '')
    .split(delimiter)
    .filter(Boolean)
    .map((dir) => join(dir, 'amtool'));
  const alertmanager = await findBinary('alertmanager', { ...options, path: undefined }).catch(
    () => undefined,
  );
  if (alertmanager) candidates.push(join(dirname(alertmanager.path), 'amtool'));
  for (const path of candidates) {
    if (!(await isExecutable(path))) continue;
    const version = await probeVersion(path).catch(() => undefined);
    if (version !== undefined) return { path, version };
  }
  throw new BinaryUnavailableError(
    `amtool not found: run \`sandbox install alertmanager\` (amtool ships with it), or set ${AMTOOL_PATH_VAR}=/path/to/amtool`,
  );
}
