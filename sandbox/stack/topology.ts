import type { StackService } from './images.js';

/** Ports each service listens on inside its container (and, by default, on 127.0.0.1 of the host). */
export const SERVICE_PORTS = {
  prometheus: { http: 9090 },
  alertmanager: { http: 9093 },
  grafana: { http: 3000 },
  loki: { http: 3100 },
  jaeger: { ui: 16686, otlpHttp: 4318, otlpGrpc: 4317 },
} as const satisfies Record<StackService, Record<string, number>>;

/**
 * How services and generators reach each other. In containers they use service names on the sandbox
 * network and reach the host's generators through a gateway name; natively everything is on 127.0.0.1.
 */
export interface StackAddresses {
  /** host:port of a service as the other services see it. */
  service(name: StackService, port?: string): string;
  /** host:port of each generator target as Prometheus sees it (a job with several targets: each, in order). */
  generators: readonly { job: string; address: string }[];
  /** URL of the sandbox's webhook receiver for Alertmanager notifications. */
  webhookUrl: string;
}

export function containerAddresses(
  generators: readonly { job: string; port: number }[],
  hostGateway: string,
  webhookPort: number,
  webhookPath = '/alertmanager',
): StackAddresses {
  return {
    service: (name, port) =>
      `${name}:${port ? (SERVICE_PORTS[name] as Record<string, number>)[port] : Object.values(SERVICE_PORTS[name])[0]}`,
    generators: generators.map((g) => ({ job: g.job, address: `${hostGateway}:${g.port}` })),
    webhookUrl: `http://${hostGateway}:${webhookPort}${webhookPath}`,
  };
}

export function nativeAddresses(
  ports: Readonly<Record<StackService, number>>,
  generators: readonly { job: string; port: number }[],
  webhookPort: number,
  webhookPath = '/alertmanager',
): StackAddresses {
  return {
    service: (name) => `127.0.0.1:${ports[name]}`,
    generators: generators.map((g) => ({ job: g.job, address: `127.0.0.1:${g.port}` })),
    webhookUrl: `http://127.0.0.1:${webhookPort}${webhookPath}`,
  };
}
