import type { Command } from 'commander';
import { withSystemOption } from '../command-setup.js';
import { collect } from '../options.js';
import type { CliIo } from '../io.js';
import { summaryOf } from '../command-table.js';
import type { CheckOptions } from './check-run.js';

/** The command and its options; what it runs (promtool, the replays) loads only when it runs, not for --help. */
export function registerCheck(program: Command, io: CliIo): void {
  const command = program
    .command('check')
    .description(summaryOf('check'))
    .option('--rules <path>', 'also check these rule files or directories (repeatable)', collect, [])
    .option('--no-bundled-rules', 'leave out the rules that come with the systems')
    .option('--scenario <ref>', 'also count this scenario file or bundled name (repeatable)', collect, [])
    .option('--json', 'print the report as JSON')
    .option('--no-cache', 'replay every scenario again instead of reusing results of identical inputs')
    .option(
      '--strict',
      'exit 1, saying why, when an alert fires in no replayed scenario, uses a metric nobody produces, or a never/silent expectation passes vacuously',
    );
  withSystemOption(command).action(async (options: CheckOptions, cmd: Command) =>
    (await import('./check-run.js')).runCheck(options, cmd, io),
  );
}
