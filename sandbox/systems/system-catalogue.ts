import { FaultCatalogue } from '../../generators/model/faults/fault-catalogue.js';
import type { ParamSpec } from '../../generators/model/faults/definition.js';
import { UserError } from '../../generators/user-error.js';
import type { MetricDefinition } from '../../generators/model/metric-definitions.js';
import type { HeadlineQuery, SystemDefinition } from '../../generators/model/system.js';
import { jobsOf, ruleFilesOf, TYPESCRIPT_SYSTEMS } from '../../generators/systems/index.js';
import { platform } from '../../generators/systems/platform.js';
import type { ProjectFile } from './project-file.js';
import { resolveSystemRef } from './system-refs.js';

/** What the sandbox simulates when neither the project file nor a flag says otherwise. */
export const DEFAULT_SYSTEMS = ['vaultmesh', 'zkp'] as const;

const describe = (s: SystemDefinition) => (s.source ? `${s.name} (${s.source})` : s.name);

/** Two systems must not claim the same job, metric, fault or knob: the second would silently shadow. */
function checkDisjoint(systems: readonly SystemDefinition[]): void {
  const owners = new Map<string, SystemDefinition>();
  const claim = (kind: 'job' | 'metric' | 'fault' | 'knob', key: string, system: SystemDefinition) => {
    const owner = owners.get(`${kind}:${key}`);
    if (owner) {
      const at = system.locate?.(kind, key);
      const first = owner.locate?.(kind, key);
      throw new UserError(
        `${at ? `${at}: ` : ''}${kind} ${key} of system ${describe(system)} is already defined by ${describe(owner)}${first ? ` at ${first}` : ''}; rename it, or load only one of the systems`,
      );
    }
    owners.set(`${kind}:${key}`, system);
  };
  for (const s of systems) {
    for (const job of Object.values(s.jobs)) claim('job', job, s);
    for (const m of s.metrics) claim('metric', m.name, s);
    for (const f of s.faults) claim('fault', f.name, s);
    for (const k of Object.keys(s.knobs)) claim('knob', k, s);
  }
}

/**
 * The systems a command simulates, loaded once and passed down, with what the commands derive from them:
 * faults, knobs, scrape jobs, metrics, rule and dashboard files, headline queries. `platform` (faults
 * spanning every system, such as `service_down`) is always the last system.
 */
export class SystemCatalogue {
  /** Every system the simulation runs, `platform` last. */
  readonly systems: readonly SystemDefinition[];
  readonly faults: FaultCatalogue;
  readonly knobs: Readonly<Record<string, ParamSpec>>;

  private constructor(private readonly simulated: readonly SystemDefinition[]) {
    checkDisjoint(simulated);
    this.systems = [...simulated, platform(simulated)];
    this.faults = new FaultCatalogue(this.systems.flatMap((s) => s.faults));
    this.knobs = Object.assign({}, ...this.systems.map((s) => s.knobs)) as Record<string, ParamSpec>;
  }

  /** A catalogue of these systems; one loaded twice (same name and source) counts once. */
  static of(systems: readonly SystemDefinition[]): SystemCatalogue {
    const unique: SystemDefinition[] = [];
    for (const system of systems) {
      const same = unique.find((s) => s.name === system.name);
      if (!same) unique.push(system);
      else if (same.source !== system.source)
        throw new UserError(
          `two systems are named ${system.name}: ${same.source ?? 'bundled'} and ${system.source ?? 'bundled'}; rename one`,
        );
    }
    return new SystemCatalogue(unique);
  }

  /** VaultMesh and the ZKP pipeline: what the sandbox simulates by default. */
  static defaults(): SystemCatalogue {
    return SystemCatalogue.of(DEFAULT_SYSTEMS.map((name) => TYPESCRIPT_SYSTEMS[name]!));
  }

  /**
   * The systems a scenario simulates: exactly those it names (`systems:`), so that a replay judges what the
   * scenario is about, and fast; this catalogue when it names none.
   */
  forScenario(named: readonly SystemDefinition[]): SystemCatalogue {
    if (named.length === 0) return this;
    const same =
      named.length === this.simulated.length &&
      named.every((e) => this.simulated.some((s) => s.name === e.name && s.source === e.source));
    return same ? this : SystemCatalogue.of(named);
  }

  /** Names of the simulated systems (without `platform`), in load order. */
  get names(): string[] {
    return this.simulated.map((s) => s.name);
  }

  /** The system with this name, or declared in this file (absolute path). */
  find(nameOrSource: string): SystemDefinition | undefined {
    return this.simulated.find((s) => s.name === nameOrSource || s.source === nameOrSource);
  }

  get jobs(): string[] {
    return jobsOf(this.systems);
  }

  get metrics(): MetricDefinition[] {
    return this.systems.flatMap((s) => s.metrics);
  }

  /** The rule files that come with the systems: the bundled rules of a run. */
  get ruleFiles(): string[] {
    return ruleFilesOf(this.systems);
  }

  get dashboardFiles(): string[] {
    return [...new Set(this.systems.flatMap((s) => s.dashboardFiles ?? []))];
  }

  /** Headline queries of the systems, each with the system it belongs to. */
  get headlines(): (HeadlineQuery & { system: string })[] {
    return this.systems.flatMap((s) => (s.headline ?? []).map((h) => ({ ...h, system: s.name })));
  }
}

export interface CatalogueRequest {
  /** The project file: its `systems:` replace the default set. */
  project?: ProjectFile;
  /** `--system` references (names, files, directories; relative to `baseDir`), added to the set. */
  systems?: readonly string[];
  /** What relative `--system` paths are relative to (default: the working directory). */
  baseDir?: string;
}

/** Resolves the systems of a command: the project's (or the default set), then every `--system`. */
export async function loadSystemCatalogue(request: CatalogueRequest = {}): Promise<SystemCatalogue> {
  const { project } = request;
  const chosen = project?.systems
    ? await Promise.all(project.systems.map((s) => resolveSystemRef(s.ref, project.dir, s.where)))
    : undefined;
  const base = chosen?.flat() ?? DEFAULT_SYSTEMS.map((name) => TYPESCRIPT_SYSTEMS[name]!);
  const added = await Promise.all(
    (request.systems ?? []).map((ref) => resolveSystemRef(ref, request.baseDir ?? process.cwd())),
  );
  return SystemCatalogue.of([...base, ...added.flat()]);
}
