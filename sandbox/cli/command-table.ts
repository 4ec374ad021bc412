import type { Command } from 'commander';
import type { CliIo } from './io.js';

/** One command of the CLI: what `sandbox --help` says of it, and the module that defines it. */
export interface CommandEntry {
  name: string;
  /** Its arguments, as the top-level help lists them. */
  usage: string;
  summary: string;
  /** Loads the command's module (only when the command runs or its own help is asked for) and registers it. */
  register(program: Command, io: CliIo): Promise<void>;
}

export const COMMANDS: readonly CommandEntry[] = [
  {
    name: 'start',
    usage: '[options]',
    summary:
      'start the stack (Prometheus, Alertmanager, Grafana, Loki, Jaeger) and the generators feeding it, in the terminal UI',
    register: async (p, io) => (await import('./commands/start.js')).registerStart(p, io),
  },
  {
    name: 'status',
    usage: '[options]',
    summary: 'show the running sandbox (from another terminal)',
    register: async (p, io) => (await import('./commands/status-down.js')).registerStatus(p, io),
  },
  {
    name: 'down',
    usage: '[options]',
    summary: 'stop the running sandbox and remove everything it left (processes, containers, data)',
    register: async (p, io) => (await import('./commands/status-down.js')).registerDown(p, io),
  },
  {
    name: 'generate',
    usage: '[options]',
    summary: 'run the traffic generators live: one Prometheus scrape target per simulated service',
    register: async (p, io) => (await import('./commands/generate.js')).registerGenerate(p, io),
  },
  {
    name: 'faults',
    usage: '[options]',
    summary: 'list the faults the generators can inject, with their parameters (and the traffic knobs)',
    register: async (p, io) => (await import('./commands/faults.js')).registerFaults(p, io),
  },
  {
    name: 'replay',
    usage: '[options] [scenarios...]',
    summary:
      'replay scenarios and check which alerts fire (simulated: hours of traffic through the real promtool in seconds)',
    register: async (p, io) => (await import('./commands/replay.js')).registerReplay(p, io),
  },
  {
    name: 'check',
    usage: '[options]',
    summary:
      'validate rule files with promtool, replay every scenario, and report in which scenarios each alert actually fires',
    register: async (p, io) => (await import('./commands/check.js')).registerCheck(p, io),
  },
  {
    name: 'mutate',
    usage: '[options] [scenarios...]',
    summary:
      'mutation testing of alert rules: change each rule slightly and check that some scenario notices',
    register: async (p, io) => (await import('./commands/mutate.js')).registerMutate(p, io),
  },
  {
    name: 'compose',
    usage: '[options]',
    summary: 'write the stack as a plain docker-compose file with its service configs',
    register: async (p, io) => (await import('./commands/compose.js')).registerCompose(p, io),
  },
  {
    name: 'k8s',
    usage: '[options]',
    summary:
      'write the generators, rules and dashboards as Kubernetes manifests (kustomize) for kube-prometheus-stack',
    register: async (p, io) => (await import('./commands/k8s.js')).registerK8s(p, io),
  },
  {
    name: 'install',
    usage: '[options] [names...]',
    summary:
      'find or provision the real binaries (default: prometheus, promtool, alertmanager) into the per-user cache',
    register: async (p, io) => (await import('./commands/install.js')).registerInstall(p, io),
  },
];

/** The one-line description of a command, for its module's own `.description()`. */
export function summaryOf(name: string): string {
  const entry = COMMANDS.find((c) => c.name === name);
  if (!entry) throw new Error(`no command ${name} in the command table`);
  return entry.summary;
}
