import type { MetricDefinition } from '../../../generators/model/metric-definitions.js';
import type { SystemDefinition } from '../../../generators/model/system.js';
import { dashboard, panel, unit, type Panel, type Target } from './panels.js';

const WINDOW = '5m';
/** Grouping by more labels than this makes legends unreadable; the rest are summed away. */
const MAX_GROUP_LABELS = 2;
/** Series per panel when a metric has labels. */
const TOP = 10;
const SUMMARY_QUANTILES = [0.5, 0.9, 0.99];

const percentile = (q: number) => `p${String(Math.round(q * 1000) / 10).replace(/\.0$/, '')}`;

function unitOf(metric: MetricDefinition): string | undefined {
  if (metric.name.endsWith('_seconds')) return 's';
  if (metric.name.endsWith('_bytes')) return 'bytes';
  return metric.type === 'counter' ? 'ops' : undefined;
}

/** `sum by (a, b) (inner)`, the top series of it when it has labels. */
function grouped(metric: MetricDefinition, inner: string): Target {
  const labels = metric.labelNames.slice(0, MAX_GROUP_LABELS);
  if (labels.length === 0) return { expr: `sum(${inner})`, legendFormat: metric.name };
  return {
    expr: `topk(${TOP}, sum by (${labels.join(', ')}) (${inner}))`,
    legendFormat: labels.map((l) => `{{${l}}}`).join(' '),
  };
}

/** The queries that show a metric: rates of counters, quantiles of histograms and summaries, gauges. */
export function metricTargets(metric: MetricDefinition): Target[] {
  switch (metric.type) {
    case 'counter':
      return [grouped(metric, `rate(${metric.name}[${WINDOW}])`)];
    case 'gauge':
      return [grouped(metric, metric.name)];
    case 'histogram':
      return [0.5, 0.95, 0.99].map((q) => ({
        expr: `histogram_quantile(${q}, sum by (le) (rate(${metric.name}_bucket[${WINDOW}])))`,
        legendFormat: percentile(q),
      }));
    case 'summary':
      return (metric.quantiles ?? SUMMARY_QUANTILES).map((q) => ({
        expr: `avg(${metric.name}{quantile="${q}"})`,
        legendFormat: percentile(q),
      }));
  }
}

function metricPanel(metric: MetricDefinition, at: [number, number]): Panel {
  const title = metric.type === 'counter' ? `${metric.name} (per second)` : metric.name;
  const u = unitOf(metric);
  return panel('timeseries', title, [at[0], at[1], 12, 8], metricTargets(metric), {
    description: metric.help,
    ...(u ? unit(u) : {}),
  });
}

/** File name of a system's generated dashboard. */
export const systemDashboardFile = (system: SystemDefinition) => `obs-sandbox-${system.name}.json`;

/**
 * A Grafana dashboard for a declared system: a row per scrape job with its targets' `up` and a panel per
 * metric it serves.
 */
export function systemDashboard(system: SystemDefinition): Record<string, unknown> {
  const panels: Panel[] = [];
  let y = 0;
  for (const job of Object.values(system.jobs)) {
    panels.push({ ...panel('row', job, [0, y, 24, 1], []), collapsed: false } as Panel);
    y += 1;
    panels.push(
      panel(
        'stat',
        `${job} targets up`,
        [0, y, 6, 4],
        [{ expr: `sum(up{job="${job}"})`, legendFormat: 'up' }],
      ),
      panel(
        'timeseries',
        `${job} up`,
        [6, y, 18, 4],
        [{ expr: `up{job="${job}"}`, legendFormat: '{{instance}}' }],
      ),
    );
    y += 4;
    system.metrics
      .filter((m) => m.job === job)
      .forEach((metric, i) => {
        panels.push(metricPanel(metric, [(i % 2) * 12, y + Math.floor(i / 2) * 8]));
      });
    y += Math.ceil(system.metrics.filter((m) => m.job === job).length / 2) * 8;
  }
  return dashboard(
    `obs-sandbox-${system.name}`,
    system.name,
    ['obs-sandbox', system.name],
    panels,
    `Generated from ${system.source ?? 'the system definition'}: every metric of ${system.name}, by scrape job.`,
  );
}
