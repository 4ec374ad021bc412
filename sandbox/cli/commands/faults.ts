import type { Command } from 'commander';
import {
  describeDefault,
  describeType,
  type ParamSpec,
} from '../../../generators/model/faults/definition.js';
import { commandSetup, withSystemOption } from '../command-setup.js';
import type { CliIo } from '../io.js';
import { summaryOf } from '../command-table.js';

function paramRows(params: Readonly<Record<string, ParamSpec>>): string[] {
  return Object.entries(params).map(
    ([name, spec]) =>
      `      ${`${name}=${describeDefault(spec)}`.padEnd(30)} ${spec.description} (${describeType(spec)})`,
  );
}

function paramJson(params: Readonly<Record<string, ParamSpec>>) {
  return Object.entries(params).map(([name, spec]) => ({ name, ...spec }));
}

export function registerFaults(program: Command, io: CliIo): void {
  const command = program
    .command('faults')
    .description(summaryOf('faults'))
    .option('--json', 'print as JSON');
  withSystemOption(command).action(async (options: { json?: boolean }, cmd: Command) => {
    const { catalogue } = await commandSetup(cmd);
    const faults = catalogue.faults.list();
    const knobs = catalogue.knobs;
    if (options.json) {
      io.out(
        JSON.stringify({
          faults: faults.map((f) => ({ ...f, params: paramJson(f.params) })),
          knobs: paramJson(knobs),
        }),
      );
      return;
    }
    io.out('Faults (switch on with --fault NAME[:param=value,...]):');
    for (const fault of faults) {
      const alerts = fault.alerts.length > 0 ? `  → ${fault.alerts.join(', ')}` : '';
      io.out(`  ${fault.name.padEnd(28)} [${fault.service}] ${fault.summary}${alerts}`);
      for (const row of paramRows(fault.params)) io.out(row);
    }
    io.out('');
    io.out('Traffic knobs (set with --knob name=value):');
    for (const row of paramRows(knobs)) io.out(row);
  });
}
