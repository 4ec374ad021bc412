import { InvalidArgumentError } from 'commander';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { packageRoot } from '../../generators/package-root.js';
import { DEFAULT_CONTROL_PORT } from './generator-control.js';

/** What `sandbox k8s` renders for: where the generators send their data, how many, and in which namespace. */
export interface K8sOptions {
  /** Generator pods; pod i of N runs shard i/N. */
  replicas: number;
  /** Copies of the systems the pods share (`sandbox generate --scale`). */
  scale: number;
  /** Push metrics here (Prometheus remote write); without it each pod is a scrape target (ServiceMonitor). */
  remoteWrite?: string;
  /** The remote-write tenant (X-Scope-OrgID), for Mimir or Cortex. */
  tenant?: string;
  loki?: string;
  /** The Loki tenant (X-Scope-OrgID), for a multi-tenant Loki. */
  lokiTenant?: string;
  /** Each pod's control API (faults, knobs) on this port, its token from a Secret; undefined: none. */
  controlPort?: number;
  otlp?: string;
  namespace: string;
  /** The generators' image (see the rendered Dockerfile). */
  image: string;
  /** The `release` label kube-prometheus-stack's Prometheus selects PrometheusRules and ServiceMonitors by. */
  release: string;
}

/** Beyond this the StatefulSet is more than a sandbox needs: shards are for reaching production volume. */
export const MAX_REPLICAS = 1000;

export function parseReplicas(value: string): number {
  const n = /^\d+$/.test(value) ? Number(value) : NaN;
  if (!(n >= 1 && n <= MAX_REPLICAS))
    throw new InvalidArgumentError(`must be a whole number from 1 to ${MAX_REPLICAS}, e.g. 4`);
  return n;
}

/** A namespace is a DNS-1123 label. */
export function parseNamespace(value: string): string {
  if (!/^[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?$/.test(value))
    throw new InvalidArgumentError(
      'must be a Kubernetes namespace name: lowercase letters, digits and "-", at most 63, e.g. obs-sandbox',
    );
  return value;
}

/** A label value: at most 63 letters, digits, "-", "_" or ".", starting and ending with a letter or digit. */
export function parseLabelValue(value: string): string {
  if (!/^[A-Za-z0-9]([-A-Za-z0-9_.]{0,61}[A-Za-z0-9])?$/.test(value))
    throw new InvalidArgumentError(
      'must be a Kubernetes label value: letters, digits, "-", "_" or ".", at most 63, e.g. kube-prometheus-stack',
    );
  return value;
}

/** An image reference whose last part has a tag or digest, so that every pod runs the same build. */
export function parseImage(value: string): string {
  const name = value.slice(value.lastIndexOf('/') + 1);
  const path = value.slice(0, value.length - name.length);
  if (
    !/^([a-z0-9][\w.:-]*\/)*$/.test(path) ||
    !/^[a-z0-9][\w.-]*(:\w[\w.-]{0,127}|@sha256:[0-9a-f]{64})$/.test(name)
  )
    throw new InvalidArgumentError(
      'must be an image reference with a tag or digest, e.g. registry.example.com/obs-sandbox:0.1.0',
    );
  return value;
}

/** A tenant goes into an HTTP header: printable characters, no spaces. */
export function parseTenant(value: string): string {
  if (!/^[\x21-\x7e]{1,150}$/.test(value))
    throw new InvalidArgumentError('must be a tenant ID of printable characters without spaces, e.g. team-a');
  return value;
}

/** The obs-sandbox version, which the generators' image installs and is tagged with. */
export function packageVersion(): string {
  return (JSON.parse(readFileSync(join(packageRoot(), 'package.json'), 'utf8')) as { version: string })
    .version;
}

/** What `sandbox k8s` renders with no options (and the committed k8s/ example). */
export function defaultK8sOptions(): K8sOptions {
  return {
    replicas: 1,
    scale: 1,
    controlPort: DEFAULT_CONTROL_PORT,
    namespace: 'obs-sandbox',
    image: `obs-sandbox:${packageVersion()}`,
    release: 'kube-prometheus-stack',
  };
}
