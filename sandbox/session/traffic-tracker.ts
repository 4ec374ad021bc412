import { queryVector } from '../stack/prometheus-api.js';
import type { SystemCatalogue } from '../systems/system-catalogue.js';
import type { TrafficSeries } from '../tui/view-model.js';

export interface TrafficQuery {
  id: string;
  label: string;
  unit: string;
  promql: string;
  warnAbove?: number;
}

const errorPercent = (errors: string, total: string, window: string) =>
  `100 * sum(rate(${errors}[${window}])) / (sum(rate(${total}[${window}])) + sum(rate(${errors}[${window}])))`;

/** What the traffic panel shows for VaultMesh and ZKP: the flows of the seed's dashboards, and their trouble. */
export const TRAFFIC_QUERIES: readonly (TrafficQuery & { system: string })[] = [
  {
    system: 'vaultmesh',
    id: 'receipts',
    label: 'receipts',
    unit: '/s',
    promql: 'sum(rate(vaultmesh_receipts_total[1m]))',
  },
  {
    system: 'vaultmesh',
    id: 'write-errors',
    label: 'write errors',
    unit: '%',
    promql: errorPercent('vaultmesh_receipt_write_errors_total', 'vaultmesh_receipts_total', '1m'),
    warnAbove: 0.1,
  },
  {
    system: 'vaultmesh',
    id: 'http',
    label: 'HTTP requests',
    unit: '/s',
    promql: 'sum(rate(vaultmesh_http_requests_total[1m]))',
  },
  {
    system: 'vaultmesh',
    id: 'anchors',
    label: 'anchors',
    unit: '/h',
    promql: 'sum(rate(vaultmesh_guardian_anchors_total[30m])) * 3600',
  },
  {
    system: 'vaultmesh',
    id: 'anchor-age',
    label: 'last anchor age',
    unit: 's',
    promql: 'time() - max(vaultmesh_guardian_last_anchor_timestamp)',
    warnAbove: 7200,
  },
  {
    system: 'zkp',
    id: 'proofs',
    label: 'proofs',
    unit: '/min',
    promql: 'sum(rate(proofs_generated_total[5m])) * 60',
  },
  {
    system: 'zkp',
    id: 'verify-failures',
    label: 'verify failures',
    unit: '%',
    promql: errorPercent('proof_verification_failures_total', 'proofs_verified_total', '5m'),
    warnAbove: 5,
  },
];

/** The built-in queries of the loaded systems, then each system's headline queries. */
export function trafficQueries(systems: SystemCatalogue): TrafficQuery[] {
  const loaded = new Set(systems.names);
  return [
    ...TRAFFIC_QUERIES.filter((q) => loaded.has(q.system)),
    ...systems.headlines.map((h) => ({
      id: `${h.system}:${h.label}`,
      label: h.label,
      unit: h.unit,
      promql: h.promql,
    })),
  ];
}

/** Polls the traffic queries and keeps a bounded history of each for the sparklines. */
export class TrafficTracker {
  private readonly history = new Map<string, number[]>();
  private readonly current = new Map<string, number>();

  constructor(
    private readonly queries: readonly TrafficQuery[],
    private readonly historyLength = 60,
  ) {}

  async poll(prometheusUrl: string): Promise<void> {
    await Promise.all(
      this.queries.map(async (q) => {
        const samples = await queryVector(prometheusUrl, q.promql).catch(() => undefined);
        const value = samples?.[0]?.value;
        if (value === undefined || Number.isNaN(value)) return;
        this.current.set(q.id, value);
        const history = this.history.get(q.id) ?? [];
        history.push(value);
        if (history.length > this.historyLength) history.shift();
        this.history.set(q.id, history);
      }),
    );
  }

  series(): TrafficSeries[] {
    return this.queries.map((q) => ({
      id: q.id,
      label: q.label,
      unit: q.unit,
      current: this.current.get(q.id),
      history: this.history.get(q.id) ?? [],
      warnAbove: q.warnAbove,
    }));
  }
}
