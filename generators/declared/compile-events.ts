import { compileDistribution, type Distribution } from './distribution.js';
import { compileNumber, type NumberSource, type Scope } from './expression-scope.js';
import { durationMs } from './gauge-behaviours.js';
import { labelPlan, serviceOf } from './compile-metrics.js';
import type {
  ActionPlan,
  Condition,
  EventPlan,
  FieldPlan,
  LabelPlan,
  LabelSource,
  LogPlan,
  MetricPlan,
  ServicePlan,
  ShapePlan,
  SpanPlan,
} from './plan.js';
import { fail, mustBeOneOf, valueHint } from './problem.js';
import type { ActionInput, EventInput, LogInput, SpanInput, SystemFile } from './system-schema.js';
import { compileValueSet, type ValueSet } from './value-sets.js';

type Path = readonly PropertyKey[];
const UNIT_PER_SECOND: Record<string, number> = { s: 1, m: 1 / 60, h: 1 / 3600, d: 1 / 86_400 };
/** Events per second one event kind may reach (rates are bounded before any work is done). */
export const MAX_RATE = 100_000;

/** Whether every value of `inner` is a value of `outer` (faker pools only match themselves). */
export function subsetProblem(inner: LabelPlan, outer: LabelPlan): string | undefined {
  if (inner.setKey === outer.setKey) return undefined;
  if (!inner.set.values || !outer.set.values) {
    return `${inner.name} takes faker values here and other values there; use the same top-level label for both`;
  }
  const missing = inner.set.values.filter((v) => !outer.set.values!.includes(v));
  if (missing.length === 0) return undefined;
  return `"${missing[0]}" is not a value of ${outer.name}${valueHint(missing[0]!, outer.set.values)}`;
}

export function compileRate(path: Path, input: number | string, scope: Scope): NumberSource {
  let rate: NumberSource;
  const unit =
    typeof input === 'string' ? /^\s*(\d+(?:\.\d+)?(?:e[+-]?\d+)?)\s*\/\s*([smhd])\s*$/i.exec(input) : null;
  if (unit) {
    const value = Number(unit[1]) * UNIT_PER_SECOND[unit[2]!.toLowerCase()]!;
    rate = () => value;
  } else {
    rate = compileNumber(path, input, scope);
  }
  const constant = typeof input === 'number' ? input : unit ? rate(() => NaN) : undefined;
  if (constant !== undefined && constant > MAX_RATE) {
    fail(path, `${constant}/s is above the limit of ${MAX_RATE} events per second; lower it`);
  }
  return (vars) => Math.min(MAX_RATE, Math.max(0, rate(vars)));
}

function compileShape(path: Path, input: EventInput['shape']): ShapePlan | undefined {
  if (!input) return undefined;
  return {
    daily: input.daily ?? 0,
    peakHour: input.peak ?? 14,
    wave: input.wave
      ? {
          periodMs: durationMs([...path, 'wave', 'period'], input.wave.period),
          amplitude: input.wave.amplitude,
        }
      : undefined,
    noise: input.noise ?? 0,
  };
}

export function compileCondition(
  path: Path,
  input: Record<string, string | string[]> | undefined,
  labels: readonly LabelPlan[],
): Condition | undefined {
  if (!input) return undefined;
  return Object.entries(input).map(([label, value]) => {
    const plan = labels.find((l) => l.name === label);
    if (!plan)
      mustBeOneOf(
        [...path, label],
        label,
        labels.map((l) => l.name),
        'event label',
      );
    const values = Array.isArray(value) ? value : [value];
    for (const v of values) {
      if (plan!.set.values && !plan!.set.values.includes(v)) {
        fail([...path, label], `"${v}" is not a value of ${label}${valueHint(v, plan!.set.values)}`);
      }
    }
    return { label, values };
  });
}

interface EventContext {
  path: Path;
  service: ServicePlan;
  labels: readonly LabelPlan[];
  duration: Distribution | undefined;
  scope: Scope;
}

function actionLabels(path: Path, input: ActionInput, metric: MetricPlan, ctx: EventContext): LabelSource[] {
  const given = input.labels ?? {};
  for (const name of Object.keys(given)) {
    mustBeOneOf([...path, 'labels', name], name, metric.def.labelNames, `label of ${metric.def.name}`);
  }
  return metric.labels.map((label): LabelSource => {
    const value = given[label.name];
    const at = [...path, 'labels', label.name];
    if (value !== undefined && !value.startsWith('$')) {
      if (!label.set.values) fail(at, `${label.name} takes faker values; a literal cannot be one of them`);
      if (!label.set.values.includes(value)) {
        fail(
          at,
          `"${value}" is not a value of ${metric.def.name}'s ${label.name}${valueHint(value, label.set.values)}`,
        );
      }
      return { kind: 'literal', value };
    }
    const eventLabel = value === undefined ? label.name : value.slice(1);
    const fromEvent = ctx.labels.find((l) => l.name === eventLabel);
    if (value !== undefined && !fromEvent) {
      mustBeOneOf(
        at,
        eventLabel,
        ctx.labels.map((l) => l.name),
        'event label',
      );
    }
    if (!fromEvent) return { kind: 'draw', label };
    const problem = subsetProblem({ ...fromEvent, name: label.name }, label);
    if (problem) fail(value === undefined ? [...ctx.path, 'labels', eventLabel] : at, problem);
    return { kind: 'event', label: eventLabel };
  });
}

const ACTION_TYPES: Record<ActionPlan['kind'], readonly string[]> = {
  inc: ['counter', 'gauge'],
  dec: ['gauge'],
  observe: ['histogram', 'summary'],
  set: ['gauge'],
  timestamp: ['gauge'],
};
const plural = (type: string) => (type === 'summary' ? 'summaries' : `${type}s`);

function compileAction(
  path: Path,
  input: ActionInput,
  metrics: ReadonlyMap<string, MetricPlan>,
  ctx: EventContext,
): ActionPlan {
  const kind = (['inc', 'dec', 'observe', 'set', 'timestamp'] as const).find((k) => k in input)!;
  const name = (input as unknown as Record<string, string>)[kind]!;
  mustBeOneOf([...path, kind], name, [...metrics.keys()], 'metric');
  const metric = metrics.get(name)!;
  if (!ACTION_TYPES[kind].includes(metric.def.type)) {
    fail(
      [...path, kind],
      `${name} is a ${metric.def.type}; ${kind} works on ${ACTION_TYPES[kind].map(plural).join(' and ')}`,
    );
  }
  if (metric.gauge) fail([...path, kind], `${name} evolves on its own (value:); events cannot change it too`);
  if (metric.service !== ctx.service) {
    fail([...path, kind], `${name} is served by service ${metric.service.name}, not by this event's service`);
  }
  let value: ActionPlan['value'];
  const raw = 'by' in input ? input.by : 'value' in input ? input.value : undefined;
  const at = [...path, 'by' in input ? 'by' : 'value'];
  if (raw === 'duration') {
    if (!ctx.duration) fail(at, 'the event has no duration; give it one (duration: …)');
    value = 'duration';
  } else if (typeof raw === 'string') {
    const source = compileNumber(at, raw, ctx.scope);
    value = (_rng, vars) => source(vars);
  } else if (raw !== undefined) {
    value = compileDistribution(at, raw, ctx.scope);
  }
  if (kind === 'observe' && value === undefined) fail(path, 'observe needs a value');
  if (kind === 'set' && value === undefined) fail(path, 'set needs a value');
  return {
    kind,
    metric,
    labels: actionLabels(path, input, metric, ctx),
    value,
    when: compileCondition([...path, 'when'], input.when, ctx.labels),
    probability:
      input.probability === undefined
        ? undefined
        : compileNumber([...path, 'probability'], input.probability, ctx.scope),
  };
}

function compileField(path: Path, input: unknown, ctx: EventContext, fakerKey: string): FieldPlan {
  if (typeof input === 'string') {
    if (!input.startsWith('$')) return { kind: 'literal', value: input };
    const name = input.slice(1);
    if (name === 'duration') {
      if (!ctx.duration) fail(path, 'the event has no duration; give it one (duration: …)');
      return { kind: 'duration' };
    }
    mustBeOneOf(
      path,
      name,
      ctx.labels.map((l) => l.name),
      'event label',
    );
    return { kind: 'label', label: name };
  }
  if (typeof input === 'number' || typeof input === 'boolean') return { kind: 'literal', value: input };
  if (typeof input === 'object' && input !== null && 'faker' in input) {
    const spec = input as { faker: string; size?: number };
    const set: ValueSet = compileValueSet(path, { faker: spec.faker, size: spec.size ?? 100 }, ctx.scope);
    return { kind: 'faker', set, key: fakerKey };
  }
  return {
    kind: 'number',
    draw: compileDistribution(path, input as Parameters<typeof compileDistribution>[1], ctx.scope),
  };
}

function compileFields(
  path: Path,
  input: Record<string, unknown> | undefined,
  ctx: EventContext,
): [string, FieldPlan][] {
  return Object.entries(input ?? {}).map(([name, spec]) => [
    name,
    compileField([...path, name], spec, ctx, [...path, name].map(String).join('.')),
  ]);
}

function compileLog(path: Path, input: LogInput, ctx: EventContext): LogPlan {
  return {
    level: input.level ?? 'info',
    message: input.message,
    fields: compileFields([...path, 'fields'], input.fields, ctx),
    when: compileCondition([...path, 'when'], input.when, ctx.labels),
    probability:
      input.probability === undefined
        ? undefined
        : compileNumber([...path, 'probability'], input.probability, ctx.scope),
  };
}

function compileSpan(path: Path, input: SpanInput, ctx: EventContext, root: boolean): SpanPlan {
  if (root && input.when)
    fail([...path, 'when'], 'the root span exists whenever the event is traced; use trace.sample');
  const children = (input.children ?? []).map((child, i) =>
    compileSpan([...path, 'children', i], child, ctx, false),
  );
  let duration: SpanPlan['duration'];
  if (input.duration === 'duration') {
    if (!ctx.duration) fail([...path, 'duration'], 'the event has no duration; give it one (duration: …)');
    duration = 'duration';
  } else if (input.duration !== undefined) {
    duration = compileDistribution(
      [...path, 'duration'],
      input.duration as Parameters<typeof compileDistribution>[1],
      ctx.scope,
    );
  } else if (children.length === 0) {
    fail(path, "a span without children needs a duration (seconds, or duration for the event's)");
  }
  return {
    name: input.name,
    kind: input.kind ?? (root ? 'server' : 'internal'),
    duration,
    attributes: compileFields([...path, 'attributes'], input.attributes, ctx),
    error: compileCondition([...path, 'error'], input.error, ctx.labels),
    when: compileCondition([...path, 'when'], input.when, ctx.labels),
    children,
  };
}

export function compileEvents(
  file: SystemFile,
  services: readonly ServicePlan[],
  metrics: ReadonlyMap<string, MetricPlan>,
  shared: ReadonlyMap<string, ValueSet>,
  scope: Scope,
): EventPlan[] {
  return Object.entries(file.events ?? {}).map(([name, input]) => {
    const path = ['events', name];
    const service = serviceOf(path, input.service, services);
    const labels = Object.entries(input.labels ?? {}).map(([label, set]) =>
      labelPlan([...path, 'labels', label], label, set, shared, scope),
    );
    const duration =
      input.duration === undefined
        ? undefined
        : compileDistribution([...path, 'duration'], input.duration, scope);
    const ctx: EventContext = { path, service, labels, duration, scope };
    const actions = input.do.map((action, i) => compileAction([...path, 'do', i], action, metrics, ctx));
    const logInputs = input.log === undefined ? [] : Array.isArray(input.log) ? input.log : [input.log];
    const logs = logInputs.map((log, i) =>
      compileLog(Array.isArray(input.log) ? [...path, 'log', i] : [...path, 'log'], log, ctx),
    );
    return {
      name,
      service,
      rate: compileRate([...path, 'rate'], input.rate, scope),
      shape: compileShape([...path, 'shape'], input.shape),
      labels,
      duration,
      actions,
      logs,
      trace: input.trace
        ? {
            sample:
              input.trace.sample === undefined
                ? () => 1
                : compileNumber([...path, 'trace', 'sample'], input.trace.sample, scope),
            root: compileSpan([...path, 'trace', 'root'], input.trace.root, ctx, true),
          }
        : undefined,
    };
  });
}
