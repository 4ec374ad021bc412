import { Command, CommanderError } from 'commander';
import { UserError } from '../../generators/model/errors.js';
import { registerCheck } from './commands/check.js';
import { registerCompose } from './commands/compose.js';
import { registerFaults } from './commands/faults.js';
import { registerGenerate } from './commands/generate.js';
import { registerInstall } from './commands/install.js';
import { registerMutate } from './commands/mutate.js';
import { registerReplay } from './commands/replay.js';
import { registerStart } from './commands/start.js';
import { registerDown, registerStatus } from './commands/status-down.js';
import type { CliIo } from './io.js';

/**
 * Commander's error as one line (its "(Did you mean ...?)" comes on a line of its own), with the way to
 * usage unless the message already says what is valid (an invalid argument's does).
 */
function commanderErrorLine(text: string): string {
  const line = text
    .replace(/^error: /, '')
    .trim()
    .replace(/\s*\n\s*/g, ' ');
  return / is invalid\. /.test(line) ? line : `${line}; add --help for usage`;
}

export function createProgram(io: CliIo): Command {
  const program = new Command('sandbox')
    .description('A local observability sandbox for verifiable-ledger services')
    .option('--debug', 'print stack traces of errors')
    .option('--config <file>', 'project file (default: ./obs-sandbox.yaml when there is one)')
    .exitOverride()
    .configureOutput({
      writeOut: (text) => process.stdout.write(text),
      writeErr: (text) => process.stderr.write(text),
      outputError: (text) => process.stderr.write(`sandbox: ${commanderErrorLine(text)}\n`),
    });
  registerStart(program, io);
  registerStatus(program, io);
  registerDown(program, io);
  registerGenerate(program, io);
  registerFaults(program, io);
  registerReplay(program, io);
  registerCheck(program, io);
  registerMutate(program, io);
  registerCompose(program, io);
  registerInstall(program, io);
  return program;
}

/** Runs the CLI and returns the exit code; errors are printed as one line unless --debug. */
export async function runCli(argv: readonly string[], io: CliIo): Promise<number> {
  const program = createProgram(io);
  try {
    await program.parseAsync([...argv], { from: 'user' });
    return 0;
  } catch (error) {
    if (error instanceof CommanderError) {
      return error.exitCode === 0 ? 0 : 2;
    }
    const debug = argv.includes('--debug');
    if (error instanceof UserError) {
      io.status(error.message);
      if (debug && error.stack) process.stderr.write(`${error.stack}\n`);
      return error.exitCode;
    }
    const message = error instanceof Error ? error.message : String(error);
    io.status(`internal error: ${message}${debug ? '' : ' (run with --debug for details)'}`);
    if (debug && error instanceof Error && error.stack) process.stderr.write(`${error.stack}\n`);
    return 1;
  }
}
