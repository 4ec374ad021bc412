import type { ServiceBoard } from './service-board.js';
import { SERVICE_MODULES, type StackService } from './services/registry.js';
import type {
  RenderContext,
  ScrapeJob,
  StackServiceModule,
  StackSettings,
} from './services/service-module.js';
import type { StackAddresses } from './stack-topology.js';

type Module = StackServiceModule<StackService>;

/** The trace backend among a stack's services. */
export function tracesOf(modules: readonly Module[]): { name: string; title: string } {
  const backend = modules.find((m) => m.traceBackend);
  if (!backend) throw new Error('a stack needs a trace backend');
  return { name: backend.name, title: backend.title };
}

/** Every service's Grafana datasource, the default one (Prometheus) first as Grafana lists it. */
export function datasourcesOf(modules: readonly Module[], addresses: StackAddresses): object[] {
  const traces = tracesOf(modules);
  const all = modules.flatMap((m) => (m.datasource ? [m.datasource(addresses, traces)] : []));
  const isDefault = (d: object) => 'isDefault' in d && d.isDefault === true;
  return [...all.filter(isDefault), ...all.filter((d) => !isDefault(d))];
}

export function scrapeJob(module: Module, addresses: StackAddresses): ScrapeJob {
  return { job: module.name, address: addresses.service(module.name) };
}

/**
 * What a runtime renders every service's files from. Prometheus scrapes the services that run, the one
 * starting, and those to start after it that `available` says can.
 */
export function renderContext(
  modules: readonly Module[],
  settings: StackSettings,
  addresses: StackAddresses,
  board: ServiceBoard,
  available: (module: Module) => Promise<boolean>,
): RenderContext {
  return {
    settings: { ...settings, bundledDashboards: dashboardsFor(modules, settings.bundledDashboards) },
    addresses,
    datasources: datasourcesOf(modules, addresses),
    traces: tracesOf(modules),
    scrapeJobs: async () => {
      const jobs: ScrapeJob[] = [];
      for (const module of modules.filter((m) => m.scraped)) {
        const state = board.statuses.get(module.name)?.state;
        const runs =
          state === 'running' || state === 'starting' || (state === undefined && (await available(module)));
        if (runs) jobs.push(scrapeJob(module, addresses));
      }
      return jobs;
    },
  };
}

type Json = Record<string, unknown>;

/**
 * The dashboards with their traces panels on the stack's trace backend: a panel written for another one
 * (the bundled ones are written for Jaeger) searches the same service's traces in this one.
 */
export function dashboardsFor(
  modules: readonly Module[],
  dashboards: Readonly<Record<string, unknown>>,
): Record<string, unknown> {
  const backend = modules.find((m) => m.traceBackend);
  const others = new Set<string>(
    SERVICE_MODULES.filter((m) => m.traceBackend && m.name !== backend?.name).map((m) => m.name),
  );
  const onOther = (node: Json) => others.has(String((node.datasource as Json | undefined)?.uid));
  const retarget = (node: unknown): unknown => {
    if (Array.isArray(node)) return node.map(retarget);
    if (node === null || typeof node !== 'object') return node;
    const panel = node as Json;
    if (backend?.traceSearch && Array.isArray(panel.targets) && onOther(panel)) {
      const targets = (panel.targets as Json[]).map((t) => ({
        refId: t.refId,
        ...backend.traceSearch!(String(t.service ?? '')),
      }));
      return { ...panel, datasource: targets[0]?.datasource ?? panel.datasource, targets };
    }
    return Object.fromEntries(Object.entries(panel).map(([k, v]) => [k, retarget(v)]));
  };
  if (others.size === 0 || !backend) return { ...dashboards };
  return Object.fromEntries(Object.entries(dashboards).map(([name, d]) => [name, retarget(d)]));
}
