import { join } from 'node:path';
import { jaegerConfig } from '../configs/jaeger-config.js';
import { defineService } from './service-module.js';

const PORTS = { ui: 16686, otlpHttp: 4318, otlpGrpc: 4317, health: 13133, queryGrpc: 16685 };

export const jaeger = defineService({
  name: 'jaeger',
  title: 'Jaeger',
  image: 'jaegertracing/jaeger:2.9.0',
  ports: PORTS,
  required: false,
  traceBackend: true,
  ingest: { kind: 'traces', port: 'otlpHttp' },
  traceSearch: (service) => ({
    expr: '',
    datasource: { type: 'jaeger', uid: 'jaeger' },
    queryType: 'search',
    service,
  }),
  // Traces-to-logs in Loki (service.name → job).
  datasource: (addresses) => ({
    name: 'Jaeger',
    type: 'jaeger',
    uid: 'jaeger',
    access: 'proxy',
    url: `http://${addresses.service('jaeger', 'ui')}`,
    jsonData: {
      tracesToLogsV2: {
        datasourceUid: 'loki',
        spanStartTimeShift: '-5m',
        spanEndTimeShift: '5m',
        filterByTraceID: true,
        filterBySpanID: false,
        tags: [{ key: 'service.name', value: 'job' }],
      },
    },
    editable: false,
  }),
  native: {
    binary: 'jaeger',
    files: (ctx) => ({
      'jaeger.yaml': jaegerConfig('127.0.0.1', {
        ui: ctx.ports.ui!,
        otlpHttp: ctx.ports.otlpHttp!,
        otlpGrpc: ctx.ports.otlpGrpc!,
        health: ctx.ports.health!,
        queryGrpc: ctx.ports.queryGrpc!,
      }),
    }),
    args: (ctx) => [`--config=${join(ctx.root, 'jaeger.yaml')}`],
    health: { port: 'health', path: '/status' },
  },
  container: {
    root: '/etc/jaeger',
    publish: ['ui', 'otlpHttp', 'otlpGrpc'],
    files: async () => ({ '/etc/jaeger/jaeger.yaml': jaegerConfig('0.0.0.0', PORTS) }),
    command: ['--config=/etc/jaeger/jaeger.yaml'],
    health: { port: 'ui', path: '/' },
  },
  compose: () => ({
    command: ['--config=/etc/jaeger/jaeger.yaml'],
    volumes: ['./config/jaeger:/etc/jaeger:ro'],
    publish: ['ui', 'otlpHttp'],
    files: { 'config/jaeger/jaeger.yaml': jaegerConfig('0.0.0.0', PORTS) },
  }),
});
