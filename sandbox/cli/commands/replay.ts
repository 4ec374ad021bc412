import { relative } from 'node:path';
import { Option, type Command } from 'commander';
import { UserError } from '../../../generators/user-error.js';
import { exitOnSignals } from '../../cleanup.js';
import { replay } from '../../replay/replay-scenarios.js';
import { formatJunit } from '../../replay/junit-report.js';
import { formatTable } from '../../replay/report.js';
import { bundledScenarioNames, scenarioFilesIn } from '../../scenario/scenario-catalogue.js';
import { commandSetup, withSystemOption, type CommandSetup } from '../command-setup.js';
import { collect, parseForScale } from '../options.js';
import { environmentFlagsOf, replayLiveCli, withEnvironmentOptions } from './replay-live.js';
import type { EnvironmentFlags } from '../../replay/live/remote/environment-flags.js';
import type { CliIo } from '../io.js';
import { summaryOf } from '../command-table.js';
import { assertOutputFileWritable, writeOutputFile } from '../../user-output-file.js';

interface ReplayCliOptions extends Partial<EnvironmentFlags> {
  mode: 'simulated' | 'live';
  rules: string[];
  bundledRules: boolean;
  json?: boolean;
  junit?: string;
  keep?: string;
  list?: boolean;
  forScale: number;
  system: string[];
  alertmanagerConfig?: string;
  strict?: boolean;
}

function liveOptions(options: ReplayCliOptions, { catalogue }: CommandSetup) {
  if (options.rules.length > 0 || !options.bundledRules || options.keep || options.alertmanagerConfig) {
    throw new UserError(
      '--rules, --no-bundled-rules, --keep and --alertmanager-config apply to simulated mode; live mode uses what the sandbox was started with (sandbox start --rules, --alertmanager-config)',
    );
  }
  const environment = environmentFlagsOf(options, 'live');
  return { forScale: options.forScale, systems: options.system, catalogue, environment };
}

async function simulated(
  refs: string[],
  options: ReplayCliOptions,
  { project, catalogue }: CommandSetup,
  io: CliIo,
) {
  if (options.forScale !== 1) throw new UserError('--for-scale applies to --mode live only');
  environmentFlagsOf(options, 'simulated');
  exitOnSignals();
  return replay(refs, {
    systems: catalogue,
    rules: [...(project?.rules ?? []), ...options.rules],
    bundledRules: options.bundledRules && project?.bundledRules !== false,
    keepDir: options.keep,
    alertmanagerConfig: options.alertmanagerConfig ?? project?.alertmanagerConfig,
    projectAlerts: project?.alerts,
    strict: options.strict,
    onWarning: (line) => io.status(line),
  });
}

export function registerReplay(program: Command, io: CliIo): void {
  const command = program
    .command('replay')
    .description(summaryOf('replay'))
    .argument(
      '[scenarios...]',
      "bundled scenario names or scenario files (default: the project file's scenarios, else every bundled one)",
    )
    .addOption(
      new Option('--mode <mode>', 'simulated (virtual time through promtool) or live')
        .choices(['simulated', 'live'])
        .default('simulated'),
    )
    .option('--rules <path>', 'also load these rule files or directories (repeatable)', collect, [])
    .option('--no-bundled-rules', 'leave out the rules that come with the systems')
    .option('--json', 'print the results as JSON')
    .option('--junit <file>', 'also write a JUnit XML report')
    .option('--keep <dir>', 'keep the generated promtool test files in this directory')
    .option(
      '--strict',
      'a never/silent expectation on an alert whose metrics nothing produces is an error, not a warning (live: exit 1 after the run)',
    )
    .option(
      '--alertmanager-config <file>',
      'your Alertmanager configuration: notifies: expectations are checked against its routing (real amtool)',
    )
    .option('--list', "list the bundled scenarios (and the project file's) and exit")
    .option(
      '--for-scale <x>',
      "live mode: multiply every rule's for: by X in (0, 1] while the scenario runs (reported with the results)",
      parseForScale,
      1,
    );
  withSystemOption(withEnvironmentOptions(command)).action(
    async (refs: string[], options: ReplayCliOptions, cmd: Command) => {
      const setup = await commandSetup(cmd);
      const projectScenarios = await scenarioFilesIn(setup.project?.scenarios ?? []);
      if (options.list) {
        for (const name of await bundledScenarioNames()) io.out(name);
        for (const file of projectScenarios) io.out(relative(process.cwd(), file));
        return;
      }
      const chosen = refs.length > 0 ? refs : projectScenarios;
      if (options.junit) await assertOutputFileWritable(options.junit, '--junit');
      const results =
        options.mode === 'live'
          ? await replayLiveCli(chosen, liveOptions(options, setup), io)
          : await simulated(chosen, options, setup, io);
      if (options.junit) await writeOutputFile(options.junit, formatJunit(results), '--junit');
      if (options.json) io.out(JSON.stringify(results));
      else for (const line of formatTable(results)) io.out(line);
      if (results.some((r) => !r.passed)) process.exitCode = 1;
      // Simulated mode refuses them before replaying; live mode can tell only once the run has the metrics.
      const vacuous = results.flatMap((r) => r.vacuous ?? []);
      if (options.strict && vacuous.length > 0) {
        io.status(
          `replay --strict failed: ${vacuous.length} never/silent expectation(s) pass vacuously (their alerts read only metrics nothing produces; see the warnings above)`,
        );
        process.exitCode = 1;
      }
    },
  );
}
