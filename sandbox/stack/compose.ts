import { readUserFile } from '../../generators/model/user-file.js';
import { basename, dirname } from 'node:path';
import { stringify } from 'yaml';
import { TYPESCRIPT_SYSTEMS } from '../../generators/systems/index.js';
import { targetsOf } from '../../generators/systems/targets.js';
import { collectRuleFiles } from '../rules/rule-files.js';
import { DEFAULT_SYSTEMS, SystemCatalogue } from '../systems/system-catalogue.js';
import { bundledSystemFiles } from '../systems/system-refs.js';
import { alertmanagerConfig } from './configs/alertmanager.js';
import { grafanaDashboardProviders, grafanaDatasources, grafanaEnvironment } from './configs/grafana.js';
import { jaegerConfig } from './configs/jaeger.js';
import { lokiConfig } from './configs/loki.js';
import { prometheusConfig } from './configs/prometheus.js';
import { bundledDashboards } from './dashboards/bundled.js';
import { DEFAULT_IMAGES } from './images.js';
import { MANAGED_LABEL } from '../docker/engine.js';
import { containerAddresses, type StackAddresses } from './topology.js';

const GENERATOR_PORT = 9470;
const WEBHOOK_PORT = 9479;

/** Within the compose network every service is reached by its name, the generators included. */
function composeAddresses(catalogue: SystemCatalogue): StackAddresses {
  const generators = targetsOf(catalogue.systems).map(({ job }, i) => ({ job, port: GENERATOR_PORT + i }));
  return containerAddresses(generators, 'generators', WEBHOOK_PORT);
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

function composeFile(catalogue: SystemCatalogue): string {
  const systems = composeSystems(catalogue);
  const loopback = (port: number) => `127.0.0.1:${port}:${port}`;
  const labels = { [MANAGED_LABEL]: 'true' };
  const grafanaEnv = {
    ...grafanaEnvironment(
      '${GRAFANA_ADMIN_PASSWORD:?set GRAFANA_ADMIN_PASSWORD to a password of your choice}',
    ),
  };
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
              '--bind',
              '0.0.0.0',
              '--port',
              String(GENERATOR_PORT),
              '--loki',
              'http://loki:3100',
              '--otlp',
              'http://jaeger:4318',
              '--webhook-port',
              String(WEBHOOK_PORT),
              ...systems.args,
            ],
            labels,
          },
          prometheus: {
            image: DEFAULT_IMAGES.prometheus,
            command: [
              '--config.file=/etc/prometheus/prometheus.yml',
              '--storage.tsdb.path=/prometheus',
              '--storage.tsdb.retention.time=1d',
              '--rules.alert.resend-delay=10s',
            ],
            volumes: ['./config/prometheus:/etc/prometheus:ro'],
            ports: [loopback(9090)],
            labels,
          },
          alertmanager: {
            image: DEFAULT_IMAGES.alertmanager,
            command: [
              '--config.file=/etc/alertmanager/alertmanager.yml',
              '--storage.path=/alertmanager',
              '--cluster.listen-address=',
            ],
            volumes: ['./config/alertmanager:/etc/alertmanager:ro'],
            ports: [loopback(9093)],
            labels,
          },
          grafana: {
            image: DEFAULT_IMAGES.grafana,
            environment: grafanaEnv,
            volumes: [
              './config/grafana/provisioning:/etc/grafana/provisioning:ro',
              './config/grafana/dashboards:/var/lib/grafana/dashboards/bundled:ro',
            ],
            ports: [loopback(3000)],
            labels,
          },
          loki: {
            image: DEFAULT_IMAGES.loki,
            command: ['-config.file=/etc/loki/loki.yaml'],
            volumes: ['./config/loki:/etc/loki:ro'],
            ports: [loopback(3100)],
            labels,
          },
          jaeger: {
            image: DEFAULT_IMAGES.jaeger,
            command: ['--config=/etc/jaeger/jaeger.yaml'],
            volumes: ['./config/jaeger:/etc/jaeger:ro'],
            ports: [loopback(16686), loopback(4318)],
            labels,
          },
        },
      },
      { aliasDuplicateObjects: false },
    )
  );
}

/** Every file of the compose variant, by path relative to the compose directory. */
export async function renderCompose(catalogue = SystemCatalogue.defaults()): Promise<Record<string, string>> {
  const addresses = composeAddresses(catalogue);
  const ruleFiles = await collectRuleFiles([], catalogue.ruleFiles);
  const files: Record<string, string> = {
    'docker-compose.yml': composeFile(catalogue),
    'config/prometheus/prometheus.yml':
      HEADER +
      prometheusConfig({
        addresses,
        ruleFiles: ruleFiles.map((f) => `/etc/prometheus/rules/${basename(f)}`),
      }),
    'config/alertmanager/alertmanager.yml': HEADER + alertmanagerConfig(addresses),
    'config/grafana/provisioning/datasources/datasources.yaml': HEADER + grafanaDatasources(addresses),
    'config/grafana/provisioning/dashboards/dashboards.yaml':
      HEADER + grafanaDashboardProviders({ bundled: '/var/lib/grafana/dashboards/bundled' }),
    'config/loki/loki.yaml': HEADER + lokiConfig(),
    'config/jaeger/jaeger.yaml': HEADER + jaegerConfig(),
  };
  for (const file of ruleFiles)
    files[`config/prometheus/rules/${basename(file)}`] = await readUserFile(file, 'rule file');
  for (const [name, dashboard] of Object.entries(bundledDashboards(catalogue.systems))) {
    files[`config/grafana/dashboards/${name}`] = `${JSON.stringify(dashboard, null, 2)}\n`;
  }
  return files;
}
