import { mkdtempSync } from 'node:fs';
import { rm, writeFile } from 'node:fs/promises';
import { availableParallelism, tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { UserError } from '../../generators/model/errors.js';
import { removeOnExit } from '../cleanup.js';
import { judge } from '../replay/judge.js';
import type { AlertObservation } from '../replay/promtool-output.js';
import { checkRules, runPromtool } from '../replay/promtool.js';
import { resolvePromtool, type Promtool } from '../replay/promtool-runner.js';
import {
  pool,
  prepareScenario,
  scenarioResult,
  type PreparedScenario,
  type ReplayOptions,
} from '../replay/replay.js';
import { simulateScenario } from '../replay/simulate.js';
import { bundledScenarioNames, resolveScenarioRef } from '../scenario/catalogue.js';
import { loadSystemCatalogue, SystemCatalogue } from '../systems/system-catalogue.js';
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
  'rules' | 'bundledRules' | 'promtool' | 'promtoolImage' | 'concurrency' | 'systems'
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
  /** Whether it passed with the original rules; its mutant verdicts count only when it did. */
  passed: boolean;
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

interface ScenarioVerdicts {
  run: ScenarioRun;
  /** Mutant name → the first failed check against it (absent: it passed, the mutant survived here). */
  killed: Map<string, string>;
}

/**
 * Replays each scenario once, simulated once, with the original rules and every mutant of the alerts it
 * names loaded side by side under names of their own: one promtool run judges them all, as rules do not
 * see each other's alerts. A mutant is killed when the scenario, which passes with the original rules,
 * fails with the mutant in place of its original.
 */
async function runScenario(
  prepared: PreparedScenario,
  mutants: readonly NamedMutant[],
  promtool: Promtool,
  dir: string,
): Promise<ScenarioVerdicts> {
  const { scenario, file } = prepared.loaded;
  const simulateStart = performance.now();
  const simulated = simulateScenario(scenario, prepared.systems.systems);
  const simulateMs = performance.now() - simulateStart;
  const mutantFile = join(dir, `${scenario.name}.mutants.yml`);
  await writeFile(mutantFile, mutantRuleFile(mutants));
  const promtoolStart = performance.now();
  const observations = await runPromtool({
    promtool,
    ruleFiles: [...prepared.ruleFiles, mutantFile],
    evaluationIntervalMs: scenario.evaluation_interval,
    series: simulated.series,
    probes: simulated.probes,
    name: scenario.name,
  });
  const promtoolMs = performance.now() - promtoolStart;
  const byName = new Map<string, AlertObservation[]>();
  for (const o of observations) byName.set(o.alertname, [...(byName.get(o.alertname) ?? []), o]);
  const originals = observations.filter((o) => !o.alertname.includes(MUTANT_SUFFIX));
  const verdict = (observed: readonly AlertObservation[]) => {
    const { results, unexpected } = judge(scenario, observed, simulated.startMs);
    return scenarioResult(scenario, file, 'simulated', results, unexpected, { virtualMs: 0, wallMs: 0 });
  };
  const baseline = verdict(originals);
  const killed = new Map<string, string>();
  if (baseline.passed) {
    for (const { rule, name } of mutants) {
      const swapped = [
        ...originals.filter((o) => o.alertname !== rule.alert),
        ...(byName.get(name) ?? []).map((o) => ({ ...o, alertname: rule.alert })),
      ];
      const failure = verdict(swapped).failures[0];
      if (failure) killed.set(name, failure);
    }
  }
  const run = {
    name: scenario.name,
    file,
    passed: baseline.passed,
    failures: baseline.failures,
    mutants: mutants.length,
    simulateMs,
    promtoolMs,
  };
  return { run, killed };
}

function alertMutation(
  rule: MutableRule,
  checked: CheckedMutants,
  names: ReadonlyMap<number, string>,
  verdicts: readonly ScenarioVerdicts[],
  scenarios: string[],
): AlertMutation {
  const mutants = checked.mutants.map((mutant, i): MutantResult => {
    const base = { operator: mutant.operator, description: mutant.description, rule: ruleText(mutant.rule) };
    const invalid = checked.invalid.get(i);
    if (invalid !== undefined) return { ...base, status: 'invalid', invalid };
    const name = names.get(i)!;
    for (const { run, killed } of verdicts) {
      const failure = killed.get(name);
      if (failure) return { ...base, status: 'killed', killedBy: { scenario: run.name, failure } };
    }
    return { ...base, status: 'survived' };
  });
  const count = (status: MutantResult['status']) => mutants.filter((m) => m.status === status).length;
  const killed = count('killed');
  const survived = count('survived');
  return {
    alert: rule.alert,
    file: relative(process.cwd(), rule.file),
    group: rule.group,
    position: relative(process.cwd(), rule.position),
    scenarios,
    mutants,
    killed,
    survived,
    invalid: count('invalid'),
    score: killed + survived === 0 ? 1 : killed / (killed + survived),
  };
}

/** Mutation testing of the alerting rules against scenarios (bundled names or files; none: all bundled). */
export async function mutate(refs: readonly string[], options: MutateOptions = {}): Promise<MutationReport> {
  const started = performance.now();
  const catalogue =
    options.systems instanceof SystemCatalogue
      ? options.systems
      : await loadSystemCatalogue({ systems: options.systems });
  const files = await Promise.all(
    (refs.length > 0 ? refs : await bundledScenarioNames()).map(resolveScenarioRef),
  );
  const prepared = await Promise.all(files.map((file) => prepareScenario(file, catalogue, options)));
  const promtool = await resolvePromtool({ path: options.promtool, image: options.promtoolImage });
  const ruleFiles = [...new Set(prepared.flatMap((p) => p.ruleFiles))];
  await checkRules(promtool, ruleFiles);
  let rules = await readMutableRules(ruleFiles);
  if (options.alerts && options.alerts.length > 0) {
    const unknown = options.alerts.filter((a) => !rules.some((r) => r.alert === a));
    if (unknown.length > 0) {
      throw new UserError(
        `--alert ${unknown.join(', ')}: no alerting rule of that name in the loaded rule files`,
      );
    }
    rules = rules.filter((r) => options.alerts!.includes(r.alert));
  }
  const concurrency = options.concurrency ?? availableParallelism() + 1;
  const dir = mkdtempSync(join(tmpdir(), 'obs-sandbox-mutants-'));
  const untrack = removeOnExit(dir);
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
    const work = prepared.map((p) => ({ p, mutants: mutantsFor(p) })).filter((w) => w.mutants.length > 0);
    const verdicts = await pool(work, concurrency, ({ p, mutants }) =>
      runScenario(p, mutants, promtool, dir),
    );
    const alerts = rules.map((rule, r) => {
      const relevant = verdicts.filter(
        (v, i) => v.run.passed && work[i]!.mutants.some((m) => m.rule === rule),
      );
      const scenarios = work
        .filter((w) => w.mutants.some((m) => m.rule === rule))
        .map((w) => w.p.loaded.scenario.name);
      return alertMutation(rule, checked[r]!, names[r]!, relevant, scenarios);
    });
    const killed = alerts.reduce((n, a) => n + a.killed, 0);
    const survived = alerts.reduce((n, a) => n + a.survived, 0);
    return {
      alerts,
      scenarios: verdicts.map((v) => v.run),
      killed,
      survived,
      invalid: alerts.reduce((n, a) => n + a.invalid, 0),
      score: killed + survived === 0 ? 1 : killed / (killed + survived),
      wallMs: performance.now() - started,
    };
  } finally {
    await rm(dir, { recursive: true, force: true });
    untrack();
  }
}
