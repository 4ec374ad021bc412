import { queryVector } from '../../stack/prometheus-api.js';
import type { TrafficSeries } from '../view-model.js';

interface TrafficQuery {
  id: string;
  label: string;
  unit: string;
  promql: string;
  warnAbove?: number;
}

const errorPercent = (errors: string, total: string, window: string) =>
  `100 * sum(rate(${errors}[${window}])) / (sum(rate(${total}[${window}])) + sum(rate(${errors}[${window}])))`;

/** What the traffic panel shows: the flows of the seed's dashboards, and their trouble. */
export const TRAFFIC_QUERIES: readonly TrafficQuery[] = [
  { id: 'receipts', label: 'receipts', unit: '/s', promql: 'sum(rate(vaultmesh_receipts_total[1m]))' },
  {
    id: 'write-errors',
    label: 'write errors',
    unit: '%',
    promql: errorPercent('vaultmesh_receipt_write_errors_total', 'vaultmesh_receipts_total', '1m'),
    warnAbove: 0.1,
  },
  { id: 'http', label: 'HTTP requests', unit: '/s', promql: 'sum(rate(vaultmesh_http_requests_total[1m]))' },
  {
    id: 'anchors',
    label: 'anchors',
    unit: '/h',
    promql: 'sum(rate(vaultmesh_guardian_anchors_total[30m])) * 3600',
  },
  {
    id: 'anchor-age',
    label: 'last anchor age',
    unit: 's',
    promql: 'time() - max(vaultmesh_guardian_last_anchor_timestamp)',
    warnAbove: 7200,
  },
  { id: 'proofs', label: 'proofs', unit: '/min', promql: 'sum(rate(proofs_generated_total[5m])) * 60' },
  {
    id: 'verify-failures',
    label: 'verify failures',
    unit: '%',
    promql: errorPercent('proof_verification_failures_total', 'proofs_verified_total', '5m'),
    warnAbove: 5,
  },
];

/** Polls the traffic queries and keeps a bounded history of each for the sparklines. */
export class TrafficTracker {
  private readonly history = new Map<string, number[]>();
  private readonly current = new Map<string, number>();

  constructor(private readonly historyLength = 60) {}

  async poll(prometheusUrl: string): Promise<void> {
    await Promise.all(
      TRAFFIC_QUERIES.map(async (q) => {
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
    return TRAFFIC_QUERIES.map((q) => ({
      id: q.id,
      label: q.label,
      unit: q.unit,
      current: this.current.get(q.id),
      history: this.history.get(q.id) ?? [],
      warnAbove: q.warnAbove,
    }));
  }
}
