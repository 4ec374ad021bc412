import type { MetricDefinition } from '../model/metric-definitions.js';
import type { Scope } from './expression-scope.js';
import { compileGaugeBehaviour, durationMs } from './gauge-behaviours.js';
import type { LabelPlan, MetricPlan, ServicePlan } from './plan.js';
import { fail, mustBeOneOf } from './problem.js';
import type { SystemFile } from './system-schema.js';
import { compileValueSet, type ValueSet } from './value-sets.js';

/** prom-client's default histogram buckets. */
const DEFAULT_BUCKETS = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];
const DEFAULT_QUANTILES = [0.5, 0.9, 0.99];
/** Series one system may create, over every metric, combination of label values and target. */
export const MAX_SERIES = 250_000;

export function compileServices(file: SystemFile): ServicePlan[] {
  const names = Object.keys(file.services);
  if (names.length === 0) fail(['services'], 'declare at least one service');
  return names.map((name) => {
    const service = file.services[name] ?? {};
    return { name, job: service.job ?? `${file.system}-${name}`, instances: service.instances ?? 1 };
  });
}

/** Picks the service a metric, event or fault names, or the only one. */
export function serviceOf(
  path: readonly PropertyKey[],
  name: string | undefined,
  services: readonly ServicePlan[],
): ServicePlan {
  if (name === undefined) {
    if (services.length === 1) return services[0]!;
    fail(
      [...path, 'service'],
      `the system has ${services.length} services; say which: ${services.map((s) => s.name).join(', ')}`,
    );
  }
  mustBeOneOf(
    [...path, 'service'],
    name,
    services.map((s) => s.name),
    'service',
  );
  return services.find((s) => s.name === name)!;
}

/** The top-level value sets, by label name. */
export function compileSharedLabels(file: SystemFile, scope: Scope): Map<string, ValueSet> {
  const sets = new Map<string, ValueSet>();
  for (const [name, input] of Object.entries(file.labels ?? {})) {
    sets.set(name, compileValueSet(['labels', name], input, scope));
  }
  return sets;
}

/** A label's value set: given inline, or (null or listed by name) the top-level one. */
export function labelPlan(
  path: readonly PropertyKey[],
  name: string,
  inline: Parameters<typeof compileValueSet>[1] | null | undefined,
  shared: ReadonlyMap<string, ValueSet>,
  scope: Scope,
): LabelPlan {
  if (inline !== null && inline !== undefined) {
    return { name, set: compileValueSet(path, inline, scope), setKey: path.map(String).join('.') };
  }
  const set = shared.get(name);
  if (!set) {
    fail(path, `label ${name} has no values: list them here, or under the top-level labels: ${name}: [...]`);
  }
  return { name, set, setKey: `labels.${name}` };
}

export function compileMetrics(
  file: SystemFile,
  services: readonly ServicePlan[],
  shared: ReadonlyMap<string, ValueSet>,
  scope: Scope,
): Map<string, MetricPlan> {
  const metrics = new Map<string, MetricPlan>();
  const names = Object.keys(file.metrics);
  if (names.length === 0) fail(['metrics'], 'declare at least one metric');
  let series = 0;
  for (const [name, input] of Object.entries(file.metrics)) {
    const path = ['metrics', name];
    const service = serviceOf(path, input.service, services);
    const labelInputs: [string, Parameters<typeof compileValueSet>[1] | null][] = Array.isArray(input.labels)
      ? input.labels.map((l) => [l, null])
      : Object.entries(input.labels ?? {});
    const seen = new Set<string>();
    const labels = labelInputs.map(([label, inline], i) => {
      const at = Array.isArray(input.labels) ? [...path, 'labels', i] : [...path, 'labels', label];
      if (seen.has(label)) fail(at, `label ${label} is listed twice`);
      seen.add(label);
      return labelPlan(at, label, inline, shared, scope);
    });
    if (input.buckets && input.type !== 'histogram')
      fail([...path, 'buckets'], 'only histograms have buckets');
    if ((input.quantiles || input.max_age) && input.type !== 'summary') {
      fail([...path, input.quantiles ? 'quantiles' : 'max_age'], 'only summaries have quantiles and max_age');
    }
    if (input.buckets) {
      input.buckets.forEach((b, i) => {
        if (i > 0 && b <= input.buckets![i - 1]!) fail([...path, 'buckets', i], 'buckets must increase');
      });
    }
    if ((input.value || input.every) && input.type !== 'gauge') {
      fail(
        [...path, input.value ? 'value' : 'every'],
        'only gauges evolve on their own; events change the others',
      );
    }
    const def: MetricDefinition = {
      name,
      type: input.type,
      help: input.help,
      labelNames: labels.map((l) => l.name),
      job: service.job,
      source: 'seed',
      ...(input.type === 'histogram' ? { buckets: input.buckets ?? DEFAULT_BUCKETS } : {}),
      ...(input.type === 'summary'
        ? {
            quantiles: input.quantiles ?? DEFAULT_QUANTILES,
            maxAgeSeconds: input.max_age ? durationMs([...path, 'max_age'], input.max_age) / 1000 : 600,
          }
        : {}),
    };
    const combos = labels.reduce((n, l) => n * (l.set.values?.length ?? l.set.faker!.size), 1);
    const expansion =
      input.type === 'histogram'
        ? def.buckets!.length + 3
        : input.type === 'summary'
          ? def.quantiles!.length + 2
          : 1;
    series += combos * service.instances * expansion;
    if (series > MAX_SERIES) {
      fail(
        path,
        `the system would have over ${MAX_SERIES} series at this metric (label values multiply); use fewer label values or instances`,
      );
    }
    metrics.set(name, { def, service, labels });
  }
  for (const [name, input] of Object.entries(file.metrics)) {
    if (!input.value) continue;
    const path = ['metrics', name, 'value'];
    const plan = metrics.get(name)!;
    const { behaviour, reads } = compileGaugeBehaviour(path, input.value, scope, names);
    const scaleBy = input.value.scale_by;
    if (scaleBy !== undefined)
      mustBeOneOf([...path, 'scale_by'], scaleBy, plan.def.labelNames, `label of ${name}`);
    for (const read of reads) {
      const other = metrics.get(read)!;
      const missing = other.def.labelNames.filter((l) => !plan.def.labelNames.includes(l));
      if (missing.length > 0) {
        fail(
          [...path, 'derived'],
          `${read} has labels ${missing.join(', ')} that ${name} lacks, so its series cannot be matched`,
        );
      }
      if (other.service !== plan.service) fail([...path, 'derived'], `${read} is served by another service`);
      if (other.def.type === 'histogram' || other.def.type === 'summary') {
        fail(
          [...path, 'derived'],
          `${read} is a ${other.def.type}; a derived gauge reads counters and gauges`,
        );
      }
    }
    const everyMs = file.metrics[name]!.every
      ? durationMs(['metrics', name, 'every'], file.metrics[name]!.every!)
      : 15_000;
    if (everyMs < 1000) fail(['metrics', name, 'every'], 'must be at least 1s');
    plan.gauge = { behaviour, everyMs, reads, scaleBy, round: input.value.round ?? false };
  }
  return metrics;
}

/** Gauges with a value, ordered so that a derived gauge comes after what it reads. */
export function gaugeOrder(metrics: ReadonlyMap<string, MetricPlan>): MetricPlan[] {
  const order: MetricPlan[] = [];
  const state = new Map<string, 'visiting' | 'done'>();
  const visit = (plan: MetricPlan, chain: string[]) => {
    const name = plan.def.name;
    if (state.get(name) === 'done') return;
    if (state.get(name) === 'visiting') {
      fail(
        ['metrics', name, 'value', 'derived'],
        `derived gauges read each other in a circle: ${[...chain, name].join(' → ')}`,
      );
    }
    state.set(name, 'visiting');
    for (const read of plan.gauge?.reads ?? []) {
      const other = metrics.get(read)!;
      if (other.gauge) visit(other, [...chain, name]);
    }
    state.set(name, 'done');
    if (plan.gauge) order.push(plan);
  };
  for (const plan of metrics.values()) visit(plan, []);
  return order;
}
