import { InvalidArgumentError, type Command } from 'commander';
import { BINARY_NAMES, ensureBinary, type BinaryName } from '../../binaries/index.js';
import type { CliIo } from '../io.js';
import { summaryOf } from '../command-table.js';

const DEFAULT = ['prometheus', 'promtool', 'alertmanager'] as const;

function binaryName(value: string, previous: BinaryName[] = []): BinaryName[] {
  if (!(BINARY_NAMES as readonly string[]).includes(value)) {
    throw new InvalidArgumentError(`must be one of ${BINARY_NAMES.join(', ')}`);
  }
  return [...previous, value as BinaryName];
}

export function registerInstall(program: Command, io: CliIo): void {
  program
    .command('install')
    .description(summaryOf('install'))
    .argument('[names...]', `any of ${BINARY_NAMES.join(', ')}`, binaryName)
    .option('--offline', 'do not try the official release download')
    .option('--json', 'print the resolved binaries as JSON')
    .action(async (names: string[], options: { offline?: boolean; json?: boolean }) => {
      const wanted =
        names.length === 0 ? [...DEFAULT] : names.reduce<BinaryName[]>((all, n) => binaryName(n, all), []);
      const resolved = [];
      for (const name of wanted) {
        const binary = await ensureBinary(name, { offline: options.offline });
        resolved.push(binary);
        if (!options.json)
          io.out(`${name.padEnd(13)} ${binary.version.padEnd(8)} ${binary.path} (${binary.source})`);
      }
      if (options.json) io.out(JSON.stringify(resolved));
    });
}
