import { join } from 'node:path';
import { lokiConfig } from '../configs/loki-config.js';
import { defineService } from './service-module.js';

const PORTS = { http: 3100 };
const CONTAINER_DATA = '/tmp/loki';

export const loki = defineService({
  name: 'loki',
  title: 'Loki',
  image: 'grafana/loki:3.5.3',
  ports: PORTS,
  required: false,
  ingest: { kind: 'logs', port: 'http' },
  scraped: true,
  // A derived field from `trace_id` to the trace backend.
  datasource: (addresses, traces) => ({
    name: 'Loki',
    type: 'loki',
    uid: 'loki',
    access: 'proxy',
    url: `http://${addresses.service('loki')}`,
    jsonData: {
      maxLines: 1000,
      derivedFields: [
        {
          name: 'trace_id',
          matcherType: 'regex',
          matcherRegex: '"trace_id":"([0-9a-f]{32})"',
          datasourceUid: traces.name,
          // `$$` because provisioning files expand environment variables.
          url: '$${__value.raw}',
          urlDisplayLabel: `Open trace in ${traces.title}`,
        },
      ],
    },
    editable: false,
  }),
  native: {
    binary: 'loki',
    files: (ctx) => ({ 'loki.yaml': lokiConfig(join(ctx.root, 'data'), ctx.ports.http!, '127.0.0.1') }),
    args: (ctx) => [`-config.file=${join(ctx.root, 'loki.yaml')}`],
    health: { port: 'http', path: '/ready' },
  },
  container: {
    root: '/etc/loki',
    publish: ['http'],
    files: async () => ({ '/etc/loki/loki.yaml': lokiConfig(CONTAINER_DATA, PORTS.http, '0.0.0.0') }),
    command: ['-config.file=/etc/loki/loki.yaml'],
    health: { port: 'http', path: '/ready' },
  },
  compose: () => ({
    command: ['-config.file=/etc/loki/loki.yaml'],
    volumes: ['./config/loki:/etc/loki:ro'],
    publish: ['http'],
    files: { 'config/loki/loki.yaml': lokiConfig(CONTAINER_DATA, PORTS.http, '0.0.0.0') },
  }),
});
