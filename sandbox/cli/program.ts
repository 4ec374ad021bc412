import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Command, CommanderError } from 'commander';
import { packageRoot } from '../../generators/package-root.js';
import { COMMAND_MODULES } from './command-modules.js';
import { COMMANDS } from './command-table.js';
import { reportError, type CliIo } from './io.js';
import { redactCommanderLine } from './secret-arguments.js';

/**
 * Commander's error as one line (its "(Did you mean ...?)" comes on a line of its own), with the way to
 * usage unless the message already says what is valid (an invalid argument's does).
 */
function commanderErrorLine(text: string): string {
  const line = redactCommanderLine(
    text
      .replace(/^error: /, '')
      .trim()
      .replace(/\s*\n\s*/g, ' '),
  );
  return / is invalid\. /.test(line) ? line : `${line}; add --help for usage`;
}

function packageVersion(): string {
  return (JSON.parse(readFileSync(join(packageRoot(), 'package.json'), 'utf8')) as { version: string })
    .version;
}

/** The command a command line runs (`help replay` asks for replay's help), past the global options. */
export function commandWord(argv: readonly string[]): string | undefined {
  const words: string[] = [];
  for (let i = 0; i < argv.length && words.length < 2; i++) {
    const arg = argv[i]!;
    if (arg === '--config') i++;
    else if (!arg.startsWith('-')) words.push(arg);
  }
  return words[0] === 'help' ? words[1] : words[0];
}

/**
 * The CLI, with only the command that runs loaded: each command's module brings its own dependencies
 * (the stack, the model, the terminal UI), and loading all of them would cost every command, `--help`
 * included, a second or more. Without a known command, the table stands in for them in the help.
 */
export async function createProgram(
  io: CliIo,
  argv: readonly string[] = [],
  onErrorOutput: () => void = () => undefined,
): Promise<Command> {
  const program = new Command('sandbox')
    .description('A local observability sandbox for verifiable-ledger services')
    .version(packageVersion(), '-V, --version', 'print the version')
    .option('--debug', 'print stack traces of errors')
    .option('--config <file>', 'project file (default: ./obs-sandbox.yaml when there is one)')
    .exitOverride()
    .configureOutput({
      writeOut: (text) => process.stdout.write(text),
      writeErr: (text) => {
        onErrorOutput();
        return process.stderr.write(text);
      },
      outputError: (text) => {
        onErrorOutput();
        process.stderr.write(`sandbox: ${commanderErrorLine(text)}\n`);
      },
    });
  const word = commandWord(argv);
  const chosen = COMMANDS.find((c) => c.name === word);
  if (chosen) await COMMAND_MODULES[chosen.name](program, io);
  else for (const c of COMMANDS) program.command(`${c.name} ${c.usage}`.trim()).description(c.summary);
  return program;
}

/** Runs the CLI and returns the exit code; errors are printed as one line unless --debug. */
export async function runCli(argv: readonly string[], io: CliIo): Promise<number> {
  let commanderPrinted = false;
  try {
    const program = await createProgram(io, argv, () => (commanderPrinted = true));
    await program.parseAsync([...argv], { from: 'user' });
    return 0;
  } catch (error) {
    if (error instanceof CommanderError) {
      if (error.exitCode === 0) return 0;
      // Commander has printed its own errors; one thrown by a command's action (an option parser reused
      // there) has not.
      if (!commanderPrinted) io.status(commanderErrorLine(error.message));
      return 2;
    }
    return reportError(error, argv.includes('--debug'), io);
  }
}
