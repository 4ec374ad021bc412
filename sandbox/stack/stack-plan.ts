import type { ServiceBoard } from './service-board.js';
import type { StackService } from './services/registry.js';
import type {
  RenderContext,
  ScrapeJob,
  StackServiceModule,
  StackSettings,
} from './services/service-module.js';
import type { StackAddresses } from './topology.js';

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
    settings,
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
