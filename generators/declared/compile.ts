import { dirname, resolve } from 'node:path';
import type { MetricDefinition } from '../model/metric-definitions.js';
import type { ParamSpec } from '../model/faults/definition.js';
import type { HeadlineQuery, SystemDefinition } from '../model/system.js';
import { compileEvents } from './compile-events.js';
import { compileFaults, paramSpec } from './compile-faults.js';
import { compileMetrics, compileServices, compileSharedLabels, gaugeOrder } from './compile-metrics.js';
import type { Scope } from './expression-scope.js';
import type { SystemPlan } from './plan.js';
import { fail } from './problem.js';
import { DeclaredRuntime } from './runtime.js';
import type { SystemFile } from './system-schema.js';

/** Knobs every system may read, defined by the platform. */
const PLATFORM_KNOBS = ['rate_scale'];

function headline(metric: MetricDefinition): HeadlineQuery {
  const label = metric.name;
  switch (metric.type) {
    case 'counter':
      return { label, unit: '/s', promql: `sum(rate(${metric.name}[1m]))` };
    case 'histogram':
      return {
        label: `${label} p95`,
        unit: metric.name.endsWith('_seconds') ? 's' : '',
        promql: `histogram_quantile(0.95, sum by (le) (rate(${metric.name}_bucket[5m])))`,
      };
    case 'summary': {
      const q = [...metric.quantiles!].sort((a, b) => Math.abs(a - 0.95) - Math.abs(b - 0.95))[0]!;
      return {
        label: `${label} p${Math.round(q * 100)}`,
        unit: metric.name.endsWith('_seconds') ? 's' : '',
        promql: `max(${metric.name}{quantile="${q}"})`,
      };
    }
    case 'gauge':
      return { label, unit: '', promql: `sum(${metric.name})` };
  }
}

/**
 * Compiles a validated system file into the SystemDefinition everything downstream uses. Problems are
 * thrown as SystemFileProblem with the path of the part at fault.
 */
export function compileSystem(
  file: SystemFile,
  source: string,
  position?: (path: readonly PropertyKey[]) => string,
): SystemDefinition {
  const knobNames = Object.keys(file.knobs ?? {});
  for (const name of knobNames) {
    if (PLATFORM_KNOBS.includes(name))
      fail(['knobs', name], `${name} is a knob of the platform already; rename it`);
  }
  const scope: Scope = { names: [...knobNames, ...PLATFORM_KNOBS], description: 'knob' };
  const services = compileServices(file);
  const jobs = new Map<string, string>();
  for (const s of services) {
    if (jobs.has(s.job))
      fail(
        ['services', s.name, 'job'],
        `services ${jobs.get(s.job)} and ${s.name} have the same job ${s.job}`,
      );
    jobs.set(s.job, s.name);
  }
  const shared = compileSharedLabels(file, scope);
  const knobs: Record<string, ParamSpec> = {};
  for (const [name, input] of Object.entries(file.knobs ?? {}))
    knobs[name] = paramSpec(['knobs', name], input, shared);
  const metrics = compileMetrics(file, services, shared, scope);
  const events = compileEvents(file, services, metrics, shared, scope);
  const faults = compileFaults(file, { services, metrics, events }, shared, [
    ...knobNames,
    ...PLATFORM_KNOBS,
  ]);
  const plan: SystemPlan = {
    name: file.system,
    services,
    metrics,
    events,
    faults: faults.plans,
    gauges: gaugeOrder(metrics),
  };
  const definitions = new Map(faults.definitions.map((d) => [d.name, d]));
  const base = dirname(resolve(source));
  const relative = (list: readonly string[] | undefined) => list?.map((p) => resolve(base, p));
  const headlineMetrics = Object.entries(file.metrics).filter(([, m]) => m.headline);
  return {
    name: file.system,
    jobs: Object.fromEntries(services.map((s) => [s.name, s.job])),
    instances: Object.fromEntries(services.filter((s) => s.instances > 1).map((s) => [s.job, s.instances])),
    metrics: [...metrics.values()].map((m) => m.def),
    faults: faults.definitions,
    knobs,
    headline: headlineMetrics.map(([name]) => headline(metrics.get(name)!.def)),
    source: resolve(source),
    ruleFiles: relative(file.rules),
    dashboardFiles: relative(file.dashboards),
    generatedDashboard: file.dashboard ?? true,
    locate: position
      ? (kind, name) => {
          if (kind === 'job') {
            const service = services.find((s) => s.job === name);
            return service ? position(['services', service.name]) : undefined;
          }
          const section = { metric: 'metrics', fault: 'faults', knob: 'knobs' }[kind];
          return (file as unknown as Record<string, Record<string, unknown> | undefined>)[section]?.[name] ===
            undefined
            ? undefined
            : position([section, name]);
        }
      : undefined,
    createServices: (ctx) => [
      new DeclaredRuntime(plan, ctx, definitions, { ...knobs, ...platformKnobSpecs }),
    ],
  };
}

/** Duration knobs are read in seconds; the platform's are plain numbers. */
const platformKnobSpecs: Record<string, ParamSpec> = {
  rate_scale: { type: 'number', description: '' },
};
