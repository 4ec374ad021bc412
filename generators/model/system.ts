import type { MetricDefinition } from './catalogue.js';
import type { ParamSpec } from './faults/definition.js';
import type { FaultDefinition } from './faults/definition.js';
import type { ModelContext } from './context.js';

/** One simulated service; it owns the series of one job (or part of one). */
export interface ServiceModel {
  /** Called once at the simulation's start time: create series, schedule recurring events. */
  start(time: number): void;
  /** Called once per tick with the tick's end time and length. */
  tick(time: number, dtMs: number): void;
}

/**
 * A simulated system (VaultMesh, the ZKP pipeline, later user-declared ones): its jobs, metrics, faults,
 * traffic knobs and the services that produce them.
 */
export interface SystemDefinition {
  name: string;
  /** Scrape jobs by short service name (`portal` → `vaultmesh-portal`). */
  jobs: Readonly<Record<string, string>>;
  metrics: readonly MetricDefinition[];
  faults: readonly FaultDefinition[];
  knobs: Readonly<Record<string, ParamSpec>>;
  createServices(ctx: ModelContext): ServiceModel[];
}
