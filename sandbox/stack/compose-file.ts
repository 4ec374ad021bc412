import { readUserFile } from '../../generators/model/user-file.js';
import { basename, dirname } from 'node:path';
import { stringify } from 'yaml';
import { TYPESCRIPT_SYSTEMS } from '../../generators/systems/index.js';
import { targetsOf } from '../../generators/systems/targets.js';
import { collectRuleFiles } from '../rules/rule-files.js';
import { DEFAULT_SYSTEMS, SystemCatalogue } from '../systems/system-catalogue.js';
import { bundledSystemFiles } from '../systems/system-refs.js';
import { bundledDashboards } from './dashboards/bundled.js';
import { MANAGED_LABEL } from './docker/engine.js';
import { stackModules, type StackService } from './services/registry.js';
import type {
  ComposeContext,
  ComposeService,
  Ingest,
  StackServiceModule,
} from './services/service-module.js';
import { dashboardsFor, datasourcesOf, scrapeJob, tracesOf } from './stack-plan.js';
import { containerAddresses, type StackAddresses } from './stack-topology.js';

const GENERATOR_PORT = 9470;
const WEBHOOK_PORT = 9479;

type Module = StackServiceModule<StackService>;

/** Within the compose network every service is reached by its name, the generators included. */
function composeAddresses(catalogue: SystemCatalogue, modules: readonly Module[]): StackAddresses {
  const generators = targetsOf(catalogue.systems).map(({ job }, i) => ({ job, port: GENERATOR_PORT + i }));
  const ports = Object.fromEntries(modules.map((m) => [m.name, m.ports]));
  return containerAddresses(ports, generators, 'generators', WEBHOOK_PORT);
}

/** URL, on the compose network, of the service that takes the generators' logs or traces. */
function ingestUrl(modules: readonly Module[], kind: Ingest['kind']): string {
  const module = modules.find((m) => m.ingest?.kind === kind)!;
  return `http://${module.name}:${module.ports[module.ingest!.port]}`;
}

const HEADER = '# Rendered by `sandbox compose` from the service catalogue; edit the code, not this file.\n';

/**
 * How the generators container is told about systems beyond the default set: bundled ones by name, others
 * from their file's directory, mounted read-only (a system file may name rule files beside it).
 */
function composeSystems(catalogue: SystemCatalogue): { args: string[]; volumes: string[] } {
  const args: string[] = [];
  const volumes: string[] = [];
  const bundled = bundledSystemFiles();
  for (const name of catalogue.names) {
    if ((DEFAULT_SYSTEMS as readonly string[]).includes(name)) continue;
    const source = catalogue.find(name)?.source;
    if (name in TYPESCRIPT_SYSTEMS || !source || bundled.get(name) === source) {
      args.push('--system', name);
      continue;
    }
    volumes.push(`${dirname(source)}:/systems/${name}:ro`);
    args.push('--system', `/systems/${name}/${basename(source)}`);
  }
  return { args, volumes };
}

function composeFile(
  catalogue: SystemCatalogue,
  modules: readonly Module[],
  services: ReadonlyMap<StackService, ComposeService>,
): string {
  const systems = composeSystems(catalogue);
  const loopback = (port: number) => `127.0.0.1:${port}:${port}`;
  const labels = { [MANAGED_LABEL]: 'true' };
  return (
    HEADER +
    '# Start: npm install && GRAFANA_ADMIN_PASSWORD=... docker compose -f compose/docker-compose.yml up\n' +
    '# Every port is published on 127.0.0.1 only.\n' +
    stringify(
      {
        name: 'obs-sandbox',
        services: {
          generators: {
            image: 'node:20-bookworm-slim',
            working_dir: '/app',
            volumes: ['..:/app:ro', ...systems.volumes],
            command: [
              'node',
              'dist/sandbox/cli/main.js',
              'generate',
              // Inside the compose network: Prometheus scrapes the container's own address, which no host
              // port publishes beyond loopback.
              '--bind',
              '0.0.0.0',
              '--allow-remote',
              '--port',
              String(GENERATOR_PORT),
              '--loki',
              ingestUrl(modules, 'logs'),
              '--otlp',
              ingestUrl(modules, 'traces'),
              '--webhook-port',
              String(WEBHOOK_PORT),
              // Alertmanager's configuration is a file of this folder, so a secret path would be no secret;
              // the port is published nowhere (the compose network reaches it, and this machine through it).
              '--webhook-open',
              ...systems.args,
            ],
            labels,
          },
          ...Object.fromEntries(
            modules.map((m) => {
              const service = services.get(m.name)!;
              return [
                m.name,
                {
                  image: m.image,
                  command: service.command,
                  environment: service.environment,
                  volumes: service.volumes,
                  ports: service.publish.map((p) => loopback(m.ports[p]!)),
                  labels,
                },
              ];
            }),
          ),
        },
      },
      { aliasDuplicateObjects: false },
    )
  );
}

/** Every file of the compose variant, by path relative to the compose directory. */
export async function renderCompose(
  catalogue = SystemCatalogue.defaults(),
  traces?: string,
): Promise<Record<string, string>> {
  const modules = stackModules(traces);
  const addresses = composeAddresses(catalogue, modules);
  const ruleFiles = await collectRuleFiles([], catalogue.ruleFiles);
  const ctx: ComposeContext = {
    addresses,
    ruleFiles: await Promise.all(
      ruleFiles.map(async (f) => ({ name: basename(f), content: await readUserFile(f, 'rule file') })),
    ),
    bundledDashboards: dashboardsFor(modules, bundledDashboards(catalogue.systems)),
    datasources: datasourcesOf(modules, addresses),
    traces: tracesOf(modules),
    scrapeJobs: modules.filter((m) => m.scraped).map((m) => scrapeJob(m, addresses)),
  };
  const services = new Map(modules.map((m) => [m.name, m.compose(ctx)]));
  const files: Record<string, string> = { 'docker-compose.yml': composeFile(catalogue, modules, services) };
  for (const service of services.values()) {
    for (const [path, content] of Object.entries(service.files)) files[path] = HEADER + content;
  }
  for (const service of services.values()) Object.assign(files, service.copies);
  return files;
}
