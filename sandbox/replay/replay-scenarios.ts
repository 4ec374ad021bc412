import { mkdtempSync } from 'node:fs';
import { rm } from 'node:fs/promises';
import { availableParallelism, tmpdir } from 'node:os';
import { join } from 'node:path';
import { removeOnExit } from '../cleanup.js';
import { assertRulesDistinct, clashesOf } from '../rules/clash-check.js';
import { collectRuleFiles } from '../rules/rule-files.js';
import { loadRuleSet, type RuleSet } from '../rules/rule-set.js';
import { commandAlertmanager, type AlertmanagerFile } from '../routing/alertmanager-file.js';
import { checkRouting, scenarioRouting, type Routing } from '../routing/routing-check.js';
import { loadScenario, scenarioVocabulary, type LoadedScenario } from '../scenario/load-scenario.js';
import { resolveScenarios } from '../scenario/resolve-scenarios.js';
import type { Scenario } from '../scenario/scenario-schema.js';
import { scenarioSystems } from '../systems/scenario-systems.js';
import type { SystemCatalogue } from '../systems/system-catalogue.js';
import { firedAlerts, firingAt, type FiredAlert } from './fired.js';
import { judge, type ExpectationResult } from './judge.js';
import { checkRules, runPromtool } from '../promtool/promtool.js';
import { promtoolIdentity, resolvePromtool, type Promtool } from '../promtool/promtool-runner.js';
import { replayKey, type ReplayCache, type ReplayInputs } from './replay-cache.js';
import { compareObservations, filesIndependent, ObservationCache } from './observation-cache.js';
import type { AlertObservation } from '../promtool/promtool-output.js';
import { locateRules } from './rule-location.js';
import { tagRuleFiles, type TaggedRules } from './rule-tagging.js';
import { replayStartMs, simulateScenario } from './simulate.js';
import { vacuousExpectations } from './vacuous-report.js';

export interface ReplayOptions {
  /** Extra rule files or directories, on top of the rules that come with the systems. */
  rules?: readonly string[];
  /** Leave out the rules that come with the systems (default: included). */
  bundledRules?: boolean;
  /** promtool binary to use; default: found or provisioned (sandbox install), else inside the Prometheus image. */
  promtool?: string;
  /** Run promtool inside this Prometheus image (for Docker-only setups). */
  promtoolImage?: string;
  /** Keep the generated promtool test files here. */
  keepDir?: string;
  /** The user's Alertmanager configuration that `notifies:` are checked against (with the real amtool). */
  alertmanagerConfig?: string;
  /** Scenarios replayed at once (default: the core count + 1). */
  concurrency?: number;
  /**
   * The simulated systems: a loaded catalogue, or references (bundled names, system files, directories)
   * added to the default VaultMesh and ZKP. A scenario's own `systems:` are added for that scenario.
   */
  systems?: SystemCatalogue | readonly string[];
  /** The project file's `alerts:`: alert name → the rule file (absolute path) scenarios mean by it. */
  projectAlerts?: Readonly<Record<string, string>>;
  /** Vacuous expectations (`never`/`silent` on an alert whose metrics nothing produces) are errors. */
  strict?: boolean;
  /** Where warnings go (vacuous expectations when not strict); default: none are shown. */
  onWarning?: (line: string) => void;
  /** Reuse results of identical replays (same scenario, rules, systems, promtool and code). */
  cache?: ReplayCache;
}

/** A scenario ready to replay: validated against its systems and the rules that come with them. */
export interface PreparedScenario {
  loaded: LoadedScenario;
  systems: SystemCatalogue;
  ruleFiles: string[];
  /** Where its `notifies:` are checked (none: it has none). */
  routing?: Routing;
}

export interface ScenarioResult {
  name: string;
  /** simulated: virtual time through promtool; live: the running stack in real time. */
  mode: 'simulated' | 'live';
  description: string;
  file: string;
  /** Simulated mode: the scenario's seed (the same seed replays the same traffic; live runs the stack's). */
  seed?: number | string;
  passed: boolean;
  results: ExpectationResult[];
  /** Alerts that fired although no expectation names them. */
  unexpected: ExpectationResult[];
  /** Every failed check, in words (empty when the scenario passed). */
  failures: string[];
  /** Scenario time replayed (after the warm-up), ms. */
  virtualMs: number;
  wallMs: number;
  /** Live mode: the factor every rule's `for:` was multiplied by (1: as written). */
  forScale?: number;
  /** How this run differs from the scenario as written (live mode), shown with the results. */
  notes?: string[];
  /** Every alerting rule that fired from the scenario's start on, with its file (expected or not). */
  fired?: FiredAlert[];
  /** `never`/`silent` expectations that pass vacuously (their alert reads only metrics nothing produces). */
  vacuous?: string[];
}

/** Replays scenarios (bundled names or files; none: all bundled) through the real promtool. */
export async function replay(
  refs: readonly string[],
  options: ReplayOptions = {},
): Promise<ScenarioResult[]> {
  const { catalogue, files } = await resolveScenarios(refs, options.systems);
  const alertmanager = await commandAlertmanager(options.alertmanagerConfig);
  const prepared = await Promise.all(
    files.map((file) => prepareScenario(file, catalogue, options, alertmanager)),
  );
  const rules = await loadRuleSet([...new Set(prepared.flatMap((p) => p.ruleFiles))]);
  // Per scenario: rules of systems never loaded together do not clash.
  const perScenario = await Promise.all(prepared.map((p) => loadRuleSet(p.ruleFiles)));
  assertRulesDistinct(
    perScenario,
    prepared.map((p) => p.loaded.scenario),
    options.projectAlerts,
  );
  const vacuous = await vacuousExpectations(prepared, rules, options);
  // Killed by Ctrl-C, promtool leaves its test_storage* directory in its TMPDIR: one removed on exit.
  const promtoolTmp = mkdtempSync(join(tmpdir(), 'obs-sandbox-promtool-'));
  const untrackTmp = removeOnExit(promtoolTmp);
  try {
    const promtool = await resolvePromtool({
      path: options.promtool,
      image: options.promtoolImage,
      tmpDir: promtoolTmp,
    });
    await checkRules(promtool, [...rules.files]);
    const clashing = clashesOf(perScenario).filter((c) => c.kind === 'alert');
    const tagged = await tagRuleFiles(rules, new Set(clashing.map((c) => c.name)));
    const { cache } = options;
    const identity = cache ? await promtoolIdentity(promtool) : '';
    const observationCache = cache && new ObservationCache(cache.within('observations'));
    const run = async (p: PreparedScenario) => {
      const replayed = (known?: AlertObservation[]) =>
        replayOne(p, { promtool, keepDir: options.keepDir, tagged, rules, known });
      if (!cache) return (await replayed()).result;
      const inputs: ReplayInputs = {
        scenarioFile: p.loaded.file,
        ruleFiles: p.ruleFiles.map((file) => ({ file, handed: tagged.paths.get(file) ?? file })),
        systems: p.systems.systems,
        promtool: identity,
        otherFiles: p.routing ? [p.routing.file] : [],
        choices: JSON.stringify(options.projectAlerts ?? {}),
      };
      const key = await replayKey(inputs);
      const cached = await cache.get<ScenarioResult>(key);
      if (cached) return cached;
      const shared = observationCache && filesIndependent(rules, p.ruleFiles);
      const { result, observations } = await replayed(
        shared ? await observationCache.get(inputs) : undefined,
      );
      if (shared) await observationCache.set(inputs, observations);
      await cache.set(key, result);
      return result;
    };
    try {
      // One more than the cores: while promtool runs in its own process, the next simulation can use the core.
      const results = await pool(prepared, options.concurrency ?? availableParallelism() + 1, run);
      return results.map((r, i) => (vacuous[i]!.length > 0 ? { ...r, vacuous: vacuous[i]! } : r));
    } finally {
      await tagged.dispose();
    }
  } finally {
    untrackTmp();
    await rm(promtoolTmp, { recursive: true, force: true });
  }
}

export async function prepareScenario(
  file: string,
  catalogue: SystemCatalogue,
  options: ReplayOptions,
  alertmanager?: AlertmanagerFile,
): Promise<PreparedScenario> {
  const systems = catalogue.forScenario(await scenarioSystems(file));
  const bundled = options.bundledRules === false ? [] : systems.ruleFiles;
  const ruleFiles = await collectRuleFiles(options.rules ?? [], bundled);
  const vocabulary = await scenarioVocabulary(systems, ruleFiles);
  const loaded = await loadScenario(file, { ...vocabulary, projectAlerts: options.projectAlerts });
  const routing = await scenarioRouting(loaded.scenario, file, alertmanager);
  return { loaded, systems, ruleFiles, routing };
}

interface ReplayRun {
  promtool: Promtool;
  keepDir: string | undefined;
  tagged: TaggedRules;
  rules: RuleSet;
  /** What promtool observed in an earlier run of the same inputs: judged again without simulating. */
  known?: AlertObservation[];
}

async function replayOne(
  { loaded: { scenario, file }, systems, ruleFiles, routing }: PreparedScenario,
  { promtool, keepDir, tagged, rules, known }: ReplayRun,
): Promise<{ result: ScenarioResult; observations: AlertObservation[] }> {
  const started = performance.now();
  const startMs = replayStartMs(scenario);
  const observe = async () => {
    const simulated = await simulateScenario(scenario, systems.systems, file, systems.faults);
    const reported = await runPromtool({
      promtool,
      ruleFiles: ruleFiles.map((f) => tagged.paths.get(f) ?? f),
      evaluationIntervalMs: scenario.evaluation_interval,
      series: simulated.series,
      probes: simulated.probes,
      keepDir,
      name: scenario.name,
    });
    // In promtool's order whether observed now or put together from kept ones: the same verdict either way.
    return tagged.attribute(reported).sort(compareObservations);
  };
  const observations = known ?? (await observe());
  const judged = judge(scenario, observations, startMs);
  const results = locateRules(
    await checkRouting(scenario, judged.results, routing, firingAt(observations, startMs)),
    rules,
    scenario.expect.map((e) => e.labels),
  );
  const result = scenarioResult(scenario, file, 'simulated', results, judged.unexpected, {
    virtualMs: scenario.duration,
    wallMs: performance.now() - started,
    seed: scenario.seed,
    fired: firedAlerts(observations, startMs),
  });
  return { result, observations };
}

/** A scenario's result from its judged expectations and unexpected alerts. */
export function scenarioResult(
  scenario: Scenario,
  file: string,
  mode: ScenarioResult['mode'],
  results: ExpectationResult[],
  unexpected: ExpectationResult[],
  run: Pick<ScenarioResult, 'virtualMs' | 'wallMs' | 'seed' | 'forScale' | 'notes' | 'fired' | 'vacuous'>,
): ScenarioResult {
  const failures = [...results, ...unexpected]
    .filter((r) => !r.passed)
    .map((r) => `${r.expectation}: ${r.detail}`);
  return {
    name: scenario.name,
    mode,
    description: scenario.description,
    file,
    passed: failures.length === 0,
    results,
    unexpected,
    failures,
    ...run,
  };
}

/** Runs `work` over items with at most `size` at once, keeping the input order in the output. */
export async function pool<T, R>(
  items: readonly T[],
  size: number,
  work: (item: T) => Promise<R>,
): Promise<R[]> {
  const results = new Array<R>(items.length);
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const i = next++;
      // Yield first, so that one worker's synchronous simulation does not starve another's promtool.
      await new Promise((r) => setImmediate(r));
      results[i] = await work(items[i]!);
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, Math.min(size, items.length)) }, worker));
  return results;
}
