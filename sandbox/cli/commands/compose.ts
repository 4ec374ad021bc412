import { writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { Option, type Command } from 'commander';
import { renderCompose } from '../../stack/compose-file.js';
import { DEFAULT_TRACES, TRACE_BACKENDS } from '../../stack/services/registry.js';
import { makeUserDirectory } from '../../user-directory.js';
import { commandSetup, withSystemOption } from '../command-setup.js';
import type { CliIo } from '../io.js';
import { summaryOf } from '../command-table.js';

export function registerCompose(program: Command, io: CliIo): void {
  const command = program
    .command('compose')
    .description(summaryOf('compose'))
    .option('--out <dir>', 'directory to write to', 'compose')
    .addOption(
      new Option('--traces <backend>', 'where the generators send their traces')
        .choices(TRACE_BACKENDS)
        .default(DEFAULT_TRACES),
    );
  withSystemOption(command).action(async (options: { out: string; traces: string }, cmd: Command) => {
    const files = await renderCompose((await commandSetup(cmd)).catalogue, options.traces);
    for (const [path, content] of Object.entries(files)) {
      const target = join(options.out, path);
      await makeUserDirectory(dirname(target), '--out');
      await writeFile(target, content);
    }
    io.out(`wrote ${Object.keys(files).length} files to ${options.out}/; start with:`);
    io.out(
      `  npm install && GRAFANA_ADMIN_PASSWORD=<choose one> docker compose -f ${join(options.out, 'docker-compose.yml')} up`,
    );
  });
}
