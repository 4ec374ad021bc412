import { z } from 'zod';

/**
 * The structure of a system file. Only shape and bounds live here (this is what the published JSON Schema
 * says); references between parts and expressions are checked by the compiler.
 */

const DURATION = '^(\\d+(\\.\\d+)?(ms|s|m|h|d|w|y))+$|^0$';
const duration = z
  .string()
  .regex(new RegExp(DURATION), { error: 'must be a duration like 90s, 30m or 1h30m' })
  .meta({ description: 'a duration like 90s, 30m or 1h30m' });

const identifier = z
  .string()
  .regex(/^[a-z][a-z0-9_]*$/, { error: 'must be lower-case letters, digits and _, starting with a letter' })
  .max(64);
const systemName = z
  .string()
  .regex(/^[a-z][a-z0-9-]*$/, { error: 'must be lower-case letters, digits and -, starting with a letter' })
  .max(48);
const metricName = z
  .string()
  .regex(/^[a-zA-Z_:][a-zA-Z0-9_:]*$/, { error: 'is not a valid Prometheus metric name' })
  .max(200);
const labelName = z
  .string()
  .regex(/^(?!__)(?!(?:job|instance|le|quantile)$)[a-zA-Z_][a-zA-Z0-9_]*$/, {
    error: 'must be a Prometheus label name, and not one Prometheus sets (job, instance, le, quantile, __*)',
  })
  .max(100);
const fieldName = z
  .string()
  .regex(/^[a-zA-Z_][a-zA-Z0-9_.]*$/, { error: 'must be letters, digits, _ and .' })
  .max(64);
const text = (max: number) => z.string().max(max);

/** A number, or an expression over knobs and fault parameters (`$rate * 2`). */
const numberOrExpr = z.union([z.number(), z.string().max(200)]);
const finite = z.number().finite();

const labelValue = z.string().min(1).max(200);
/** A value in the `value: weight` form; the other forms' words cannot be values there. */
const weightedValue = z
  .string()
  .min(1)
  .max(200)
  .regex(/^(?!(?:faker|size|values|weights)$)/, {
    error: 'faker, size, values and weights belong to the other forms of a value set',
  });
const fakerPath = z
  .string()
  .regex(/^[a-z]+\.[a-zA-Z]+$/, { error: 'must be a faker method like company.name or string.uuid' });

export const valueSetSchema = z
  .union([
    z.array(labelValue).min(1).max(10_000),
    z.strictObject({
      values: z.array(labelValue).min(1).max(10_000),
      weights: z.array(finite.nonnegative()).optional().describe('relative weights, one per value'),
    }),
    z.strictObject({
      faker: fakerPath.describe('faker method whose results make the values'),
      size: z.number().int().min(1).max(10_000).describe('how many distinct values'),
    }),
    z
      .record(weightedValue, numberOrExpr)
      .describe('value: relative weight (faker, size, values and weights are words of the other forms)'),
  ])
  .describe('the values a label takes: a list, values with weights, a faker pool, or value: weight');

export const distributionSchema = z
  .union([
    finite,
    z.strictObject({ constant: numberOrExpr }),
    z.strictObject({ uniform: z.tuple([numberOrExpr, numberOrExpr]) }),
    z.strictObject({
      normal: z.strictObject({ mean: numberOrExpr, stddev: numberOrExpr }),
      min: finite.optional(),
      max: finite.optional(),
    }),
    z.strictObject({
      lognormal: z.strictObject({ median: numberOrExpr, p99: numberOrExpr }),
      max: finite.optional(),
    }),
    z.strictObject({ exponential: z.strictObject({ mean: numberOrExpr }), max: finite.optional() }),
  ])
  .describe(
    'a value: a number, or constant, uniform [a, b], normal, lognormal (median and p99), exponential',
  );

const gaugeCommon = {
  min: finite.optional().describe('clamp the value from below'),
  max: finite.optional().describe('clamp the value from above'),
  noise: finite.min(0).max(10).optional().describe('relative noise added at each update (0.05 = 5%)'),
  round: z.boolean().optional().describe('whole numbers only (queue depths, counts of things)'),
  scale_by: z
    .string()
    .optional()
    .describe("multiply by the weight share of the series' value of this label (tenants of different sizes)"),
};

export const gaugeValueSchema = z
  .union([
    z.strictObject({ constant: numberOrExpr, ...gaugeCommon }),
    z.strictObject({
      walk: z.strictObject({
        start: numberOrExpr,
        step: numberOrExpr.describe('typical change per minute'),
        min: numberOrExpr,
        max: numberOrExpr,
      }),
      ...gaugeCommon,
    }),
    z.strictObject({
      sine: z.strictObject({
        mean: numberOrExpr,
        amplitude: numberOrExpr,
        period: duration,
        phase: duration.optional(),
      }),
      ...gaugeCommon,
    }),
    z.strictObject({
      daily: z.strictObject({
        mean: numberOrExpr,
        amplitude: numberOrExpr,
        peak: z.number().min(0).max(24).optional().describe('hour of the day (UTC) of the peak'),
      }),
      ...gaugeCommon,
    }),
    z.strictObject({
      trend: z.strictObject({
        start: numberOrExpr.optional().describe('value at the start (default 0; in a fault: where it was)'),
        per_hour: numberOrExpr.describe('change per hour'),
      }),
      ...gaugeCommon,
    }),
    z.strictObject({
      derived: z.string().max(500).describe('expression over other metrics of the same labels: in_use / max'),
      ...gaugeCommon,
    }),
  ])
  .describe('how a gauge evolves on its own');

const metricSchema = z.strictObject({
  type: z.enum(['counter', 'gauge', 'histogram', 'summary']),
  help: text(500).describe('help text'),
  service: identifier.optional().describe('the service whose target serves it (needed with several)'),
  labels: z
    .union([z.array(labelName).max(16), z.record(labelName, z.union([valueSetSchema, z.null()]))])
    .optional()
    .describe('label names (values from the top-level labels), or name: values'),
  buckets: z.array(finite).min(1).max(100).optional().describe('histogram bucket upper bounds'),
  quantiles: z.array(z.number().gt(0).lt(1)).min(1).max(20).optional().describe('summary quantiles'),
  max_age: duration.optional().describe('summary sliding window (default 10m)'),
  value: gaugeValueSchema.optional(),
  every: duration.optional().describe('how often a gauge with a value is updated (default 15s)'),
  headline: z.boolean().optional().describe("shown in the terminal UI's traffic panel"),
});

const conditionSchema = z
  .record(labelName, z.union([labelValue, z.array(labelValue).min(1)]))
  .describe('event labels that must match (a value or a list of values)');

const actionCommon = {
  labels: z
    .record(labelName, labelValue)
    .optional()
    .describe('label values: literal, or $label of the event'),
  when: conditionSchema.optional(),
  probability: numberOrExpr.optional().describe('chance that the action happens (0..1)'),
};

export const actionSchema = z.union([
  z.strictObject({
    inc: metricName,
    by: z.union([distributionSchema, z.string()]).optional(),
    ...actionCommon,
  }),
  z.strictObject({
    dec: metricName,
    by: z.union([distributionSchema, z.string()]).optional(),
    ...actionCommon,
  }),
  z.strictObject({
    observe: metricName,
    value: z.union([distributionSchema, z.literal('duration')]),
    ...actionCommon,
  }),
  z.strictObject({ set: metricName, value: z.union([distributionSchema, z.string()]), ...actionCommon }),
  z.strictObject({ timestamp: metricName, ...actionCommon }),
]);

const fieldSpecSchema = z
  .union([
    z.string().max(500),
    z.number(),
    z.boolean(),
    z.strictObject({ faker: fakerPath, size: z.number().int().min(1).max(10_000).optional() }),
    distributionSchema,
  ])
  .describe('$label, $duration, a literal, a faker pool or a distribution');

const logSchema = z.strictObject({
  level: z.enum(['debug', 'info', 'warn', 'error']).optional(),
  message: text(500),
  fields: z.record(fieldName, fieldSpecSchema).optional(),
  when: conditionSchema.optional(),
  probability: numberOrExpr.optional(),
});

interface SpanInput {
  name: string;
  kind?: 'internal' | 'server' | 'client' | 'producer' | 'consumer';
  duration?: unknown;
  attributes?: Record<string, unknown>;
  error?: Record<string, string | string[]>;
  when?: Record<string, string | string[]>;
  children?: SpanInput[];
}

const spanKind = z.enum(['internal', 'server', 'client', 'producer', 'consumer']);
export const spanSchema: z.ZodType<SpanInput> = z.lazy(() =>
  z.strictObject({
    name: text(200),
    kind: spanKind.optional(),
    duration: z
      .union([distributionSchema, z.literal('duration')])
      .optional()
      .describe('seconds'),
    attributes: z.record(fieldName, fieldSpecSchema).optional(),
    error: conditionSchema.optional().describe('the span fails when the event labels match'),
    when: conditionSchema.optional().describe('the span exists only when the event labels match'),
    children: z.array(spanSchema).max(50).optional(),
  }),
);

const traceSchema = z.strictObject({
  sample: numberOrExpr.optional().describe('share of events traced (0..1; default 1)'),
  root: spanSchema,
});

const shapeSchema = z.strictObject({
  daily: z.number().min(0).max(1).optional().describe('amplitude of the daily swing (0.2 = ±20%)'),
  peak: z.number().min(0).max(24).optional().describe('hour of the day (UTC) of the daily peak'),
  wave: z
    .strictObject({ period: duration, amplitude: z.number().min(0).max(1) })
    .optional()
    .describe('a shorter cycle'),
  noise: z.number().min(0).max(1).optional().describe('random variation of the rate per minute'),
});

const eventSchema = z.strictObject({
  service: identifier.optional(),
  rate: z
    .union([finite.nonnegative({ error: 'must be 0 or more (events per second)' }), z.string().max(200)])
    .describe('per second, or "3/m", "100/h", "$knob * 2"'),
  shape: shapeSchema.optional(),
  labels: z
    .record(labelName, z.union([valueSetSchema, z.null()]))
    .optional()
    .describe('labels drawn once per event (null: the values declared under labels)'),
  duration: distributionSchema.optional().describe('seconds; observe `duration` and the trace use it'),
  do: z.array(actionSchema).min(1).max(50),
  log: z.union([logSchema, z.array(logSchema).max(20)]).optional(),
  trace: traceSchema.optional(),
});

export const paramSchema = z.union([
  z.strictObject({
    type: z.literal('number'),
    default: finite.optional(),
    min: finite.optional(),
    max: finite.optional(),
    integer: z.boolean().optional(),
    description: text(300).optional(),
  }),
  z.strictObject({
    type: z.literal('duration'),
    default: duration.optional(),
    max: duration.optional(),
    description: text(300).optional(),
  }),
  z.strictObject({
    type: z.literal('enum'),
    values: z.array(labelValue).min(1).max(1000).optional(),
    label: labelName.optional().describe('take the values of this top-level label'),
    default: labelValue.optional(),
    description: text(300).optional(),
  }),
]);

const where = z.record(labelName, labelValue).optional().describe('only series or events with these labels');

export const effectSchema = z.union([
  z.strictObject({
    event: identifier,
    where,
    rate: numberOrExpr.optional().describe('replace the rate (per second)'),
    scale: numberOrExpr.optional().describe('multiply the rate'),
    labels: z
      .record(labelName, z.union([labelValue, valueSetSchema]))
      .optional()
      .describe('override label draws'),
    duration: distributionSchema.optional(),
  }),
  z.strictObject({ observe: metricName, where, value: distributionSchema }),
  z.strictObject({
    gauge: metricName,
    where,
    value: gaugeValueSchema.optional(),
    scale: numberOrExpr.optional(),
    offset: numberOrExpr.optional(),
  }),
  z.strictObject({
    down: identifier.describe('service whose targets stop answering (up == 0)'),
    instance: z
      .union([z.number().int().min(0), z.string()])
      .optional()
      .describe('one target (default: all)'),
  }),
]);

const faultSchema = z.strictObject({
  summary: text(300),
  service: identifier.optional(),
  alerts: z.array(z.string().max(200)).max(50).optional().describe('alerts this fault is meant to fire'),
  params: z.record(identifier, paramSchema).optional(),
  effects: z.array(effectSchema).min(1).max(50),
});

const serviceSchema = z.strictObject({
  job: z
    .string()
    .regex(/^[a-zA-Z0-9_.-]+$/)
    .max(100)
    .optional()
    .describe('scrape job name (default: <system>-<service>)'),
  instances: z.number().int().min(1).max(1000).optional().describe('scrape targets (default 1)'),
});

export const systemFileSchema = z
  .strictObject({
    $schema: z.string().optional(),
    system: systemName.describe('the system name'),
    description: text(2000).optional(),
    services: z.record(identifier, z.union([serviceSchema, z.null()])),
    labels: z
      .record(labelName, valueSetSchema)
      .optional()
      .describe('value sets shared by metrics and events'),
    metrics: z.record(metricName, metricSchema),
    events: z.record(identifier, eventSchema).optional(),
    faults: z.record(identifier, faultSchema).optional(),
    knobs: z.record(identifier, paramSchema).optional(),
    rules: z.array(z.string()).max(100).optional().describe('rule files, relative to this file'),
    dashboards: z.array(z.string()).max(100).optional().describe('dashboard files, relative to this file'),
    dashboard: z.boolean().optional().describe('generate a Grafana dashboard (default true)'),
  })
  .describe('A simulated system for obs-sandbox, declared without code');

export type SystemFile = z.infer<typeof systemFileSchema>;
export type ValueSetInput = z.infer<typeof valueSetSchema>;
export type DistributionInput = z.infer<typeof distributionSchema>;
export type GaugeValueInput = z.infer<typeof gaugeValueSchema>;
export type ActionInput = z.infer<typeof actionSchema>;
export type EffectInput = z.infer<typeof effectSchema>;
export type ParamInput = z.infer<typeof paramSchema>;
export type MetricInput = z.infer<typeof metricSchema>;
export type EventInput = z.infer<typeof eventSchema>;
export type FaultInput = z.infer<typeof faultSchema>;
export type LogInput = z.infer<typeof logSchema>;
export type { SpanInput };

/** The JSON Schema published for editors and other tools (schemas/system.schema.json). */
export function systemJsonSchema(): object {
  return z.toJSONSchema(systemFileSchema, { io: 'input', unrepresentable: 'any' });
}
