import type { MetricDefinition } from './metric-definitions.js';
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

export interface HeadlineQuery {
  label: string;
  /** Unit shown after the value: `/s`, `%`, `s`, or empty. */
  unit: string;
  promql: string;
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
  /** Scrape targets per job name (`vex-lens-api` → 3); a job not listed has one. */
  instances?: Readonly<Record<string, number>>;
  /** What the TUI's traffic panel shows for this system, as PromQL. */
  headline?: readonly HeadlineQuery[];
  /** The system file it was declared in; absent for systems written in TypeScript. */
  source?: string;
  /** Alert and recording rule files that come with the system (absolute paths), loaded with it. */
  ruleFiles?: readonly string[];
  /** Grafana dashboard files (absolute paths) that come with the system, provisioned with it. */
  dashboardFiles?: readonly string[];
  /** `file:line:column` where a job, metric, fault or knob is declared (declared systems). */
  locate?(kind: 'job' | 'metric' | 'fault' | 'knob', name: string): string | undefined;
  /** A Grafana dashboard is generated for it (declared systems), beside any bundled ones. */
  generatedDashboard?: boolean;
  createServices(ctx: ModelContext): ServiceModel[];
}
