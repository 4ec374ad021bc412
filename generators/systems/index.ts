import type { SystemDefinition } from '../model/system.js';
import { platform } from './platform.js';
import { vaultmesh } from './vaultmesh/index.js';
import { zkp } from './zkp/index.js';

/** The systems the sandbox simulates by default, plus the platform faults that span them. */
export function defaultSystems(): SystemDefinition[] {
  const systems = [vaultmesh, zkp];
  return [...systems, platform(systems)];
}

/** Scrape jobs of the given systems, in a stable order. */
export function jobsOf(systems: readonly SystemDefinition[]): string[] {
  return systems.flatMap((s) => Object.values(s.jobs));
}
