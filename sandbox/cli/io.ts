import { redactUrlsIn } from '../../generators/outputs/display-url.js';
import { UserError } from '../../generators/user-error.js';

/** Where commands write: results to stdout, progress and problems to stderr. */
export interface CliIo {
  out(line: string): void;
  status(line: string): void;
}

export const processIo: CliIo = {
  out: (line) => process.stdout.write(`${line}\n`),
  status: (line) => process.stderr.write(`sandbox: ${line}\n`),
};

/**
 * An error no command handled, as one line (`sandbox: ...`, with the stack after it under --debug); returns
 * the exit code: a UserError's own, else 1.
 */
export function reportError(error: unknown, debug: boolean, io: CliIo): number {
  const stack = () => {
    if (debug && error instanceof Error && error.stack)
      process.stderr.write(`${redactUrlsIn(error.stack)}\n`);
  };
  if (error instanceof UserError) {
    io.status(redactUrlsIn(error.message));
    stack();
    return error.exitCode;
  }
  // An Error without a message still says what it is (its class); anything else thrown, what it is.
  const message = error instanceof Error ? error.message || error.name : String(error);
  io.status(`internal error: ${redactUrlsIn(message)}${debug ? '' : ' (run with --debug for details)'}`);
  stack();
  return 1;
}
