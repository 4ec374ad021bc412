import type { Model } from '@kubernetes-models/base';
import { Document, isScalar, visit } from 'yaml';
import { dashboardConfigMaps } from './dashboard-configmaps.js';
import { generatorDockerfile } from './generator-dockerfile.js';
import {
  generatorService,
  generatorStatefulSet,
  SELECTOR,
  settingsConfigMap,
  targetPorts,
} from './generator-workload.js';
import { packageVersion, type K8sOptions } from './k8s-options.js';
import type { K8sSources } from './k8s-sources.js';
import { kustomization } from './kustomization.js';
import { prometheusRules } from './prometheus-rules.js';
import { generatorServiceMonitor } from './service-monitor.js';

const HEADER = '# Rendered by `sandbox k8s` from the service catalogue; edit the code, not this file.\n';

/** Keys whose integers are file modes. */
const MODE_KEYS = new Set(['defaultMode', 'mode']);

/**
 * One object as YAML, a file mode with its octal in a comment (`defaultMode: 288 # 0440`): YAML 1.2 has no
 * `0440` (it reads 440), and JSON, which Kubernetes' schemas follow, only decimal.
 */
function objectYaml(object: Model<unknown>): string {
  const doc = new Document(object.toJSON(), { aliasDuplicateObjects: false });
  visit(doc, {
    Pair(_, pair) {
      if (isScalar(pair.key) && MODE_KEYS.has(pair.key.value as string) && isScalar(pair.value))
        if (typeof pair.value.value === 'number') pair.value.comment = ` 0${pair.value.value.toString(8)}`;
    },
  });
  return doc.toString({ blockQuote: 'literal', lineWidth: 0 });
}

/** Objects of one kind as one multi-document YAML file, each checked against its schema first. */
function manifest(objects: readonly Model<unknown>[]): string {
  for (const object of objects) object.validate();
  return HEADER + objects.map(objectYaml).join('---\n');
}

/**
 * Every file of the manifests, by path relative to the output directory: one file per object kind, the
 * kustomization listing them, and the Dockerfile of the generators' image.
 */
export async function renderK8s(options: K8sOptions, sources: K8sSources): Promise<Record<string, string>> {
  const scrape = options.remoteWrite === undefined;
  const ports = scrape ? targetPorts(sources.jobs) : [];
  const part = (component: string) => ({
    'app.kubernetes.io/name': 'obs-sandbox',
    'app.kubernetes.io/component': component,
  });
  const resources: Record<string, string> = {
    'statefulset.yaml': manifest([generatorStatefulSet(options, ports, SELECTOR)]),
    'service.yaml': manifest([generatorService(options, ports, SELECTOR)]),
    'configmap.yaml': manifest([
      settingsConfigMap(options, sources, SELECTOR),
      ...dashboardConfigMaps(sources.dashboards, options, part('dashboards')),
    ]),
  };
  const rules = await prometheusRules(sources.ruleFiles, options, part('rules'));
  if (rules.length > 0) resources['prometheusrule.yaml'] = manifest(rules);
  if (scrape)
    resources['servicemonitor.yaml'] = manifest([generatorServiceMonitor(options, ports, SELECTOR)]);
  return {
    'kustomization.yaml': HEADER + kustomization(options.namespace, Object.keys(resources)),
    ...resources,
    Dockerfile: generatorDockerfile(packageVersion(), options.image),
  };
}
