import { readFileSync } from 'node:fs';
import { basename } from 'node:path';
import type { SystemDefinition } from '../../../generators/model/system.js';
import { JAEGER, LOKI, PROMETHEUS, dashboard, panel, unit } from './panels.js';
import { systemDashboard, systemDashboardFile } from './system-dashboard.js';

type Json = Record<string, unknown>;

/**
 * A dashboard file (a seed's, or one a system brings) as Grafana's file provisioning wants it: the
 * dashboard model itself (the seed wraps it for the HTTP API), with datasource references by uid so the
 * provisioned datasources are used.
 */
export function provisionedSeedDashboard(file: string): Json {
  const wrapped = JSON.parse(readFileSync(file, 'utf8')) as Json;
  const model = (wrapped.dashboard ?? wrapped) as Json;
  const panels = (model.panels as Json[]).map((p, i) => {
    if (!Array.isArray(p.targets)) return { id: i + 1, ...p };
    const ds =
      p.datasource && typeof p.datasource === 'object'
        ? p.datasource
        : p.datasource === 'Loki'
          ? LOKI
          : PROMETHEUS;
    const targets = (p.targets as Json[]).map((t, j) => ({
      refId: String.fromCharCode(65 + j),
      ...t,
      datasource: ds,
    }));
    return { id: i + 1, ...p, datasource: ds, targets };
  });
  return { schemaVersion: 39, refresh: '10s', time: { from: 'now-1h', to: 'now' }, ...model, panels };
}

export function zkpDashboard(): Json {
  return dashboard(
    'zkp-proof-pipeline',
    'ZKP Proof Pipeline',
    ['zkp', 'obs-sandbox'],
    [
      panel(
        'stat',
        'Proofs per minute',
        [0, 0, 6, 4],
        [{ expr: 'sum(rate(proofs_generated_total[5m])) * 60' }],
      ),
      panel(
        'stat',
        'Verification failure rate',
        [6, 0, 6, 4],
        [
          {
            expr: 'sum(rate(proof_verification_failures_total[5m])) / (sum(rate(proofs_verified_total[5m])) + sum(rate(proof_verification_failures_total[5m])))',
          },
        ],
        unit('percentunit'),
      ),
      panel('stat', 'Datasets notarized', [12, 0, 6, 4], [{ expr: 'sum(datasets_notarized_total)' }]),
      panel(
        'stat',
        'Circuit constraints (last proof)',
        [18, 0, 6, 4],
        [{ expr: 'circuit_constraint_count' }],
      ),
      panel(
        'timeseries',
        'Proof generation time',
        [0, 4, 12, 8],
        [
          {
            expr: 'histogram_quantile(0.5, sum by (le) (rate(proof_generation_duration_seconds_bucket[5m])))',
            legendFormat: 'p50',
          },
          {
            expr: 'histogram_quantile(0.95, sum by (le) (rate(proof_generation_duration_seconds_bucket[5m])))',
            legendFormat: 'p95',
          },
        ],
        unit('s'),
      ),
      panel(
        'timeseries',
        'Verification time',
        [12, 4, 12, 8],
        [
          {
            expr: 'histogram_quantile(0.95, sum by (le) (rate(proof_verification_duration_seconds_bucket[5m])))',
            legendFormat: 'p95',
          },
        ],
        unit('s'),
      ),
      panel(
        'timeseries',
        'Proof size',
        [0, 12, 12, 8],
        [
          {
            expr: 'sum(rate(proof_size_bytes_sum[5m])) / sum(rate(proof_size_bytes_count[5m]))',
            legendFormat: 'mean',
          },
        ],
        unit('bytes'),
      ),
      panel(
        'timeseries',
        'Dataset processing time',
        [12, 12, 12, 8],
        [
          {
            expr: 'histogram_quantile(0.95, sum by (le) (rate(dataset_processing_duration_seconds_bucket[5m])))',
            legendFormat: 'p95',
          },
        ],
        unit('s'),
      ),
      panel(
        'traces',
        'Recent proof generations',
        [0, 20, 12, 10],
        [{ expr: '', datasource: JAEGER, queryType: 'search', service: 'zkp-dataset-ledger' }],
      ),
      panel(
        'logs',
        'Proof pipeline logs',
        [12, 20, 12, 10],
        [{ expr: '{job="zkp-dataset-ledger"}', datasource: LOKI }],
      ),
    ],
    'The ZKP Dataset Ledger proof pipeline (seed 003): throughput, latency, failures, traces and logs.',
  );
}

export function sandboxOverviewDashboard(): Json {
  return dashboard(
    'obs-sandbox-overview',
    'Sandbox Overview',
    ['obs-sandbox'],
    [
      panel('stat', 'Targets up', [0, 0, 6, 4], [{ expr: 'sum(up)', legendFormat: 'up' }]),
      panel(
        'stat',
        'Receipts per second',
        [6, 0, 6, 4],
        [{ expr: 'sum(rate(vaultmesh_receipts_total[1m]))' }],
        unit('ops'),
      ),
      panel(
        'stat',
        'Write error ratio',
        [12, 0, 6, 4],
        [
          {
            expr: 'sum(rate(vaultmesh_receipt_write_errors_total[1m])) / (sum(rate(vaultmesh_receipts_total[1m])) + sum(rate(vaultmesh_receipt_write_errors_total[1m])))',
          },
        ],
        unit('percentunit'),
      ),
      panel(
        'stat',
        'Alerts firing',
        [18, 0, 6, 4],
        [{ expr: 'count(ALERTS{alertstate="firing"}) or vector(0)' }],
      ),
      panel('table', 'Targets', [0, 4, 12, 8], [{ expr: 'up', instant: true, format: 'table' }]),
      panel('table', 'Alerts', [12, 4, 12, 8], [{ expr: 'ALERTS', instant: true, format: 'table' }]),
      panel(
        'timeseries',
        'Traffic',
        [0, 12, 12, 8],
        [
          { expr: 'sum(rate(vaultmesh_receipts_total[1m]))', legendFormat: 'receipts/s' },
          { expr: 'sum(rate(vaultmesh_http_requests_total[1m]))', legendFormat: 'HTTP requests/s' },
          { expr: 'sum(rate(proofs_generated_total[5m])) * 60', legendFormat: 'proofs/min' },
        ],
      ),
      panel(
        'timeseries',
        'Log lines by level',
        [12, 12, 12, 8],
        [
          {
            expr: 'sum by (level) (count_over_time({source="obs-sandbox"}[1m]))',
            legendFormat: '{{level}}',
            datasource: LOKI,
          },
        ],
      ),
      panel(
        'logs',
        'Errors and warnings, all services',
        [0, 20, 24, 10],
        [{ expr: '{source="obs-sandbox", level=~"error|warn"}', datasource: LOKI }],
      ),
    ],
    'What the sandbox is doing: targets, traffic, alerts and logs. Start here.',
  );
}

/** Dashboards built in code for a TypeScript system, by system name. */
const CODE_DASHBOARDS: Readonly<Record<string, Record<string, () => Json>>> = {
  zkp: { 'zkp-proof-pipeline.json': zkpDashboard },
};

/**
 * The dashboards the sandbox provisions, by file name: those that come with each system (files, built in
 * code, generated for declared systems), then the sandbox overview.
 */
export function bundledDashboards(systems: readonly SystemDefinition[]): Record<string, Json> {
  const dashboards: Record<string, Json> = {};
  for (const system of systems) {
    for (const file of system.dashboardFiles ?? [])
      dashboards[basename(file)] = provisionedSeedDashboard(file);
    for (const [name, build] of Object.entries(CODE_DASHBOARDS[system.name] ?? {}))
      dashboards[name] = build();
    if (system.generatedDashboard) dashboards[systemDashboardFile(system)] = systemDashboard(system);
  }
  dashboards['sandbox-overview.json'] = sandboxOverviewDashboard();
  return dashboards;
}
