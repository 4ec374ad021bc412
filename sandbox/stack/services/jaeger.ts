import { join } from 'node:path';
import { jaegerConfig } from '../configs/jaeger-config.js';
import { defineService } from './service-module.js';
import { traceBackend } from './trace-backend.js';

const PORTS = { ui: 16686, otlpHttp: 4318, otlpGrpc: 4317, health: 13133, queryGrpc: 16685 };

const backend = traceBackend({
  name: 'jaeger',
  title: 'Jaeger',
  queryPort: 'ui',
  configFlag: '--config',
  containerConfig: () => jaegerConfig('0.0.0.0', PORTS),
  composePublish: ['ui', 'otlpHttp'],
});

export const jaeger = defineService({
  ...backend.module,
  image: 'jaegertracing/jaeger:2.9.0',
  ports: PORTS,
  traceSearch: (service) => ({
    expr: '',
    datasource: { type: 'jaeger', uid: 'jaeger' },
    queryType: 'search',
    service,
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
    ...backend.container,
    publish: ['ui', 'otlpHttp', 'otlpGrpc'],
    health: { port: 'ui', path: '/' },
  },
});
