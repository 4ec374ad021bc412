import { mkdtempSync } from 'node:fs';
import { rm, writeFile } from 'node:fs/promises';
import { availableParallelism, tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { didYouMean, UserError } from '../../generators/user-error.js';
import { removeOnExit } from '../cleanup.js';
import { judge } from '../replay/judge.js';
import type { AlertObservation } from '../promtool/promtool-output.js';
import { checkRules, runPromtool } from '../promtool/promtool.js';
import { resolvePromtool, type Promtool } from '../promtool/promtool-runner.js';
import {
  pool,
  prepareScenario,
  scenarioResult,
  type PreparedScenario,
  type ReplayOptions,
} from '../replay/replay-scenarios.js';
import { tagRuleFiles, type TaggedRules } from '../replay/rule-tagging.js';
import { simulateScenario } from '../replay/simulate.js';
import { assertRulesDistinct } from '../rules/clash-check.js';
import { originalRuleFile, withOriginalRuleFiles } from '../rules/prometheus-rule-resource.js';
import { loadRuleSet } from '../rules/rule-set.js';
import { resolveScenarios } from '../scenario/resolve-scenarios.js';
import { checkMutants, type CheckedMutants } from './mutant-check.js';
import {
  mutantRuleFile,
  readMutableRules,
  ruleMutants,
  ruleText,
  type MutableRule,
  type NamedMutant,
} from './rule-mutants.js';

export type MutateOptions = Pick<
  ReplayOptions,
  'rules' | 'bundledRules' | 'promtool' | 'promtoolImage' | 'concurrency' | 'systems' | 'projectAlerts'
> & {
  /** Mutate only these alerts (default: every alerting rule of the loaded files). */
  alerts?: readonly string[];
};

export interface MutantResult {
  operator: string;
  description: string;
  /** The mutated rule as YAML. */
  rule: string;
  status: 'killed' | 'survived' | 'invalid';
  /** The first scenario that told it apart from the original, and the check that failed. */
  killedBy?: { scenario: string; failure: string };
  /** Why promtool rejected it (status invalid). */
  invalid?: string;
}

export interface AlertMutation {
  alert: string;
  file: string;
  group: string;
  position: string;
  /** The scenarios that name the alert, replayed against its mutants. */
  scenarios: string[];
  mutants: MutantResult[];
  killed: number;
  survived: number;
  invalid: number;
  /** killed / (killed + survived); 1 when there is no valid mutant. */
  score: number;
}

export interface ScenarioRun {
  name: string;
  file: string;
  /**
   * Whether it passed with the original rules (its kills count only when it did); null when it was not
   * run, as every mutant it could tell apart had already been killed by another scenario.
   */
  passed: boolean | null;
  failures: string[];
  mutants: number;
  simulateMs: number;
  promtoolMs: number;
}

export interface MutationReport {
  alerts: AlertMutation[];
  scenarios: ScenarioRun[];
  killed: number;
  survived: number;
  invalid: number;
  score: number;
  wallMs: number;
}

const MUTANT_SUFFIX = '__sandbox_mutant_';

/** Mutant name → the scenario that killed it and the check that failed. */
type Kills = Map<string, { scenario: string; failure: string }>;

/**
 * Replays a scenario, simulated once, with the original rules and the mutants not yet killed of the alerts
 * it names, loaded side by side under names of their own: one promtool run judges them all, as rules do not
 * see each other's alerts. A mutant is killed when the scenario, which passes with the original rules,
 * fails with the mutant in place of its original.
 */
async function runScenario(
  prepared: PreparedScenario,
  candidates: readonly NamedMutant[],
  kills: Kills,
  promtool: Promtool,
  tagged: TaggedRules,
  dir: string,
): Promise<ScenarioRun> {
  const { scenario, file } = prepared.loaded;
  const mutants = candidates.filter((m) => !kills.has(m.name));
  const run = {
    name: scenario.name,
    file,
    passed: null,
    failures: [],
    mutants: 0,
    simulateMs: 0,
    promtoolMs: 0,
  };
  if (mutants.length === 0) return run;
  const simulateStart = performance.now();
  const simulated = await simulateScenario(
    scenario,
    prepared.systems.systems,
    prepared.loaded.file,
    prepared.systems.faults,
  );
  const simulateMs = performance.now() - simulateStart;
  const mutantFile = join(dir, `${scenario.name}.mutants.yml`);
  await writeFile(mutantFile, mutantRuleFile(mutants));
  const promtoolStart = performance.now();
  const reported = await runPromtool({
    promtool,
    ruleFiles: [...prepared.ruleFiles.map((f) => tagged.paths.get(f) ?? f), mutantFile],
    evaluationIntervalMs: scenario.evaluation_interval,
    series: simulated.series,
    probes: simulated.probes,
    name: scenario.name,
  });
  const promtoolMs = performance.now() - promtoolStart;
  const observations = tagged.attribute(reported);
  const byName = new Map<string, AlertObservation[]>();
  for (const o of observations) byName.set(o.alertname, [...(byName.get(o.alertname) ?? []), o]);
  const originals = observations.filter((o) => !o.alertname.includes(MUTANT_SUFFIX));
  const verdict = (observed: readonly AlertObservation[]) => {
    const { results, unexpected } = judge(scenario, observed, simulated.startMs);
    return scenarioResult(scenario, file, 'simulated', results, unexpected, { virtualMs: 0, wallMs: 0 });
  };
  const baseline = verdict(originals);
  if (baseline.passed) {
    for (const { rule, name } of mutants) {
      const swapped = [
        ...originals.filter((o) => o.alertname !== rule.alert || o.ruleFile !== rule.file),
        ...(byName.get(name) ?? []).map((o) => ({ ...o, alertname: rule.alert, ruleFile: rule.file })),
      ];
      const failure = verdict(swapped).failures[0];
      if (failure && !kills.has(name)) kills.set(name, { scenario: scenario.name, failure });
    }
  }
  return {
    ...run,
    passed: baseline.passed,
    failures: baseline.failures,
    mutants: mutants.length,
    simulateMs,
    promtoolMs,
  };
}

function alertMutation(
  rule: MutableRule,
  checked: CheckedMutants,
  names: ReadonlyMap<number, string>,
  kills: Kills,
  scenarios: string[],
): AlertMutation {
  const mutants = checked.mutants.map((mutant, i): MutantResult => {
    const base = { operator: mutant.operator, description: mutant.description, rule: ruleText(mutant.rule) };
    const invalid = checked.invalid.get(i);
    if (invalid !== undefined) return { ...base, status: 'invalid', invalid };
    const killedBy = kills.get(names.get(i)!);
    if (killedBy) return { ...base, status: 'killed', killedBy };
    return { ...base, status: 'survived' };
  });
  const count = (status: MutantResult['status']) => mutants.filter((m) => m.status === status).length;
  const killed = count('killed');
  const survived = count('survived');
  return {
    alert: rule.alert,
    file: relative(process.cwd(), originalRuleFile(rule.file)),
    group: rule.group,
    position: relative(process.cwd(), withOriginalRuleFiles(rule.position)),
    scenarios,
    mutants,
    killed,
    survived,
    invalid: count('invalid'),
    score: killed + survived === 0 ? 1 : killed / (killed + survived),
  };
}

/** Rule evaluations a replay of the scenario takes: what its promtool run costs, roughly. */
const evaluations = ({ loaded: { scenario } }: PreparedScenario) =>
  (scenario.warmup + scenario.duration) / scenario.evaluation_interval;

/** Mutation testing of the alerting rules against scenarios (bundled names or files; none: all bundled). */
export async function mutate(refs: readonly string[], options: MutateOptions = {}): Promise<MutationReport> {
  const started = performance.now();
  const { catalogue, files } = await resolveScenarios(refs, options.systems);
  const prepared = await Promise.all(files.map((file) => prepareScenario(file, catalogue, options)));
  const promtool = await resolvePromtool({ path: options.promtool, image: options.promtoolImage });
  const ruleFiles = [...new Set(prepared.flatMap((p) => p.ruleFiles))];
  const ruleSet = await loadRuleSet(ruleFiles);
  assertRulesDistinct(
    ruleSet,
    prepared.map((p) => p.loaded.scenario),
    options.projectAlerts,
  );
  await checkRules(promtool, ruleFiles);
  let rules = await readMutableRules(ruleFiles);
  if (options.alerts && options.alerts.length > 0) {
    const unknown = options.alerts.find((a) => !rules.some((r) => r.alert === a));
    if (unknown !== undefined) {
      const hint = didYouMean(unknown, [...new Set(rules.map((r) => r.alert))]);
      throw new UserError(
        `--alert ${unknown}: no alerting rule of that name in the loaded rule files${hint}`,
      );
    }
    rules = rules.filter((r) => options.alerts!.includes(r.alert));
  }
  const concurrency = options.concurrency ?? availableParallelism() + 1;
  const dir = mkdtempSync(join(tmpdir(), 'obs-sandbox-mutants-'));
  const untrack = removeOnExit(dir);
  const tagged = await tagRuleFiles(ruleSet);
  try {
    const checked = await checkMutants(promtool, rules, ruleMutants, dir, concurrency);
    const names = rules.map(
      (rule, r) =>
        new Map(
          checked[r]!.mutants.flatMap((_, i) =>
            checked[r]!.invalid.has(i) ? [] : [[i, `${rule.alert}${MUTANT_SUFFIX}${r}_${i}`] as const],
          ),
        ),
    );
    const mutantsFor = (p: PreparedScenario): NamedMutant[] => {
      const named = new Set(p.loaded.scenario.expect.map((e) => e.alert));
      return rules.flatMap((rule, r) =>
        named.has(rule.alert) && p.ruleFiles.includes(rule.file)
          ? [...names[r]!].map(([i, name]) => ({ rule, mutant: checked[r]!.mutants[i]!, name }))
          : [],
      );
    };
    // Cheapest first: a mutant a short scenario kills is left out of the long ones (baselines of hours).
    const work = prepared
      .map((p) => ({ p, candidates: mutantsFor(p) }))
      .filter((w) => w.candidates.length > 0)
      .sort((a, b) => evaluations(a.p) - evaluations(b.p));
    const kills: Kills = new Map();
    const runs = await pool(work, concurrency, ({ p, candidates }) =>
      runScenario(p, candidates, kills, promtool, tagged, dir),
    );
    const alerts = rules.map((rule, r) => {
      const scenarios = work
        .filter((w) => w.candidates.some((m) => m.rule === rule))
        .map((w) => w.p.loaded.scenario.name);
      return alertMutation(rule, checked[r]!, names[r]!, kills, scenarios);
    });
    const killed = alerts.reduce((n, a) => n + a.killed, 0);
    const survived = alerts.reduce((n, a) => n + a.survived, 0);
    return {
      alerts,
      scenarios: runs,
      killed,
      survived,
      invalid: alerts.reduce((n, a) => n + a.invalid, 0),
      score: killed + survived === 0 ? 1 : killed / (killed + survived),
      wallMs: performance.now() - started,
    };
  } finally {
    await tagged.dispose();
    await rm(dir, { recursive: true, force: true });
    untrack();
  }
}
