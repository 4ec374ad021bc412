import { loadSystemCatalogue, SystemCatalogue } from '../systems/system-catalogue.js';
import { bundledScenarioNames, resolveScenarioRef } from './scenario-catalogue.js';

/** What a command runs scenarios against: the systems, and the scenario files it replays. */
export interface ResolvedScenarios {
  catalogue: SystemCatalogue;
  files: string[];
}

/**
 * The systems (a loaded catalogue, or references added to the defaults) and the scenario files of the
 * references (bundled names or files; none: every bundled scenario), as replay and mutate take them.
 */
export async function resolveScenarios(
  refs: readonly string[],
  systems: SystemCatalogue | readonly string[] | undefined,
): Promise<ResolvedScenarios> {
  const catalogue = systems instanceof SystemCatalogue ? systems : await loadSystemCatalogue({ systems });
  const files = await Promise.all(
    (refs.length > 0 ? refs : await bundledScenarioNames()).map(resolveScenarioRef),
  );
  return { catalogue, files };
}
