import { alertmanager } from './alertmanager.js';
import { grafana } from './grafana.js';
import { jaeger } from './jaeger.js';
import { loki } from './loki.js';
import { prometheus } from './prometheus.js';
import type { StackServiceModule } from './service-module.js';
import { tempo } from './tempo.js';

/**
 * Every stack service, in start order: receivers before senders (Loki and the trace backends before the
 * generators, Alertmanager before Prometheus), Grafana last.
 */
export const SERVICE_MODULES = [loki, jaeger, tempo, alertmanager, prometheus, grafana] as const;

export type StackService = (typeof SERVICE_MODULES)[number]['name'];

export const TRACE_BACKENDS = SERVICE_MODULES.filter((m) => m.traceBackend).map((m) => m.name);
export const DEFAULT_TRACES = 'jaeger';

/** The services of one stack: all but the trace backends not chosen. */
export function stackModules(traces: string = DEFAULT_TRACES): readonly StackServiceModule<StackService>[] {
  return SERVICE_MODULES.filter((m) => !m.traceBackend || m.name === traces);
}

/** The highest port any service listens on by default (native or in a container). */
export const HIGHEST_DEFAULT_PORT = Math.max(...SERVICE_MODULES.flatMap((m) => Object.values(m.ports)));
