import { StatefulSet } from 'kubernetes-models/apps/v1/StatefulSet';
import { ConfigMap } from 'kubernetes-models/v1/ConfigMap';
import { Service } from 'kubernetes-models/v1/Service';
import { stringify } from 'yaml';
import type { IEnvVar } from 'kubernetes-models/v1/EnvVar';
import type { K8sOptions } from './k8s-options.js';
import { GENERATOR_HEAP_MIB, GENERATOR_RESOURCES } from './generator-resources.js';
import {
  CONTROL_PORT_NAME,
  CONTROL_TOKEN_MOUNT,
  CONTROL_VOLUMES,
  controlArgs,
  controlTokenInit,
  POD_USER,
} from './generator-control.js';

export const GENERATORS = 'obs-sandbox-generators';
export const SELECTOR = {
  'app.kubernetes.io/name': 'obs-sandbox',
  'app.kubernetes.io/component': 'generators',
};
export const FIRST_PORT = 9470;
const PROJECT_DIR = '/etc/obs-sandbox';
const PROJECT_FILE = 'obs-sandbox.yaml';

/** One scrape target a generator pod serves: its job, and the named container port it listens on. */
export interface TargetPort {
  job: string;
  port: number;
  /** A port name (at most 15 characters), for the Service and the ServiceMonitor. */
  name: string;
}

export function targetPorts(jobs: readonly string[]): TargetPort[] {
  return jobs.map((job, i) => ({ job, port: FIRST_PORT + i, name: `metrics-${i}` }));
}

/** The endpoints and tenant, as a ConfigMap the pods read, so that kustomize can patch them without a re-render. */
function settings(options: K8sOptions): Record<string, string> {
  const values: Record<string, string | undefined> = {
    REMOTE_WRITE_URL: options.remoteWrite,
    REMOTE_WRITE_TENANT: options.tenant,
    LOKI_URL: options.loki,
    LOKI_TENANT: options.lokiTenant,
    OTLP_URL: options.otlp,
  };
  return Object.fromEntries(Object.entries(values).filter((e): e is [string, string] => e[1] !== undefined));
}

/** The settings, and the project file that gives every pod the same systems and seed. */
export function settingsConfigMap(
  options: K8sOptions,
  project: { systems: readonly string[]; seed?: number | string },
  labels: Record<string, string>,
): ConfigMap {
  const projectFile = stringify({ systems: [...project.systems], seed: project.seed });
  return new ConfigMap({
    metadata: { name: GENERATORS, namespace: options.namespace, labels },
    data: { ...settings(options), [PROJECT_FILE]: projectFile },
  });
}

/**
 * `sandbox generate`'s arguments in pod i of N. The shard comes from the pod-index label (Kubernetes 1.28+)
 * through the downward API: Kubernetes expands $(POD_INDEX) itself, so the image needs no shell and the
 * ordinal is not parsed out of a pod name that a kustomize namePrefix may change.
 */
function generateArgs(options: K8sOptions): string[] {
  const keys = settings(options);
  const args = ['generate', '--config', `${PROJECT_DIR}/${PROJECT_FILE}`];
  if (options.scale > 1) args.push('--scale', String(options.scale));
  if (options.replicas > 1) args.push('--shard', `$(POD_INDEX)/${options.replicas}`);
  if (options.remoteWrite) args.push('--remote-write', '$(REMOTE_WRITE_URL)', '--no-scrape');
  else args.push('--port', String(FIRST_PORT));
  // The scrape targets and the control API answer other pods (the tokenless targets only in scrape mode).
  if (!options.remoteWrite || options.controlPort !== undefined) args.push('--bind', '0.0.0.0', '--allow-remote');
  if (options.controlPort !== undefined) args.push(...controlArgs(options.controlPort));
  if (keys.REMOTE_WRITE_TENANT) args.push('--remote-write-tenant', '$(REMOTE_WRITE_TENANT)');
  if (keys.LOKI_URL) args.push('--loki', '$(LOKI_URL)');
  if (keys.LOKI_TENANT) args.push('--loki-tenant', '$(LOKI_TENANT)');
  if (keys.OTLP_URL) args.push('--otlp', '$(OTLP_URL)');
  return args;
}

function env(options: K8sOptions): IEnvVar[] {
  const fromSettings = Object.keys(settings(options)).map((name) => ({
    name,
    valueFrom: { configMapKeyRef: { name: GENERATORS, key: name } },
  }));
  const podIndex = {
    name: 'POD_INDEX',
    valueFrom: { fieldRef: { fieldPath: "metadata.labels['apps.kubernetes.io/pod-index']" } },
  };
  const heapCap = { name: 'NODE_OPTIONS', value: `--max-old-space-size=${GENERATOR_HEAP_MIB}` };
  return [...(options.replicas > 1 ? [podIndex] : []), ...fromSettings, heapCap];
}

/** The pod's ports: the scrape targets', then the control API's. */
function podPorts(options: K8sOptions, ports: readonly TargetPort[]): { name: string; port: number }[] {
  const control = options.controlPort === undefined ? [] : [{ name: CONTROL_PORT_NAME, port: options.controlPort }];
  return [...ports.map(({ name, port }) => ({ name, port })), ...control];
}

/**
 * The headless Service that names the pods (`<name>-<ordinal>.<service>`, each one's control API reachable
 * apart) and, in scrape mode, the ports the ServiceMonitor scrapes.
 */
export function generatorService(
  options: K8sOptions,
  ports: readonly TargetPort[],
  labels: Record<string, string>,
): Service {
  return new Service({
    metadata: { name: GENERATORS, namespace: options.namespace, labels },
    spec: {
      clusterIP: 'None',
      selector: SELECTOR,
      ports: podPorts(options, ports).map(({ name, port }) => ({ name, port, targetPort: name, protocol: 'TCP' })),
    },
  });
}

export function generatorStatefulSet(
  options: K8sOptions,
  ports: readonly TargetPort[],
  labels: Record<string, string>,
): StatefulSet {
  const control = options.controlPort !== undefined;
  const containerSecurity = {
    allowPrivilegeEscalation: false,
    readOnlyRootFilesystem: true,
    capabilities: { drop: ['ALL'] },
  };
  return new StatefulSet({
    metadata: { name: GENERATORS, namespace: options.namespace, labels },
    spec: {
      serviceName: GENERATORS,
      replicas: options.replicas,
      // Shards are independent: all start at once, and a lost one is replaced without waiting for the others.
      podManagementPolicy: 'Parallel',
      selector: { matchLabels: SELECTOR },
      template: {
        metadata: { labels },
        spec: {
          automountServiceAccountToken: false,
          enableServiceLinks: false,
          securityContext: {
            runAsNonRoot: true,
            runAsUser: POD_USER,
            runAsGroup: POD_USER,
            // The control token's Secret volume is readable by the pod's group only (see generator-control.ts).
            ...(control && { fsGroup: POD_USER }),
            seccompProfile: { type: 'RuntimeDefault' },
          },
          ...(control && { initContainers: [controlTokenInit(options.image, containerSecurity)] }),
          containers: [
            {
              name: 'generate',
              image: options.image,
              command: ['sandbox'],
              args: generateArgs(options),
              env: env(options),
              ports: podPorts(options, ports).map(({ name, port }) => ({
                name,
                containerPort: port,
                protocol: 'TCP',
              })),
              resources: GENERATOR_RESOURCES,
              securityContext: containerSecurity,
              volumeMounts: [
                { name: 'project', mountPath: PROJECT_DIR, readOnly: true },
                { name: 'tmp', mountPath: '/tmp' },
                ...(control ? [CONTROL_TOKEN_MOUNT] : []),
              ],
            },
          ],
          // Node and its libraries may write temporary files; the root filesystem stays read-only.
          volumes: [
            {
              name: 'project',
              configMap: { name: GENERATORS, items: [{ key: PROJECT_FILE, path: PROJECT_FILE }] },
            },
            { name: 'tmp', emptyDir: { sizeLimit: '64Mi' } },
            ...(control ? CONTROL_VOLUMES : []),
          ],
        },
      },
    },
  });
}
