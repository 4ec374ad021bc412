import { parser as promql } from '@prometheus-io/lezer-promql';
import { describe, expect, it } from 'vitest';
import type { MetricDefinition } from '../../../generators/model/metric-definitions.js';
import type { SystemDefinition } from '../../../generators/model/system.js';
import { defaultSystems } from '../../../generators/systems/index.js';
import { bundledDashboards } from '../../../sandbox/stack/dashboards/bundled.js';
import { systemDashboard } from '../../../sandbox/stack/dashboards/system-dashboard.js';
import { SystemCatalogue } from '../../../sandbox/systems/system-catalogue.js';
import { trafficQueries, TRAFFIC_QUERIES } from '../../../sandbox/session/traffic-tracker.js';

const metric = (m: Partial<MetricDefinition> & Pick<MetricDefinition, 'name' | 'type' | 'job'>) =>
  ({ help: `${m.name} help`, labelNames: [], source: 'seed', ...m }) as MetricDefinition;

/** A hand-made declared system: two jobs, one metric of each type. */
const shop: SystemDefinition = {
  name: 'shop',
  source: '/tmp/shop.system.yaml',
  generatedDashboard: true,
  jobs: { api: 'shop-api', worker: 'shop-worker' },
  instances: { 'shop-api': 3 },
  metrics: [
    metric({
      name: 'shop_requests_total',
      type: 'counter',
      job: 'shop-api',
      labelNames: ['route', 'status', 'tenant'],
    }),
    metric({ name: 'shop_request_duration_seconds', type: 'histogram', job: 'shop-api', buckets: [0.1, 1] }),
    metric({ name: 'shop_latency', type: 'summary', job: 'shop-api', quantiles: [0.5, 0.99] }),
    metric({ name: 'shop_queue_depth', type: 'gauge', job: 'shop-worker', labelNames: ['tenant'] }),
    metric({ name: 'shop_pool_max', type: 'gauge', job: 'shop-worker' }),
  ],
  faults: [],
  knobs: {},
  headline: [{ label: 'orders', unit: '/s', promql: 'sum(rate(shop_requests_total[1m]))' }],
  createServices: () => [],
};

interface PanelJson {
  type: string;
  title: string;
  targets: { expr: string; legendFormat?: string }[];
}

const parses = (expr: string) => {
  let ok = true;
  promql.parse(expr).iterate({ enter: (n) => void (n.type.isError && (ok = false)) });
  return ok;
};

describe("a declared system's generated dashboard", () => {
  const dashboard = systemDashboard(shop) as { uid: string; panels: PanelJson[] };
  const exprs = dashboard.panels.flatMap((p) => p.targets.map((t) => t.expr));

  it('has a row per job, its targets up, and a panel per metric, every query valid PromQL', () => {
    expect(dashboard.uid).toBe('obs-sandbox-shop');
    expect(dashboard.panels.filter((p) => p.type === 'row').map((p) => p.title)).toEqual([
      'shop-api',
      'shop-worker',
    ]);
    for (const expr of exprs) expect(parses(expr), expr).toBe(true);
    expect(exprs).toEqual(expect.arrayContaining(['sum(up{job="shop-api"})', 'up{job="shop-worker"}']));
  });

  it('shows counters as rates, histograms and summaries as quantiles, gauges as sums', () => {
    expect(exprs).toEqual(
      expect.arrayContaining([
        'topk(10, sum by (route, status) (rate(shop_requests_total[5m])))',
        'histogram_quantile(0.5, sum by (le) (rate(shop_request_duration_seconds_bucket[5m])))',
        'histogram_quantile(0.99, sum by (le) (rate(shop_request_duration_seconds_bucket[5m])))',
        'avg(shop_latency{quantile="0.5"})',
        'avg(shop_latency{quantile="0.99"})',
        'topk(10, sum by (tenant) (shop_queue_depth))',
        'sum(shop_pool_max)',
      ]),
    );
  });

  it('is provisioned with the system; the default set provisions what it always did', () => {
    expect(Object.keys(bundledDashboards(defaultSystems()))).toEqual([
      'vaultmesh-overview.json',
      'vaultmesh-guardian.json',
      'zkp-proof-pipeline.json',
      'sandbox-overview.json',
    ]);
    expect(Object.keys(bundledDashboards([shop]))).toEqual([
      'obs-sandbox-shop.json',
      'sandbox-overview.json',
    ]);
  });
});

describe("the TUI's traffic queries", () => {
  it("are the built-in ones of the loaded systems, then each system's headline", () => {
    const ids = (c: SystemCatalogue) => trafficQueries(c).map((q) => q.id);
    expect(ids(SystemCatalogue.defaults())).toEqual(TRAFFIC_QUERIES.map((q) => q.id));
    expect(ids(SystemCatalogue.of([shop]))).toEqual(['shop:orders']);
    const zkpAndShop = SystemCatalogue.of([defaultSystems()[1]!, shop]);
    expect(ids(zkpAndShop)).toEqual(['proofs', 'verify-failures', 'shop:orders']);
  });
});
