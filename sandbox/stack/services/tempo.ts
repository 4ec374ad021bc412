import { join } from 'node:path';
import { stringify } from 'yaml';
import { defineService } from './service-module.js';
import { traceBackend } from './trace-backend.js';

const PORTS = { http: 3200, otlpHttp: 4318, grpc: 9095 };

/**
 * Single-process Tempo (all components in one): OTLP over HTTP in, traces in local blocks under `dataDir`,
 * 24 h retention. HTTP and OTLP listen on `listenHost`; gRPC, which only its own components use, on
 * loopback whatever it is. Every ring is kept in memory, so no memberlist gossip listens anywhere.
 */
export function tempoConfig(dataDir: string, ports: Record<string, number>, listenHost: string): string {
  const ring = { kvstore: { store: 'inmemory' }, instance_addr: '127.0.0.1' };
  return stringify({
    stream_over_http_enabled: true,
    server: {
      http_listen_address: listenHost,
      http_listen_port: ports.http,
      grpc_listen_address: '127.0.0.1',
      grpc_listen_port: ports.grpc,
      log_level: 'warn',
    },
    memberlist: { bind_addr: ['127.0.0.1'] },
    distributor: {
      ring,
      receivers: { otlp: { protocols: { http: { endpoint: `${listenHost}:${ports.otlpHttp}` } } } },
    },
    ingester: {
      lifecycler: {
        address: '127.0.0.1',
        ring: { kvstore: { store: 'inmemory' }, replication_factor: 1 },
        // Ready at once: there is no other ingester to hand traces over to.
        min_ready_duration: '0s',
      },
    },
    compactor: { ring, compaction: { block_retention: '24h' } },
    metrics_generator: { ring },
    storage: {
      trace: { backend: 'local', wal: { path: `${dataDir}/wal` }, local: { path: `${dataDir}/blocks` } },
    },
    usage_report: { reporting_enabled: false },
  });
}

const backend = traceBackend({
  name: 'tempo',
  title: 'Tempo',
  queryPort: 'http',
  configFlag: '-config.file',
  containerConfig: () => tempoConfig('/tmp/tempo', PORTS, '0.0.0.0'),
  composePublish: ['http', 'otlpHttp'],
});

export const tempo = defineService({
  ...backend.module,
  image: 'grafana/tempo:2.8.2',
  ports: PORTS,
  traceSearch: (service) => ({
    datasource: { type: 'tempo', uid: 'tempo' },
    queryType: 'traceql',
    query: `{resource.service.name="${service}"}`,
    limit: 20,
    tableType: 'traces',
  }),
  scraped: true,
  native: {
    binary: 'tempo',
    files: (ctx) => ({ 'tempo.yaml': tempoConfig(join(ctx.root, 'data'), ctx.ports, '127.0.0.1') }),
    args: (ctx) => [`-config.file=${join(ctx.root, 'tempo.yaml')}`],
    health: { port: 'http', path: '/ready' },
  },
  container: {
    ...backend.container,
    publish: ['http', 'otlpHttp'],
    health: { port: 'http', path: '/ready' },
  },
});
