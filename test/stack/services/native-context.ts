import type { NativeContext, StackServiceModule } from '../../../sandbox/stack/services/service-module.js';
import { nativeAddresses } from '../../../sandbox/stack/stack-topology.js';

/** What the native runtime renders a service's files from, on its default ports, under `dataDir`. */
export function nativeContext(module: StackServiceModule, dataDir: string): NativeContext {
  return {
    settings: { ruleFiles: [], grafanaPassword: 'secret', bundledDashboards: {} },
    addresses: nativeAddresses({ [module.name]: module.ports, loki: 3100 }, [], 9479),
    scrapeJobs: async () => [],
    datasources: [],
    traces: { name: 'jaeger', title: 'Jaeger' },
    dataDir,
    root: `${dataDir}/${module.name}`,
    ports: module.ports,
  };
}
