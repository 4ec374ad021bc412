import { stringify } from 'yaml';

export interface JaegerPorts {
  ui: number;
  otlpHttp: number;
  otlpGrpc: number;
  health: number;
  /** The query service's gRPC API (the UI and the sandbox use HTTP; bound to loopback only). */
  queryGrpc: number;
}

/**
 * Jaeger v2 all-in-one: OTLP in (gRPC 4317, HTTP 4318), traces kept in memory, UI and API on 16686. Every
 * listener is declared here, on `listenHost` (what the sandbox uses) or on loopback (what nobody outside
 * needs); its own metrics endpoint (8888 on every interface in some versions) is switched off.
 */
export function jaegerConfig(listenHost: string, ports: JaegerPorts, maxTraces = 100_000): string {
  return stringify({
    service: {
      extensions: ['jaeger_storage', 'jaeger_query', 'healthcheckv2'],
      pipelines: {
        traces: { receivers: ['otlp'], processors: ['batch'], exporters: ['jaeger_storage_exporter'] },
      },
      telemetry: { logs: { level: 'warn' }, metrics: { level: 'none' } },
    },
    extensions: {
      healthcheckv2: { use_v2: true, http: { endpoint: `${listenHost}:${ports.health}` } },
      jaeger_query: {
        storage: { traces: 'memstore' },
        http: { endpoint: `${listenHost}:${ports.ui}` },
        grpc: { endpoint: `127.0.0.1:${ports.queryGrpc}` },
      },
      jaeger_storage: { backends: { memstore: { memory: { max_traces: maxTraces } } } },
    },
    receivers: {
      otlp: {
        protocols: {
          grpc: { endpoint: `${listenHost}:${ports.otlpGrpc}` },
          http: { endpoint: `${listenHost}:${ports.otlpHttp}` },
        },
      },
    },
    processors: { batch: {} },
    exporters: { jaeger_storage_exporter: { trace_storage: 'memstore' } },
  });
}
