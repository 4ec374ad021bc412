import { join } from 'node:path';
import type { Command } from 'commander';
import { cacheRoot } from '../../binaries/index.js';
import { exitOnSignals } from '../../cleanup.js';
import { resolvePromtool } from '../../promtool/promtool-runner.js';
import { checkRules } from '../../promtool/promtool.js';
import { ReplayCache } from '../../replay/replay-cache.js';
import { replay } from '../../replay/replay-scenarios.js';
import { assertRulesDistinct } from '../../rules/clash-check.js';
import { alertCoverage, type AlertCoverage } from '../../rules/coverage.js';
import { isProduced, metricsInExpr } from '../../rules/promql-metrics.js';
import { collectRuleFiles } from '../../rules/rule-files.js';
import { producedNames } from '../../rules/vacuous.js';
import { loadRuleSet, shownPath, type RuleSet } from '../../rules/rule-set.js';
import {
  bundledScenarioNames,
  resolveScenarioRef,
  scenarioFilesIn,
} from '../../scenario/scenario-catalogue.js';
import { loadScenario } from '../../scenario/load-scenario.js';
import { scenarioSystems } from '../../systems/scenario-systems.js';
import type { Scenario } from '../../scenario/scenario-schema.js';
import type { SystemCatalogue } from '../../systems/system-catalogue.js';
import { commandSetup } from '../command-setup.js';
import { textTable } from '../text-table.js';
import type { CliIo } from '../io.js';

export interface CheckOptions {
  rules: string[];
  bundledRules: boolean;
  scenario: string[];
  json?: boolean;
  strict?: boolean;
  cache: boolean;
}

function table(coverage: readonly AlertCoverage[]): string[] {
  const none = (list: readonly string[], text: string) => (list.length === 0 ? text : list);
  return textTable(
    ['ALERT', 'RULE FILE', 'FIRED IN (replayed)', 'CLAIMED IN', 'QUIET IN', 'UNPRODUCED METRICS'],
    coverage.map((c) => [
      c.alert,
      shownPath(c.file),
      none(c.firedIn, '-  (fired in no replay)'),
      none(c.claimedIn, '-'),
      String(c.quietIn.length),
      c.parseError ?? none(c.unproduced, '-'),
    ]),
  );
}

/**
 * Reads a scenario against the faults and knobs of its systems and the rules a replay of it loads; it can be
 * replayed when those rules define every alert it names.
 */
async function loadForCoverage(
  file: string,
  catalogue: SystemCatalogue,
  extraRules: readonly string[],
  bundled: boolean,
  projectAlerts: Readonly<Record<string, string>> | undefined,
): Promise<{ scenario: Scenario; rules: RuleSet; replayable: boolean; produced: Set<string> }> {
  const systems = catalogue.forScenario(await scenarioSystems(file));
  const rules = await loadRuleSet(await collectRuleFiles(extraRules, bundled ? systems.ruleFiles : []));
  const vocabulary = { faults: systems.faults, knobs: systems.knobs, rules, projectAlerts };
  const { scenario } = await loadScenario(file, vocabulary);
  const replayable = scenario.expect.every((e) => rules.alerts.some((r) => r.alert === e.alert));
  return { scenario, rules, replayable, produced: producedNames(rules, systems.metrics) };
}

function couldFire(expr: string, produced: ReadonlySet<string>): boolean {
  const own = metricsInExpr(expr).metrics.filter((m) => !isProduced(m, new Set()));
  return own.length === 0 || own.some((m) => isProduced(m, produced));
}

/** `sandbox check`: promtool's check of the rules, every scenario replayed, and which alerts fired where. */
export async function runCheck(options: CheckOptions, cmd: Command, io: CliIo): Promise<void> {
  const { project, catalogue } = await commandSetup(cmd);
  const bundled = options.bundledRules && project?.bundledRules !== false;
  const extraRules = [...(project?.rules ?? []), ...options.rules];
  const ruleFiles = await collectRuleFiles(extraRules, bundled ? catalogue.ruleFiles : []);
  const rules = await loadRuleSet(ruleFiles);
  await checkRules(await resolvePromtool(), ruleFiles);
  const files = [
    ...new Set([
      ...(await Promise.all((await bundledScenarioNames()).map(resolveScenarioRef))),
      ...(await scenarioFilesIn(project?.scenarios ?? [])),
      ...(await Promise.all(options.scenario.map(resolveScenarioRef))),
    ]),
  ];
  const loaded = await Promise.all(
    files.map((file) => loadForCoverage(file, catalogue, extraRules, bundled, project?.alerts)),
  );
  const scenarios = loaded.map((l) => l.scenario);
  assertRulesDistinct([rules, ...loaded.map((l) => l.rules)], scenarios, project?.alerts);
  exitOnSignals();
  // A scenario can fire one of these alerts only if its replay loads the alert's file and its systems
  // produce a metric the alert reads (or the alert reads only what Prometheus makes itself, like `up`).
  const relevant = loaded.map((l) =>
    rules.alerts.some((rule) => l.rules.files.includes(rule.file) && couldFire(rule.expr, l.produced)),
  );
  const replayable = files.filter((_, i) => loaded[i]!.replayable && relevant[i]);
  const started = performance.now();
  // replay() of no scenario means every bundled one.
  const replayed =
    replayable.length === 0
      ? []
      : await replay(replayable, {
          systems: catalogue,
          rules: extraRules,
          bundledRules: bundled,
          projectAlerts: project?.alerts,
          // Warnings here: --strict counts them among the reasons it exits 1, after the coverage.
          onWarning: (line) => io.status(line),
          cache: options.cache ? new ReplayCache(join(cacheRoot(), 'replays')) : undefined,
        });
  const replayMs = performance.now() - started;
  const fired = new Map(replayable.map((file, i) => [file, replayed[i]!.fired ?? []]));
  const runs = scenarios.map((scenario, i) => ({ scenario, fired: fired.get(files[i]!) ?? [] }));
  const skipped = scenarios.filter((_, i) => relevant[i] && !loaded[i]!.replayable).map((s) => s.name);
  const coverage = alertCoverage(rules.alerts, runs, catalogue.metrics);
  const unfired = coverage.filter((c) => c.firedIn.length === 0);
  const unproduced = [...new Set(coverage.flatMap((c) => c.unproduced))];
  const unparsed = coverage.filter((c) => c.parseError);
  const vacuous = replayed.flatMap((r) => r.vacuous ?? []);
  if (options.json) {
    io.out(
      JSON.stringify({
        ruleFiles,
        scenarios: scenarios.length,
        replayed: replayable.length,
        notReplayed: skipped,
        replayMs: Math.round(replayMs),
        alerts: coverage,
        unfired: unfired.map((c) => ({ alert: c.alert, file: c.file })),
        unproduced,
      }),
    );
  } else {
    io.out(
      `rules: ${ruleFiles.length} file(s), ${coverage.length} alerts (by file, group and name), promtool check rules: SUCCESS`,
    );
    io.out(
      `scenarios: ${scenarios.length}, ${replayable.length} replayed in ${(replayMs / 1000).toFixed(1)}s ` +
        `(the others cannot fire these alerts: they load none of their files or metrics)` +
        (skipped.length > 0
          ? `; not replayed (they name alerts no loaded rule defines): ${skipped.join(', ')}`
          : ''),
    );
    io.out('');
    for (const line of table(coverage)) io.out(line);
    io.out('');
    io.out(
      `${coverage.length} alerts: ${coverage.length - unfired.length} fired in a replayed scenario, ${unfired.length} in none; ` +
        `${unproduced.length} metric(s) referenced that no generator produces${unproduced.length ? `: ${unproduced.join(', ')}` : ''}`,
    );
  }
  if (!options.strict) return;
  const reasons = [
    ...unfired.map((c) => `${c.alert} (${shownPath(c.file)}) fired in no replayed scenario`),
    ...(unproduced.length > 0 ? [`metrics no generator produces: ${unproduced.join(', ')}`] : []),
    ...unparsed.map((c) => `${c.alert} (${shownPath(c.file)}): ${c.parseError}`),
    ...(vacuous.length > 0
      ? [`${vacuous.length} never/silent expectation(s) pass vacuously (see the warnings above)`]
      : []),
  ];
  if (reasons.length > 0) {
    io.status(`check --strict failed: ${reasons.join('; ')}`);
    process.exitCode = 1;
  }
}
