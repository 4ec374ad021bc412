import type { FaultDefinition, ParamSpec } from '../model/faults/definition.js';
import { compileDistribution } from './distribution.js';
import { compileNumber, type NumberSource, type Scope } from './expression-scope.js';
import { compileGaugeBehaviour, durationMs } from './gauge-behaviours.js';
import { serviceOf } from './compile-metrics.js';
import { subsetProblem } from './compile-events.js';
import type {
  EffectPlan,
  EventPlan,
  FaultPlan,
  LabelPlan,
  MetricPlan,
  ServicePlan,
  ValueRef,
} from './plan.js';
import { fail, mustBeOneOf, valueHint } from './problem.js';
import type { EffectInput, ParamInput, SystemFile } from './system-schema.js';
import { compileValueSet, type ValueSet } from './value-sets.js';

type Path = readonly PropertyKey[];
/** Faults every system has, defined by the platform. */
const PLATFORM_FAULTS = ['service_down'];

/** A parameter (of a fault or a knob) as the fault framework validates it. */
export function paramSpec(path: Path, input: ParamInput, shared: ReadonlyMap<string, ValueSet>): ParamSpec {
  const description = input.description ?? '';
  if (input.type === 'number') {
    if (input.min !== undefined && input.max !== undefined && input.min > input.max)
      fail([...path, 'max'], 'must be at least min');
    if (input.default !== undefined) {
      if (input.min !== undefined && input.default < input.min)
        fail([...path, 'default'], `must be >= min (${input.min})`);
      if (input.max !== undefined && input.default > input.max)
        fail([...path, 'default'], `must be <= max (${input.max})`);
      if (input.integer && !Number.isInteger(input.default))
        fail([...path, 'default'], 'must be a whole number');
    }
    return {
      type: 'number',
      default: input.default,
      min: input.min,
      max: input.max,
      integer: input.integer,
      description,
    };
  }
  if (input.type === 'duration') {
    const max = input.max === undefined ? undefined : durationMs([...path, 'max'], input.max);
    const value = input.default === undefined ? undefined : durationMs([...path, 'default'], input.default);
    if (value !== undefined && max !== undefined && value > max)
      fail([...path, 'default'], `must be at most ${input.max}`);
    return { type: 'duration', default: value, max, description };
  }
  if (input.values && input.label) fail([...path, 'label'], 'give values or label, not both');
  let values = input.values;
  if (input.label) {
    const set = shared.get(input.label);
    if (!set) mustBeOneOf([...path, 'label'], input.label, [...shared.keys()], 'top-level label');
    if (!set!.values)
      fail([...path, 'label'], `${input.label} takes faker values, which are not known before the run`);
    values = [...set!.values];
  }
  if (!values) fail(path, 'an enum needs values: [...] or label: NAME');
  if (input.default !== undefined && !values.includes(input.default)) {
    fail([...path, 'default'], `"${input.default}" is not one of ${values.slice(0, 8).join(', ')}`);
  }
  return { type: 'enum', values, default: input.default, description };
}

interface FaultContext {
  params: Readonly<Record<string, ParamSpec>>;
  scope: Scope;
}

function valueRef(path: Path, value: string, label: LabelPlan, ctx: FaultContext): ValueRef {
  if (value.startsWith('$')) {
    const param = value.slice(1);
    mustBeOneOf(path, param, Object.keys(ctx.params), 'parameter');
    const spec = ctx.params[param]!;
    if (spec.type !== 'enum')
      fail(path, `$${param} is a ${spec.type}; a label value comes from an enum parameter`);
    const foreign = label.set.values ? spec.values.filter((v) => !label.set.values!.includes(v)) : [];
    if (foreign.length > 0)
      fail(path, `$${param} can be "${foreign[0]}", which is not a value of ${label.name}`);
    return { param };
  }
  if (label.set.values && !label.set.values.includes(value)) {
    fail(path, `"${value}" is not a value of ${label.name}${valueHint(value, label.set.values)}`);
  }
  return { literal: value };
}

function whereOf(
  path: Path,
  input: Record<string, string> | undefined,
  labels: readonly LabelPlan[],
  what: string,
  ctx: FaultContext,
) {
  return Object.entries(input ?? {}).map(([name, value]): [string, ValueRef] => {
    mustBeOneOf(
      [...path, name],
      name,
      labels.map((l) => l.name),
      what,
    );
    return [
      name,
      valueRef(
        [...path, name],
        value,
        labels.find((l) => l.name === name)!,
        ctx,
      ),
    ];
  });
}

const optionalNumber = (
  path: Path,
  value: number | string | undefined,
  scope: Scope,
): NumberSource | undefined => (value === undefined ? undefined : compileNumber(path, value, scope));

function compileEffect(
  path: Path,
  input: EffectInput,
  system: {
    services: readonly ServicePlan[];
    metrics: ReadonlyMap<string, MetricPlan>;
    events: readonly EventPlan[];
  },
  ctx: FaultContext,
): EffectPlan {
  if ('event' in input) {
    mustBeOneOf(
      [...path, 'event'],
      input.event,
      system.events.map((e) => e.name),
      'event',
    );
    const event = system.events.find((e) => e.name === input.event)!;
    const labels = Object.entries(input.labels ?? {}).map(
      ([name, value]): [string, ValueRef | { set: ValueSet; key: string }] => {
        const at = [...path, 'labels', name];
        mustBeOneOf(
          at,
          name,
          event.labels.map((l) => l.name),
          `label of event ${event.name}`,
        );
        const label = event.labels.find((l) => l.name === name)!;
        if (typeof value === 'string') return [name, valueRef(at, value, label, ctx)];
        const set = compileValueSet(at, value, ctx.scope);
        const problem = subsetProblem({ name, set, setKey: at.join('.') }, label);
        if (problem) fail(at, problem);
        return [name, { set, key: at.map(String).join('.') }];
      },
    );
    if (
      input.rate === undefined &&
      input.scale === undefined &&
      labels.length === 0 &&
      input.duration === undefined
    ) {
      fail(path, 'an event effect changes something: rate, scale, labels or duration');
    }
    if (input.duration !== undefined && !event.duration)
      fail([...path, 'duration'], `event ${event.name} has no duration to change`);
    return {
      kind: 'event',
      event,
      where: whereOf([...path, 'where'], input.where, event.labels, `label of event ${event.name}`, ctx),
      rate: optionalNumber([...path, 'rate'], input.rate, ctx.scope),
      scale: optionalNumber([...path, 'scale'], input.scale, ctx.scope),
      labels,
      duration:
        input.duration === undefined
          ? undefined
          : compileDistribution([...path, 'duration'], input.duration, ctx.scope),
    };
  }
  if ('observe' in input) {
    mustBeOneOf([...path, 'observe'], input.observe, [...system.metrics.keys()], 'metric');
    const metric = system.metrics.get(input.observe)!;
    if (metric.def.type !== 'histogram' && metric.def.type !== 'summary') {
      fail(
        [...path, 'observe'],
        `${metric.def.name} is a ${metric.def.type}; observe effects change histograms and summaries`,
      );
    }
    return {
      kind: 'observe',
      metric,
      where: whereOf([...path, 'where'], input.where, metric.labels, `label of ${metric.def.name}`, ctx),
      value: compileDistribution([...path, 'value'], input.value, ctx.scope),
    };
  }
  if ('gauge' in input) {
    mustBeOneOf([...path, 'gauge'], input.gauge, [...system.metrics.keys()], 'metric');
    const metric = system.metrics.get(input.gauge)!;
    if (!metric.gauge)
      fail([...path, 'gauge'], `${metric.def.name} has no value: of its own to change; give it one`);
    if (!input.value && input.scale === undefined && input.offset === undefined) {
      fail(path, 'a gauge effect changes something: value, scale or offset');
    }
    const behaviour = input.value
      ? compileGaugeBehaviour([...path, 'value'], input.value, ctx.scope, [...system.metrics.keys()])
      : undefined;
    if (behaviour && behaviour.reads.length > 0)
      fail([...path, 'value'], 'a fault cannot make a gauge derived');
    return {
      kind: 'gauge',
      metric,
      where: whereOf([...path, 'where'], input.where, metric.labels, `label of ${metric.def.name}`, ctx),
      behaviour: behaviour?.behaviour,
      scale: optionalNumber([...path, 'scale'], input.scale, ctx.scope),
      offset: optionalNumber([...path, 'offset'], input.offset, ctx.scope),
    };
  }
  const service = serviceOf([...path], input.down, system.services);
  let instance: NumberSource | undefined;
  if (typeof input.instance === 'number') {
    if (input.instance >= service.instances) {
      fail(
        [...path, 'instance'],
        `service ${service.name} has ${service.instances} instance(s), numbered from 0`,
      );
    }
    const value = input.instance;
    instance = () => value;
  } else if (input.instance !== undefined) {
    instance = compileNumber([...path, 'instance'], input.instance, ctx.scope);
  }
  return { kind: 'down', service, instance };
}

export function compileFaults(
  file: SystemFile,
  system: {
    services: readonly ServicePlan[];
    metrics: ReadonlyMap<string, MetricPlan>;
    events: readonly EventPlan[];
  },
  shared: ReadonlyMap<string, ValueSet>,
  knobs: readonly string[],
): { plans: FaultPlan[]; definitions: FaultDefinition[] } {
  const plans: FaultPlan[] = [];
  const definitions: FaultDefinition[] = [];
  for (const [name, input] of Object.entries(file.faults ?? {})) {
    const path = ['faults', name];
    if (PLATFORM_FAULTS.includes(name)) {
      fail(path, `${name} is a fault of the platform already (it works for every system); rename this one`);
    }
    const params: Record<string, ParamSpec> = {};
    for (const [param, spec] of Object.entries(input.params ?? {})) {
      if (knobs.includes(param))
        fail([...path, 'params', param], `a knob is also named ${param}; rename the parameter`);
      params[param] = paramSpec([...path, 'params', param], spec, shared);
    }
    const scope: Scope = { names: [...knobs, ...Object.keys(params)], description: 'knob or parameter' };
    const effects = input.effects.map((effect, i) =>
      compileEffect([...path, 'effects', i], effect, system, { params, scope }),
    );
    const service =
      input.service === undefined ? system.services[0]! : serviceOf(path, input.service, system.services);
    plans.push({ name, effects, backDated: params.since?.type === 'duration' });
    definitions.push({
      name,
      summary: input.summary,
      service: service.name,
      alerts: input.alerts ?? [],
      params,
    });
  }
  return { plans, definitions };
}
