import { dirname, join } from 'node:path';
import type { BinaryName } from '../../binaries/index.js';
import type { StackService } from '../images.js';

/** Ports of the native stack on 127.0.0.1. */
export interface NativePorts {
  prometheus: number;
  alertmanager: number;
  grafana: number;
  loki: number;
  jaeger: number;
  jaegerOtlpHttp: number;
  jaegerOtlpGrpc: number;
  jaegerHealth: number;
  jaegerQueryGrpc: number;
}

export const DEFAULT_NATIVE_PORTS: NativePorts = {
  prometheus: 9090,
  alertmanager: 9093,
  grafana: 3000,
  loki: 3100,
  jaeger: 16686,
  jaegerOtlpHttp: 4318,
  jaegerOtlpGrpc: 4317,
  jaegerHealth: 13133,
  jaegerQueryGrpc: 16685,
};

export interface NativeServiceSpec {
  service: StackService;
  binary: BinaryName;
  required: boolean;
  /** Ports it listens on (checked before start). */
  ports: (p: NativePorts) => number[];
  args: (dir: string, p: NativePorts, binaryPath: string) => string[];
  env?: (dir: string, p: NativePorts) => Record<string, string>;
  /** URL that answers 200 once the service is ready. */
  health: (p: NativePorts) => string;
  /** URL to show users. */
  url: (p: NativePorts) => string;
}

const local = (port: number, path = '') => `http://127.0.0.1:${port}${path}`;

/** Start order matters: receivers before senders (Loki and Jaeger before generators, Alertmanager before Prometheus). */
export const NATIVE_SERVICES: readonly NativeServiceSpec[] = [
  {
    service: 'loki',
    binary: 'loki',
    required: false,
    ports: (p) => [p.loki],
    args: (dir) => [`-config.file=${join(dir, 'loki', 'loki.yaml')}`],
    health: (p) => local(p.loki, '/ready'),
    url: (p) => local(p.loki),
  },
  {
    service: 'jaeger',
    binary: 'jaeger',
    required: false,
    ports: (p) => [p.jaeger, p.jaegerOtlpHttp, p.jaegerOtlpGrpc, p.jaegerHealth, p.jaegerQueryGrpc],
    args: (dir) => [`--config=${join(dir, 'jaeger', 'jaeger.yaml')}`],
    health: (p) => local(p.jaegerHealth, '/status'),
    url: (p) => local(p.jaeger),
  },
  {
    service: 'alertmanager',
    binary: 'alertmanager',
    required: false,
    ports: (p) => [p.alertmanager],
    args: (dir, p) => [
      `--config.file=${join(dir, 'alertmanager', 'alertmanager.yml')}`,
      `--storage.path=${join(dir, 'alertmanager', 'data')}`,
      `--web.listen-address=127.0.0.1:${p.alertmanager}`,
      // Empty: no cluster listener at all (its default is 0.0.0.0:9094, TCP and UDP).
      '--cluster.listen-address=',
    ],
    health: (p) => local(p.alertmanager, '/-/ready'),
    url: (p) => local(p.alertmanager),
  },
  {
    service: 'prometheus',
    binary: 'prometheus',
    required: true,
    ports: (p) => [p.prometheus],
    args: (dir, p) => [
      `--config.file=${join(dir, 'prometheus', 'prometheus.yml')}`,
      `--storage.tsdb.path=${join(dir, 'prometheus', 'data')}`,
      `--storage.tsdb.retention.time=1d`,
      // Alerts that fire at once (history, for: 0m) may beat Alertmanager discovery: resend them soon.
      `--rules.alert.resend-delay=10s`,
      `--web.listen-address=127.0.0.1:${p.prometheus}`,
    ],
    health: (p) => local(p.prometheus, '/-/ready'),
    url: (p) => local(p.prometheus),
  },
  {
    service: 'grafana',
    binary: 'grafana',
    required: false,
    ports: (p) => [p.grafana],
    args: (_dir, _p, binaryPath) => ['server', `--homepath=${dirname(dirname(binaryPath))}`],
    env: (dir, p) => ({
      GF_PATHS_DATA: join(dir, 'grafana', 'data'),
      GF_PATHS_LOGS: join(dir, 'grafana', 'logs'),
      GF_PATHS_PROVISIONING: join(dir, 'grafana', 'provisioning'),
      GF_SERVER_HTTP_ADDR: '127.0.0.1',
      GF_SERVER_HTTP_PORT: String(p.grafana),
    }),
    health: (p) => local(p.grafana, '/api/health'),
    url: (p) => local(p.grafana),
  },
];
