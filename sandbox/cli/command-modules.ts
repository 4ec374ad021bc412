import type { Command } from 'commander';
import type { CommandName } from './command-table.js';
import type { CliIo } from './io.js';

/**
 * Loads a command's module (only when the command runs or its own help is asked for) and registers it:
 * each brings its own dependencies (the stack, the model, the terminal UI), which `--help` must not pay for.
 */
export const COMMAND_MODULES: Record<CommandName, (program: Command, io: CliIo) => Promise<void>> = {
  start: async (p, io) => (await import('./commands/start.js')).registerStart(p, io),
  status: async (p, io) => (await import('./commands/status-down.js')).registerStatus(p, io),
  down: async (p, io) => (await import('./commands/status-down.js')).registerDown(p, io),
  generate: async (p, io) => (await import('./commands/generate.js')).registerGenerate(p, io),
  faults: async (p, io) => (await import('./commands/faults.js')).registerFaults(p, io),
  replay: async (p, io) => (await import('./commands/replay.js')).registerReplay(p, io),
  check: async (p, io) => (await import('./commands/check.js')).registerCheck(p, io),
  mutate: async (p, io) => (await import('./commands/mutate.js')).registerMutate(p, io),
  compose: async (p, io) => (await import('./commands/compose.js')).registerCompose(p, io),
  k8s: async (p, io) => (await import('./commands/k8s.js')).registerK8s(p, io),
  install: async (p, io) => (await import('./commands/install.js')).registerInstall(p, io),
};
