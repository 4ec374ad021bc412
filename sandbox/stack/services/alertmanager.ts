import { join } from 'node:path';
import { alertmanagerConfig } from '../configs/alertmanager-config.js';
import { alertmanagerCommand } from '../native/alertmanager-templates.js';
import { defineService } from './service-module.js';

/** Empty: no cluster listener at all (its default is 0.0.0.0:9094, TCP and UDP); one Alertmanager needs no peers. */
const NO_CLUSTER = '--cluster.listen-address=';

export const alertmanager = defineService({
  name: 'alertmanager',
  title: 'Alertmanager',
  image: 'prom/alertmanager:v0.28.1',
  ports: { http: 9093 },
  required: false,
  scraped: true,
  datasource: (addresses) => ({
    name: 'Alertmanager',
    type: 'alertmanager',
    uid: 'alertmanager',
    access: 'proxy',
    url: `http://${addresses.service('alertmanager')}`,
    jsonData: { implementation: 'prometheus', handleGrafanaManagedAlerts: false },
    editable: false,
  }),
  native: {
    binary: 'alertmanager',
    files: (ctx) => ({
      'alertmanager.yml': alertmanagerConfig(ctx.addresses, undefined, ctx.settings.alertmanager),
    }),
    args: (ctx) => [
      `--config.file=${join(ctx.root, 'alertmanager.yml')}`,
      `--storage.path=${join(ctx.root, 'data')}`,
      `--web.listen-address=127.0.0.1:${ctx.ports.http}`,
      NO_CLUSTER,
    ],
    command: (ctx, binary, args) => alertmanagerCommand(binary.path, args, binary.assetsDir, ctx.dataDir),
    health: { port: 'http', path: '/-/ready' },
  },
  container: {
    root: '/etc/alertmanager',
    publish: ['http'],
    files: async (ctx) => ({
      '/etc/alertmanager/alertmanager.yml': alertmanagerConfig(
        ctx.addresses,
        undefined,
        ctx.settings.alertmanager,
      ),
    }),
    command: [
      '--config.file=/etc/alertmanager/alertmanager.yml',
      '--storage.path=/tmp/alertmanager',
      NO_CLUSTER,
    ],
    health: { port: 'http', path: '/-/ready' },
  },
  compose: (ctx) => ({
    command: ['--config.file=/etc/alertmanager/alertmanager.yml', '--storage.path=/alertmanager', NO_CLUSTER],
    volumes: ['./config/alertmanager:/etc/alertmanager:ro'],
    publish: ['http'],
    files: { 'config/alertmanager/alertmanager.yml': alertmanagerConfig(ctx.addresses) },
  }),
});
