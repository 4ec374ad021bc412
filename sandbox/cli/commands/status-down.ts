import type { Command } from 'commander';
import { rm } from 'node:fs/promises';
import { UserError } from '../../../generators/model/errors.js';
import { MANAGED_LABEL, docker, engineAvailable } from '../../docker/engine.js';
import { processAlive, readState, removeState } from '../../stack/state.js';
import type { CliIo } from '../io.js';
import { printSummary } from './start-output.js';

async function healthy(url: string): Promise<boolean> {
  return fetch(url, { signal: AbortSignal.timeout(1500) }).then(
    () => true,
    () => false,
  );
}

export function registerStatus(program: Command, io: CliIo): void {
  program
    .command('status')
    .description('show the running sandbox (from another terminal)')
    .option('--json', 'print the state as JSON')
    .action(async (options: { json?: boolean }) => {
      const state = await readState();
      if (!state || !processAlive(state.pid)) {
        throw new UserError(
          state
            ? `the sandbox (pid ${state.pid}) is not running any more; \`sandbox down\` cleans up after it`
            : 'no sandbox is running; start one with `sandbox start`',
          3,
        );
      }
      for (const s of state.services)
        if (s.state === 'running' && s.url && !(await healthy(s.url))) s.state = 'crashed';
      if (options.json) io.out(JSON.stringify(state));
      else printSummary(state, io);
    });
}

export function registerDown(program: Command, io: CliIo): void {
  program
    .command('down')
    .description('stop the running sandbox and remove everything it left (processes, containers, data)')
    .action(async () => {
      const state = await readState();
      let removed = 0;
      if (state) {
        if (processAlive(state.pid)) {
          process.kill(state.pid, 'SIGTERM');
          const deadline = Date.now() + 20_000;
          while (processAlive(state.pid) && Date.now() < deadline)
            await new Promise((r) => setTimeout(r, 100));
          if (processAlive(state.pid)) process.kill(state.pid, 'SIGKILL');
          io.out(`stopped the sandbox (pid ${state.pid})`);
          removed++;
        }
        for (const s of state.services) {
          if (s.pid !== undefined && processAlive(s.pid)) {
            process.kill(-s.pid, 'SIGKILL');
            io.out(`killed leftover ${s.service} (process group ${s.pid})`);
            removed++;
          }
        }
        await rm(state.dataDir, { recursive: true, force: true });
        await removeState();
      }
      if (await engineAvailable()) {
        const containers = await docker().listContainers({
          all: true,
          filters: { label: [`${MANAGED_LABEL}=true`] },
        });
        for (const c of containers) {
          await docker().getContainer(c.Id).remove({ force: true });
          io.out(`removed container ${c.Names[0] ?? c.Id}`);
          removed++;
        }
        const networks = await docker().listNetworks({ filters: { label: [`${MANAGED_LABEL}=true`] } });
        for (const n of networks) {
          await docker().getNetwork(n.Id).remove();
          io.out(`removed network ${n.Name}`);
          removed++;
        }
      }
      io.out(removed === 0 && !state ? 'nothing to clean up' : 'done');
    });
}
