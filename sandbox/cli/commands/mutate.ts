import { InvalidArgumentError, type Command } from 'commander';
import { exitOnSignals } from '../../cleanup.js';
import { mutate } from '../../mutate/mutation-testing.js';
import { formatMutationJunit, formatMutationTable } from '../../mutate/mutation-report.js';
import { scenarioFilesIn } from '../../scenario/scenario-catalogue.js';
import { commandSetup, withSystemOption } from '../command-setup.js';
import { collect } from '../options.js';
import type { CliIo } from '../io.js';
import { summaryOf } from '../command-table.js';
import { assertOutputFileWritable, writeOutputFile } from '../../user-output-file.js';

interface MutateCliOptions {
  rules: string[];
  bundledRules: boolean;
  alert: string[];
  json?: boolean;
  junit?: string;
  minScore: number;
}

/** `--min-score`: a percentage from 0 to 100. */
function parseMinScore(value: string): number {
  const n = Number(value);
  if (value.trim() === '' || !Number.isFinite(n) || n < 0 || n > 100)
    throw new InvalidArgumentError('must be a percentage from 0 to 100, e.g. 80');
  return n;
}

export function registerMutate(program: Command, io: CliIo): void {
  const command = program
    .command('mutate')
    .description(summaryOf('mutate'))
    .argument(
      '[scenarios...]',
      "bundled scenario names or scenario files (default: the project file's scenarios, else every bundled one)",
    )
    .option('--rules <path>', 'also load these rule files or directories (repeatable)', collect, [])
    .option('--no-bundled-rules', 'leave out the rules that come with the systems')
    .option(
      '--alert <name>',
      'mutate only this alert (repeatable; default: every alerting rule)',
      collect,
      [],
    )
    .option('--json', 'print the report as JSON')
    .option('--junit <file>', 'also write a JUnit XML report (a surviving mutant is a failed test)')
    .option(
      '--min-score <percent>',
      'exit 1 when the mutation score is below this (default 0: report only)',
      parseMinScore,
      0,
    );
  withSystemOption(command).action(async (refs: string[], options: MutateCliOptions, cmd: Command) => {
    const { project, catalogue } = await commandSetup(cmd);
    const chosen = refs.length > 0 ? refs : await scenarioFilesIn(project?.scenarios ?? []);
    if (options.junit) await assertOutputFileWritable(options.junit, '--junit');
    exitOnSignals();
    const report = await mutate(chosen, {
      systems: catalogue,
      rules: [...(project?.rules ?? []), ...options.rules],
      bundledRules: options.bundledRules && project?.bundledRules !== false,
      alerts: options.alert,
      projectAlerts: project?.alerts,
    });
    if (options.junit) await writeOutputFile(options.junit, formatMutationJunit(report), '--junit');
    if (options.json) io.out(JSON.stringify(report));
    else for (const line of formatMutationTable(report)) io.out(line);
    const baselineFailed = report.scenarios.some((s) => s.passed === false);
    if (baselineFailed || report.score * 100 < options.minScore) process.exitCode = 1;
  });
}
