import type { Command } from 'commander';
import { resolvePromtool } from '../../replay/promtool-runner.js';
import { checkRules } from '../../replay/promtool.js';
import { alertCoverage, type AlertCoverage } from '../../rules/coverage.js';
import { collectRuleFiles, loadAlertRules } from '../../rules/rule-files.js';
import { bundledScenarioNames, resolveScenarioRef, scenarioFilesIn } from '../../scenario/catalogue.js';
import { loadScenario } from '../../scenario/load.js';
import { scenarioSystems } from '../../systems/scenario-systems.js';
import type { SystemCatalogue } from '../../systems/system-catalogue.js';
import { commandSetup, withSystemOption } from '../command-setup.js';
import { collect } from '../options.js';
import type { CliIo } from '../io.js';

interface CheckOptions {
  rules: string[];
  bundledRules: boolean;
  scenario: string[];
  json?: boolean;
  strict?: boolean;
}

function table(coverage: readonly AlertCoverage[]): string[] {
  const width = Math.max(5, ...coverage.map((c) => c.alert.length)) + 2;
  const lines = [
    `${'ALERT'.padEnd(width)}${'FIRES IN'.padEnd(44)}${'QUIET IN'.padEnd(10)}UNPRODUCED METRICS`,
  ];
  for (const c of coverage) {
    const fires = c.firesIn.length === 0 ? '-  (no scenario makes it fire)' : c.firesIn.join(', ');
    const unproduced = c.parseError ?? (c.unproduced.length === 0 ? '-' : c.unproduced.join(', '));
    lines.push(
      `${c.alert.padEnd(width)}${fires.padEnd(44)}${String(c.quietIn.length).padEnd(10)}${unproduced}`,
    );
  }
  return lines;
}

/** Reads a scenario against the faults and knobs of the systems, its own `systems:` included. */
async function loadForCoverage(file: string, catalogue: SystemCatalogue) {
  const systems = catalogue.forScenario(await scenarioSystems(file));
  return (await loadScenario(file, { faults: systems.faults, knobs: systems.knobs })).scenario;
}

export function registerCheck(program: Command, io: CliIo): void {
  const command = program
    .command('check')
    .description('validate rule files with promtool and report which scenarios cover each alert')
    .option('--rules <path>', 'also check these rule files or directories (repeatable)', collect, [])
    .option('--no-bundled-rules', 'leave out the rules that come with the systems')
    .option('--scenario <ref>', 'also count this scenario file or bundled name (repeatable)', collect, [])
    .option('--json', 'print the report as JSON')
    .option('--strict', 'exit non-zero when an alert fires in no scenario or uses a metric nobody produces');
  withSystemOption(command).action(async (options: CheckOptions, cmd: Command) => {
    const { project, catalogue } = await commandSetup(cmd);
    const bundled = options.bundledRules && project?.bundledRules !== false;
    const ruleFiles = await collectRuleFiles(
      [...(project?.rules ?? []), ...options.rules],
      bundled ? catalogue.ruleFiles : [],
    );
    await checkRules(await resolvePromtool(), ruleFiles);
    const rules = await loadAlertRules(ruleFiles);
    const files = [
      ...(await Promise.all((await bundledScenarioNames()).map(resolveScenarioRef))),
      ...(await scenarioFilesIn(project?.scenarios ?? [])),
      ...(await Promise.all(options.scenario.map(resolveScenarioRef))),
    ];
    const scenarios = await Promise.all([...new Set(files)].map((file) => loadForCoverage(file, catalogue)));
    const coverage = alertCoverage(rules, scenarios, catalogue.metrics);
    const uncovered = coverage.filter((c) => c.firesIn.length === 0);
    const unproduced = [...new Set(coverage.flatMap((c) => c.unproduced))];
    const strictFailure = uncovered.length > 0 || unproduced.length > 0 || coverage.some((c) => c.parseError);
    if (options.json) {
      io.out(
        JSON.stringify({
          ruleFiles,
          scenarios: scenarios.length,
          alerts: coverage,
          uncovered: uncovered.map((c) => c.alert),
          unproduced,
        }),
      );
    } else {
      io.out(`rules: ${ruleFiles.length} file(s), ${rules.length} alerts, promtool check rules: SUCCESS`);
      io.out(`scenarios: ${scenarios.length}`);
      io.out('');
      for (const line of table(coverage)) io.out(line);
      io.out('');
      io.out(
        `${coverage.length} alerts: ${coverage.length - uncovered.length} fire in a scenario, ${uncovered.length} in none; ` +
          `${unproduced.length} metric(s) referenced that no generator produces${unproduced.length ? `: ${unproduced.join(', ')}` : ''}`,
      );
    }
    if (options.strict && strictFailure) process.exitCode = 1;
  });
}
