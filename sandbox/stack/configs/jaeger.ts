import { stringify } from 'yaml';

/** Jaeger v2 all-in-one: OTLP in (gRPC 4317, HTTP 4318), traces kept in memory, UI and API on 16686. */
export function jaegerConfig(listenHost = '0.0.0.0', maxTraces = 100_000): string {
  return stringify({
    service: {
      extensions: ['jaeger_storage', 'jaeger_query', 'healthcheckv2'],
      pipelines: {
        traces: { receivers: ['otlp'], processors: ['batch'], exporters: ['jaeger_storage_exporter'] },
      },
      telemetry: { logs: { level: 'warn' } },
    },
    extensions: {
      healthcheckv2: { use_v2: true, http: { endpoint: `${listenHost}:13133` } },
      jaeger_query: { storage: { traces: 'memstore' }, http: { endpoint: `${listenHost}:16686` } },
      jaeger_storage: { backends: { memstore: { memory: { max_traces: maxTraces } } } },
    },
    receivers: {
      otlp: {
        protocols: { grpc: { endpoint: `${listenHost}:4317` }, http: { endpoint: `${listenHost}:4318` } },
      },
    },
    processors: { batch: {} },
    exporters: { jaeger_storage_exporter: { trace_storage: 'memstore' } },
  });
}
