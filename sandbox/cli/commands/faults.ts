import type { Command } from 'commander';
import {
  describeDefault,
  describeType,
  type ParamSpec,
} from '../../../generators/model/faults/definition.js';
import { FaultCatalogue } from '../../../generators/model/faults/catalogue.js';
import { defaultSystems } from '../../../generators/systems/index.js';
import type { CliIo } from '../io.js';

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
  program
    .command('faults')
    .description('list the faults the generators can inject, with their parameters (and the traffic knobs)')
    .option('--json', 'print as JSON')
    .action((options: { json?: boolean }) => {
      const systems = defaultSystems();
      const faults = new FaultCatalogue(systems.flatMap((s) => s.faults)).list();
      const knobs = Object.assign({}, ...systems.map((s) => s.knobs)) as Record<string, ParamSpec>;
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
