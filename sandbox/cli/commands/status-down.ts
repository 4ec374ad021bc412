import type { Command } from 'commander';
import { UserError } from '../../../generators/user-error.js';
import { removeLeftovers } from '../../stack/leftovers.js';
import { publicState, readState, removeState, sandboxAlive, stateDir } from '../../stack/state.js';
import type { CliIo } from '../io.js';
import { printSummary } from './start-output.js';
import { fetchPushes, pushesJson, pushLines } from './status-pushes.js';
import { summaryOf } from '../command-table.js';

async function healthy(url: string): Promise<boolean> {
  return fetch(url, { signal: AbortSignal.timeout(1500) }).then(
    () => true,
    () => false,
  );
}

export function registerStatus(program: Command, io: CliIo): void {
  program
    .command('status')
    .description(summaryOf('status'))
    .option('--json', 'print the state as JSON')
    .action(async (options: { json?: boolean }) => {
      const state = await readState();
      if (!state || !sandboxAlive(state)) {
        throw new UserError(
          state
            ? `the sandbox (pid ${state.pid}) is not running any more; \`sandbox down\` cleans up after it`
            : 'no sandbox is running; start one with `sandbox start`',
          3,
        );
      }
      for (const s of state.services)
        if (s.state === 'running' && s.url && !(await healthy(s.url))) s.state = 'crashed';
      if (state.phase === 'starting') {
        if (options.json) io.out(JSON.stringify(publicState(state)));
        else io.out(`the sandbox (pid ${state.pid}) is starting`);
        return;
      }
      // The pushes' counts live in the sandbox process only: the state file holds no URL of theirs.
      const pushes = state.control ? await fetchPushes(state.control) : { outputs: [] };
      if (options.json) {
        io.out(JSON.stringify({ ...publicState(state), ...pushesJson(pushes) }));
        return;
      }
      printSummary(state, io);
      for (const line of pushLines(pushes)) io.out(line);
    });
}

export function registerDown(program: Command, io: CliIo): void {
  program
    .command('down')
    .description(summaryOf('down'))
    .action(async () => {
      const state = await readState();
      const acted = await removeLeftovers(stateDir(), state, io.out);
      await removeState();
      io.out(acted === 0 && !state ? 'nothing to clean up' : 'done');
    });
}
