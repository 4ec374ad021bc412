import { ConfigMap } from 'kubernetes-models/v1/ConfigMap';
import { basename, extname } from 'node:path';
import { UserError } from '../../generators/user-error.js';
import type { K8sOptions } from './k8s-options.js';
import { objectName } from './object-name.js';

/** The label kube-prometheus-stack's Grafana sidecar watches for (its `sidecar.dashboards.label` default). */
export const DASHBOARD_LABEL = { grafana_dashboard: '1' };

/** The API server refuses a ConfigMap over 1 MiB. */
const MAX_CONFIGMAP_BYTES = 1024 * 1024;

/** One ConfigMap per dashboard (file name → JSON text), so that each stays far below the size limit. */
export function dashboardConfigMaps(
  dashboards: Readonly<Record<string, string>>,
  options: K8sOptions,
  labels: Record<string, string>,
): ConfigMap[] {
  const names = new Set<string>();
  return Object.entries(dashboards).map(([file, json]) => {
    if (Buffer.byteLength(json) > MAX_CONFIGMAP_BYTES)
      throw new UserError(
        `dashboard ${file} is over 1 MiB, more than a ConfigMap holds; split it or remove panels`,
      );
    return new ConfigMap({
      metadata: {
        name: objectName('obs-sandbox-dashboard', basename(file, extname(file)), names),
        namespace: options.namespace,
        labels: { ...labels, ...DASHBOARD_LABEL },
      },
      data: { [file]: json },
    });
  });
}
