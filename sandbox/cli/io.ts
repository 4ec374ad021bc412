/** Where commands write: results to stdout, progress and problems to stderr. */
export interface CliIo {
  out(line: string): void;
  status(line: string): void;
}

export const processIo: CliIo = {
  out: (line) => process.stdout.write(`${line}\n`),
  status: (line) => process.stderr.write(`sandbox: ${line}\n`),
};
