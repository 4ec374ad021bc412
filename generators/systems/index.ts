import type { SystemDefinition } from '../model/system.js';
import { platform } from './platform.js';
import { vaultmesh } from './vaultmesh/index.js';
import { zkp } from './zkp/index.js';

/** The systems written in TypeScript, by name. */
export const TYPESCRIPT_SYSTEMS: Readonly<Record<string, SystemDefinition>> = { vaultmesh, zkp };

/** The systems the sandbox simulates by default, plus the platform faults that span them. */
export function defaultSystems(): SystemDefinition[] {
  const systems = [vaultmesh, zkp];
  return [...systems, platform(systems)];
}

/** Scrape jobs of the given systems, in a stable order. */
export function jobsOf(systems: readonly SystemDefinition[]): string[] {
  return systems.flatMap((s) => Object.values(s.jobs));
}

/** Rule files that come with the given systems, in order, without repeats. */
export function ruleFilesOf(systems: readonly SystemDefinition[]): string[] {
  return [...new Set(systems.flatMap((s) => s.ruleFiles ?? []))];
}
