/** Official images, pinned; each overridable with OBS_SANDBOX_<SERVICE>_IMAGE (the tests use local builds). */
export const DEFAULT_IMAGES = {
  prometheus: 'prom/prometheus:v3.5.0',
  alertmanager: 'prom/alertmanager:v0.28.1',
  grafana: 'grafana/grafana:12.1.1',
  loki: 'grafana/loki:3.5.3',
  jaeger: 'jaegertracing/jaeger:2.9.0',
} as const;

export type StackService = keyof typeof DEFAULT_IMAGES;

export const STACK_SERVICES = Object.keys(DEFAULT_IMAGES) as StackService[];

export function imageFor(service: StackService, env: NodeJS.ProcessEnv = process.env): string {
  return env[`OBS_SANDBOX_${service.toUpperCase()}_IMAGE`] ?? DEFAULT_IMAGES[service];
}
