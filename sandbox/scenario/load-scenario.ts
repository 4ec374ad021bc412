import { UserError, didYouMean } from '../../generators/user-error.js';
import { readUserFile } from '../../generators/model/user-file.js';
import { FaultCatalogue } from '../../generators/model/faults/fault-catalogue.js';
import type { SystemDefinition } from '../../generators/model/system.js';
import { loadRuleSet, type RuleSet } from '../rules/rule-set.js';
import { checkExpectationRules } from './expectation-rules.js';
import { faultParamsSchema, type ParamSpec } from '../../generators/model/faults/definition.js';
import { formatDuration } from '../../generators/model/duration.js';
import { scenarioSchema, type Scenario } from './scenario-schema.js';
import { schemaError } from '../../generators/model/schema-error.js';
import { YamlSource, fieldPath } from './source-map.js';

/** What a scenario may refer to: the faults and knobs of the simulated systems, the alerts of the rules. */
export interface ScenarioVocabulary {
  faults: FaultCatalogue;
  knobs: Readonly<Record<string, ParamSpec>>;
  /** Alert names of the loaded rules; undefined skips the check (coverage reports read any scenario). */
  alerts?: readonly string[];
  /** The loaded rules: an expectation's rule file and labels are checked against them. */
  rules?: RuleSet;
  /** The project file's `alerts:` (alert → absolute rule file path): which file an alert name means. */
  projectAlerts?: Readonly<Record<string, string>>;
  /**
   * What is wrong with an entry of the scenario's `systems:` (relative to the scenario file), if anything;
   * absent when the command loaded them for the scenario.
   */
  systemProblem?: (ref: string, scenarioFile: string) => string | undefined;
}

export interface LoadedScenario {
  scenario: Scenario;
  file: string;
}

/** The faults and knobs a scenario may name: a system catalogue's (built once), or those of bare systems. */
export type ScenarioSystems = Pick<ScenarioVocabulary, 'faults' | 'knobs'> | readonly SystemDefinition[];

function faultsAndKnobs(systems: ScenarioSystems): Pick<ScenarioVocabulary, 'faults' | 'knobs'> {
  if (!isSystemList(systems)) return { faults: systems.faults, knobs: systems.knobs };
  return {
    faults: new FaultCatalogue(systems.flatMap((s) => s.faults)),
    knobs: Object.assign({}, ...systems.map((s) => s.knobs)) as Record<string, ParamSpec>,
  };
}

function isSystemList(systems: ScenarioSystems): systems is readonly SystemDefinition[] {
  return Array.isArray(systems);
}

/**
 * The faults and knobs of the given systems, and the alerts of the given rule files (`loaded`: their rule
 * set, when the caller has read them already).
 */
export async function scenarioVocabulary(
  systems: ScenarioSystems,
  ruleFiles: readonly string[],
  loaded?: RuleSet,
): Promise<ScenarioVocabulary> {
  const rules = loaded ?? (await loadRuleSet(ruleFiles));
  return {
    ...faultsAndKnobs(systems),
    alerts: [...new Set(rules.alerts.map((r) => r.alert))],
    rules,
  };
}

/** Reads, parses and validates a scenario file; every error names file:line:column and the field. */
export async function loadScenario(file: string, vocabulary: ScenarioVocabulary): Promise<LoadedScenario> {
  const text = await readUserFile(file, 'scenario file');
  return parseScenario(file, text, vocabulary);
}

export function parseScenario(file: string, text: string, vocabulary: ScenarioVocabulary): LoadedScenario {
  const parsed = YamlSource.parse(file, text);
  if ('error' in parsed) throw new UserError(parsed.error);
  const { source } = parsed;
  const raw = source.toJS() ?? {};
  refusePrototypeKeys(raw, [], source);
  const result = scenarioSchema.safeParse(raw);
  if (!result.success) throw schemaError(source, result.error);
  checkMeaning(result.data, source, vocabulary);
  return { scenario: result.data, file };
}

/** `__proto__` would be dropped silently by validation (and could reach an object's prototype): refused first. */
function refusePrototypeKeys(value: unknown, path: PropertyKey[], source: YamlSource): void {
  if (typeof value !== 'object' || value === null) return;
  for (const key of Object.keys(value)) {
    if (key === '__proto__') {
      throw new UserError(
        `${source.keyPosition(path, key)}: ${fieldPath([...path, key])}: is not a name a scenario may use; remove it`,
      );
    }
    refusePrototypeKeys(
      (value as Record<string, unknown>)[key],
      [...path, Array.isArray(value) ? Number(key) : key],
      source,
    );
  }
}

function checkMeaning(scenario: Scenario, source: YamlSource, vocabulary: ScenarioVocabulary): void {
  const fail = (path: PropertyKey[], message: string): never => {
    throw new UserError(`${source.position(path)}: ${fieldPath(path)}: ${message}`);
  };
  const fault = (path: PropertyKey[], name: string, params: Record<string, unknown> = {}) => {
    try {
      vocabulary.faults.validate(name, params);
    } catch (error) {
      fail(path, (error as Error).message);
    }
  };
  const knobs = (path: PropertyKey[], values: Record<string, unknown> | undefined) => {
    for (const [name, value] of Object.entries(values ?? {})) {
      const spec = Object.hasOwn(vocabulary.knobs, name) ? vocabulary.knobs[name] : undefined;
      if (!spec) {
        const where = source.keyPosition(path, name);
        const hint = didYouMean(name, Object.keys(vocabulary.knobs));
        throw new UserError(`${where}: ${fieldPath([...path, name])}: unknown traffic knob${hint}`);
      }
      const problem = knobProblem(name, spec, value);
      if (problem) fail([...path, name], problem);
    }
  };
  scenario.systems?.forEach((ref, i) => {
    const problem = vocabulary.systemProblem?.(ref, source.file);
    if (problem) fail(['systems', i], problem);
  });
  // Only a written interval: a short scenario for `--mode live` runs on the sandbox's own interval.
  if (source.document.has('evaluation_interval') && scenario.evaluation_interval > scenario.duration) {
    fail(
      ['evaluation_interval'],
      `${formatDuration(scenario.evaluation_interval)} is longer than the scenario's duration (${formatDuration(scenario.duration)}); shorten the interval`,
    );
  }
  knobs(['traffic'], scenario.traffic);
  scenario.faults?.forEach((f, i) => fault(['faults', i], f.name, f.params));
  const steps = new Set<string>();
  scenario.steps.forEach((step, i) => {
    if (step.at > scenario.duration) {
      fail(
        ['steps', i, 'at'],
        `${formatDuration(step.at)} is beyond the scenario's duration (${formatDuration(scenario.duration)})`,
      );
    }
    if (step.name) {
      if (steps.has(step.name)) fail(['steps', i, 'name'], `another step is already named ${step.name}`);
      steps.add(step.name);
    }
    if (step.fault) fault(['steps', i, 'fault'], step.fault, step.params);
    if (step.clear) fault(['steps', i, 'clear'], step.clear, {});
    knobs(['steps', i, 'traffic'], step.traffic);
  });
  scenario.expect.forEach((e, i) => {
    if (vocabulary.alerts && !vocabulary.alerts.includes(e.alert)) {
      fail(
        ['expect', i, 'alert'],
        `no loaded rule defines alert "${e.alert}"${didYouMean(e.alert, vocabulary.alerts)}`,
      );
    }
    if (vocabulary.rules) checkExpectationRules(e, i, source, vocabulary.rules, vocabulary.projectAlerts);
    const window = e.fires ?? e.silent ?? e.resolves ?? e.firing;
    const kind = e.fires ? 'fires' : e.silent ? 'silent' : e.resolves ? 'resolves' : 'firing';
    if (window?.after !== undefined && !steps.has(window.after)) {
      fail(
        ['expect', i, kind, 'after'],
        `no step is named "${window.after}"${didYouMean(window.after, [...steps])}`,
      );
    }
    for (const [key, ms] of Object.entries({
      ...(e.fires ?? {}),
      ...(e.silent ?? {}),
      ...(e.resolves ?? {}),
      ...(e.firing ?? {}),
    })) {
      if (typeof ms === 'number' && ms > scenario.duration) {
        fail(
          ['expect', i, kind, key],
          `${formatDuration(ms)} is beyond the scenario's duration (${formatDuration(scenario.duration)})`,
        );
      }
    }
  });
}

/** What is wrong with one knob's value against its declared type and range, if anything. */
function knobProblem(name: string, spec: ParamSpec, value: unknown): string | undefined {
  const definition = { name: 'knobs', summary: '', service: '', alerts: [], params: { [name]: spec } };
  const result = faultParamsSchema(definition).safeParse({ [name]: value });
  return result.success ? undefined : result.error.issues[0]?.message;
}
