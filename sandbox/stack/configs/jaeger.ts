import { stringify } from 'yaml';

export interface JaegerPorts {
  ui: number;
  otlpHttp: number;
  otlpGrpc: number;
  health: number;
}

const DEFAULT_JAEGER_PORTS: JaegerPorts = { ui: 16686, otlpHttp: 4318, otlpGrpc: 4317, health: 13133 };

/** Jaeger v2 all-in-one: OTLP in (gRPC 4317, HTTP 4318), traces kept in memory, UI and API on 16686. */
export function jaegerConfig(
  listenHost = '0.0.0.0',
  ports: JaegerPorts = DEFAULT_JAEGER_PORTS,
  maxTraces = 100_000,
): string {
  return stringify({
    service: {
      extensions: ['jaeger_storage', 'jaeger_query', 'healthcheckv2'],
      pipelines: {
        traces: { receivers: ['otlp'], processors: ['batch'], exporters: ['jaeger_storage_exporter'] },
      },
      telemetry: { logs: { level: 'warn' } },
    },
    extensions: {
      healthcheckv2: { use_v2: true, http: { endpoint: `${listenHost}:${ports.health}` } },
      jaeger_query: { storage: { traces: 'memstore' }, http: { endpoint: `${listenHost}:${ports.ui}` } },
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
