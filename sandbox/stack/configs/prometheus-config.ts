import { stringify } from 'yaml';
import type { ScrapeJob } from '../services/service-module.js';
import type { StackAddresses } from '../stack-topology.js';

export interface PrometheusConfigOptions {
  addresses: StackAddresses;
  /** Rule file paths as Prometheus sees them. */
  ruleFiles: readonly string[];
  scrapeInterval?: string;
  evaluationInterval?: string;
  /** The stack's own services to scrape (default: none). */
  selfScrape?: readonly ScrapeJob[];
}

/**
 * prometheus.yml: every generator job (the seed's names) with all its targets, the stack's own services,
 * rules, Alertmanager.
 */
export function prometheusConfig(options: PrometheusConfigOptions): string {
  const { addresses } = options;
  const generatorJobs = new Map<string, string[]>();
  for (const { job, address } of addresses.generators)
    generatorJobs.set(job, [...(generatorJobs.get(job) ?? []), address]);
  const own = ({ job, address }: ScrapeJob) => ({
    job_name: job,
    metrics_path: '/metrics',
    static_configs: [{ targets: [address], labels: { sandbox: 'stack' } }],
  });
  return stringify({
    global: {
      scrape_interval: options.scrapeInterval ?? '15s',
      evaluation_interval: options.evaluationInterval ?? '15s',
      external_labels: { sandbox: 'obs-sandbox' },
    },
    alerting: { alertmanagers: [{ static_configs: [{ targets: [addresses.service('alertmanager')] }] }] },
    rule_files: [...options.ruleFiles],
    scrape_configs: [
      ...[...generatorJobs].map(([job, targets]) => ({ job_name: job, static_configs: [{ targets }] })),
      ...(options.selfScrape ?? []).map(own),
    ],
  });
}
