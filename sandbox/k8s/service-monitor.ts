import { ServiceMonitor } from '@kubernetes-models/prometheus-operator/monitoring.coreos.com/v1/ServiceMonitor';
import { GENERATORS, SELECTOR, type TargetPort } from './generator-workload.js';
import type { K8sOptions } from './k8s-options.js';

/**
 * Scrape mode: every generator pod's targets, one endpoint per port, each scraped under the job name the
 * rules expect (prometheus-operator would name the job after the Service).
 */
export function generatorServiceMonitor(
  options: K8sOptions,
  ports: readonly TargetPort[],
  labels: Record<string, string>,
): ServiceMonitor {
  return new ServiceMonitor({
    metadata: {
      name: GENERATORS,
      namespace: options.namespace,
      labels: { ...labels, release: options.release },
    },
    spec: {
      selector: { matchLabels: SELECTOR },
      endpoints: ports.map(({ job, name }) => ({
        port: name,
        path: '/metrics',
        interval: '15s',
        relabelings: [{ action: 'replace', targetLabel: 'job', replacement: job }],
      })),
    },
  });
}
