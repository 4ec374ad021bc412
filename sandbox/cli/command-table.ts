/**
 * One command of the CLI: what `sandbox --help` says of it. Its module, which reads its summary from here,
 * is in command-modules.ts (this table importing the commands would be an import cycle).
 */
export interface CommandEntry {
  name: string;
  /** Its arguments, as the top-level help lists them. */
  usage: string;
  summary: string;
}

export const COMMANDS = [
  {
    name: 'start',
    usage: '[options]',
    summary:
      'start the stack (Prometheus, Alertmanager, Grafana, Loki, Jaeger) and the generators feeding it, in the terminal UI',
  },
  {
    name: 'status',
    usage: '[options]',
    summary: 'show the running sandbox (from another terminal)',
  },
  {
    name: 'down',
    usage: '[options]',
    summary: 'stop the running sandbox and remove everything it left (processes, containers, data)',
  },
  {
    name: 'generate',
    usage: '[options]',
    summary: 'run the traffic generators live: one Prometheus scrape target per simulated service',
  },
  {
    name: 'faults',
    usage: '[options]',
    summary: 'list the faults the generators can inject, with their parameters (and the traffic knobs)',
  },
  {
    name: 'replay',
    usage: '[options] [scenarios...]',
    summary:
      'replay scenarios and check which alerts fire (simulated: hours of traffic through the real promtool in seconds)',
  },
  {
    name: 'check',
    usage: '[options]',
    summary:
      'validate rule files with promtool, replay every scenario, and report in which scenarios each alert actually fires',
  },
  {
    name: 'mutate',
    usage: '[options] [scenarios...]',
    summary:
      'mutation testing of alert rules: change each rule slightly and check that some scenario notices',
  },
  {
    name: 'compose',
    usage: '[options]',
    summary: 'write the stack as a plain docker-compose file with its service configs',
  },
  {
    name: 'k8s',
    usage: '[options]',
    summary:
      'write the generators, rules and dashboards as Kubernetes manifests (kustomize) for kube-prometheus-stack',
  },
  {
    name: 'install',
    usage: '[options] [names...]',
    summary:
      'find or provision the real binaries (default: prometheus, promtool, alertmanager) into the per-user cache',
  },
] as const satisfies readonly CommandEntry[];

export type CommandName = (typeof COMMANDS)[number]['name'];

/** The one-line description of a command, for its module's own `.description()`. */
export function summaryOf(name: string): string {
  const entry = COMMANDS.find((c) => c.name === name);
  if (!entry) throw new Error(`no command ${name} in the command table`);
  return entry.summary;
}
