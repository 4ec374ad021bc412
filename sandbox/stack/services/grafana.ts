import { dirname, join } from 'node:path';
import { stringify } from 'yaml';
import { grafanaDashboardProviders, grafanaEnvironment } from '../configs/grafana-config.js';
import { defineService } from './service-module.js';

const BUNDLED = '/var/lib/grafana/dashboards/bundled';
const USER = '/var/lib/grafana/dashboards/user';

/** Datasources in Grafana's file provisioning format: each service's own, the first default. */
const datasources = (list: readonly object[]) => stringify({ apiVersion: 1, datasources: [...list] });

export const grafana = defineService({
  name: 'grafana',
  title: 'Grafana',
  image: 'grafana/grafana:12.1.1',
  ports: { http: 3000 },
  required: false,
  scraped: true,
  native: {
    binary: 'grafana',
    files: (ctx) => ({
      'provisioning/datasources/datasources.yaml': datasources(ctx.datasources),
      'provisioning/dashboards/dashboards.yaml': grafanaDashboardProviders({
        bundled: join(ctx.root, 'dashboards'),
        user: ctx.settings.userDashboards?.dir,
      }),
      ...Object.fromEntries(
        Object.entries(ctx.settings.bundledDashboards).map(([name, d]) => [
          `dashboards/${name}`,
          JSON.stringify(d, null, 2),
        ]),
      ),
    }),
    args: (_ctx, binary) => ['server', `--homepath=${dirname(dirname(binary.path))}`],
    env: (ctx) => ({
      ...grafanaEnvironment(ctx.settings.grafanaPassword),
      GF_PATHS_DATA: join(ctx.root, 'data'),
      GF_PATHS_LOGS: join(ctx.root, 'logs'),
      GF_PATHS_PROVISIONING: join(ctx.root, 'provisioning'),
      GF_SERVER_HTTP_ADDR: '127.0.0.1',
      GF_SERVER_HTTP_PORT: String(ctx.ports.http),
    }),
    health: { port: 'http', path: '/api/health' },
  },
  container: {
    root: '/etc/grafana',
    publish: ['http'],
    files: async (ctx) => ({
      '/etc/grafana/provisioning/datasources/datasources.yaml': datasources(ctx.datasources),
      '/etc/grafana/provisioning/dashboards/dashboards.yaml': grafanaDashboardProviders({
        bundled: BUNDLED,
        user: ctx.settings.userDashboards ? USER : undefined,
      }),
      ...Object.fromEntries(
        (ctx.settings.userDashboards?.files ?? []).map((d) => [`${USER}/${d.name}`, d.content]),
      ),
      ...Object.fromEntries(
        Object.entries(ctx.settings.bundledDashboards).map(([n, d]) => [
          `${BUNDLED}/${n}`,
          JSON.stringify(d),
        ]),
      ),
    }),
    command: [],
    env: (ctx) => grafanaEnvironment(ctx.settings.grafanaPassword),
    health: { port: 'http', path: '/api/health' },
  },
  compose: (ctx) => ({
    environment: grafanaEnvironment(
      '${GRAFANA_ADMIN_PASSWORD:?set GRAFANA_ADMIN_PASSWORD to a password of your choice}',
    ),
    volumes: [
      './config/grafana/provisioning:/etc/grafana/provisioning:ro',
      `./config/grafana/dashboards:${BUNDLED}:ro`,
    ],
    publish: ['http'],
    files: {
      'config/grafana/provisioning/datasources/datasources.yaml': datasources(ctx.datasources),
      'config/grafana/provisioning/dashboards/dashboards.yaml': grafanaDashboardProviders({
        bundled: BUNDLED,
      }),
    },
    copies: Object.fromEntries(
      Object.entries(ctx.bundledDashboards).map(([name, d]) => [
        `config/grafana/dashboards/${name}`,
        `${JSON.stringify(d, null, 2)}\n`,
      ]),
    ),
  }),
});
