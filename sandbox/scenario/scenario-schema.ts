import { z } from 'zod';
import { formatDuration, parseDuration } from '../../generators/model/duration.js';

const DURATION_HINT = 'a duration like 90s, 30m or 1h30m';

/** A Prometheus-style duration string, parsed to milliseconds. */
const duration = z
  .string({ error: (issue) => (issue.input === undefined ? 'is required' : `must be ${DURATION_HINT}`) })
  .transform((text, ctx) => {
    const ms = parseDuration(text);
    if (ms === undefined) {
      ctx.addIssue({ code: 'custom', message: `"${text}" is not ${DURATION_HINT}` });
      return z.NEVER;
    }
    return ms;
  })
  .meta({ description: DURATION_HINT, pattern: '^\\s*((\\d+(\\.\\d+)?(ms|s|m|h|d|w|y))+|0)\\s*$' });

/** Bounds that keep a replay finite (README, "Scenario format"); the sample budget is in sandbox/replay/simulate.ts. */
export const SCENARIO_BOUNDS = {
  /** The longest `duration:`. */
  maxDurationMs: 7 * 86_400_000,
  /** The longest `warmup:`. */
  maxWarmupMs: 86_400_000,
  /** The shortest `evaluation_interval:` (the longest is the scenario's duration). */
  minEvaluationIntervalMs: 1000,
} as const;

const name = z
  .string()
  .regex(/^[a-z0-9][a-z0-9_-]*$/, { error: 'must be lower-case letters, digits, - and _' });

const paramValue = z.union([z.string(), z.number()], { error: 'must be a number or a string' });
const NOT_EMPTY = { error: 'must not be empty' };
/** Knob names as systems declare them; the pattern also keeps `__proto__` out (the CLI refuses it by position). */
const knobValues = z.record(
  z.string().regex(/^[a-z][a-z0-9_]*$/, { error: 'must be a knob name (see `sandbox faults`)' }),
  paramValue,
);
const labels = z.record(z.string(), z.string()).describe('alert labels that must match (a subset)');

const step = z
  .strictObject({
    at: duration.describe('time after the scenario starts'),
    name: name.optional().describe('a name expectations can be relative to (`after: NAME`)'),
    fault: z.string().min(1, NOT_EMPTY).optional().describe('switch this fault on (see `sandbox faults`)'),
    params: z.record(z.string(), paramValue).optional().describe("the fault's parameters"),
    clear: z.string().min(1, NOT_EMPTY).optional().describe('switch this fault off'),
    traffic: knobValues.optional().describe('traffic knobs to change'),
    caption: z.string().min(1, NOT_EMPTY).optional().describe('what is happening, for demos and reports'),
  })
  // Each refinement is said again in JSON Schema terms (zod cannot translate a refinement), so that the
  // published schema accepts exactly what the CLI does; test/scenario/scenario-schema-corpus.test.ts checks it.
  .refine((s) => [s.fault, s.clear, s.traffic, s.caption].some((x) => x !== undefined), {
    error: 'a step needs at least one of fault, clear, traffic or caption',
  })
  .refine((s) => s.params === undefined || s.fault !== undefined, {
    error: 'params belong to a step with fault',
    path: ['params'],
  })
  .meta({
    anyOf: ['fault', 'clear', 'traffic', 'caption'].map((key) => ({ required: [key] })),
    dependentRequired: { params: ['fault'] },
  });

const window = {
  after: name.optional().describe('measure from this named step instead of the start'),
};

const expectation = z
  .strictObject({
    alert: z.string().describe('alert name, as in the rule files'),
    rule_file: z
      .string()
      .min(1)
      .optional()
      .describe(
        'the rule file that defines it, when several loaded files do: a path relative to this file, or a base name',
      ),
    labels: labels.optional(),
    fires: z
      .strictObject({
        within: duration.describe('firing no later than this'),
        not_before: duration.optional().describe('and not firing earlier than this'),
        ...window,
      })
      .optional(),
    never: z
      .literal(true, { error: 'must be true (leave never out otherwise)' })
      .optional()
      .describe('never fires during the scenario'),
    silent: z
      .strictObject({ from: duration.optional(), to: duration.optional(), ...window })
      .optional()
      .describe('does not fire during this window'),
    resolves: z
      .strictObject({ within: duration.describe('no longer firing from this time on'), ...window })
      .optional(),
    firing: z
      .strictObject({
        from: duration.describe('firing at every evaluation from this time'),
        to: duration.describe('to this time'),
        ...window,
      })
      .optional()
      .describe('is firing throughout this window (e.g. still firing while a range window holds the fault)'),
    notifies: z
      .string()
      .min(1)
      .optional()
      .describe('with fires: the Alertmanager receiver the alert must be routed to (e.g. sandbox-critical)'),
  })
  .refine(
    (e) => [e.fires, e.never, e.silent, e.resolves, e.firing].filter((x) => x !== undefined).length === 1,
    { error: 'an expectation needs exactly one of fires, never, silent, resolves or firing' },
  )
  .refine((e) => !e.firing || e.firing.from <= e.firing.to, {
    error: 'firing: from must not be later than to',
    path: ['firing', 'from'],
  })
  .meta({
    oneOf: ['fires', 'never', 'silent', 'resolves', 'firing'].map((key) => ({ required: [key] })),
    // The CLI checks this one with the routing (sandbox/routing/routing-check.ts).
    dependentRequired: { notifies: ['fires'] },
  });

export const scenarioSchema = z
  .strictObject({
    name: name.describe('scenario name (what `sandbox replay NAME` takes)'),
    description: z.string().describe('what the scenario shows'),
    systems: z
      .array(z.string().min(1))
      .optional()
      .describe(
        "systems it needs besides the command's: bundled names, or system files or directories of them (relative to this file)",
      ),
    duration: duration
      .refine((ms) => ms > 0, { error: 'must be longer than 0s' })
      .refine((ms) => ms <= SCENARIO_BOUNDS.maxDurationMs, {
        error: (issue) =>
          `${formatDuration(issue.input as number)} is longer than the ${formatDuration(SCENARIO_BOUNDS.maxDurationMs)} a scenario may last; split it into shorter scenarios`,
      })
      .describe('how long the scenario runs after the warm-up (at most 7d)'),
    seed: z
      .union([z.number().int(), z.string()], { error: 'must be a string or a whole number (at most 2^53)' })
      .default(1),
    evaluation_interval: duration
      .refine((ms) => ms >= SCENARIO_BOUNDS.minEvaluationIntervalMs, {
        error: (issue) =>
          `${formatDuration(issue.input as number)} is shorter than 1s, the shortest evaluation interval; use 1s or more (15s is usual)`,
      })
      .prefault('15s')
      .describe('rule evaluation and scrape interval: at least 1s, at most the duration (default 15s)'),
    warmup: duration
      .refine((ms) => ms <= SCENARIO_BOUNDS.maxWarmupMs, {
        error: (issue) =>
          `${formatDuration(issue.input as number)} is longer than the ${formatDuration(SCENARIO_BOUNDS.maxWarmupMs)} a warm-up may last; 1h10m fills 1h baselines`,
      })
      .prefault('1h10m')
      .describe(
        'normal traffic before the scenario starts, so 1h baselines are full (default 1h10m, at most 1d)',
      ),
    traffic: knobValues.optional().describe('initial traffic knobs'),
    faults: z
      .array(z.strictObject({ name: z.string(), params: z.record(z.string(), paramValue).optional() }))
      .optional()
      .describe('faults already on when the warm-up starts (the initial state)'),
    alertmanager_config: z
      .string()
      .min(1)
      .optional()
      .describe(
        'the Alertmanager configuration its notifies: are checked against, relative to this file (default: the one given to the command, else the sandbox routing)',
      ),
    steps: z.array(step).default([]),
    expect: z.array(expectation).min(1, { error: 'a scenario needs at least one expectation' }),
    unexpected: z
      .enum(['fail', 'ignore'])
      .default('fail')
      .describe('whether an alert no expectation names may fire (default: it fails the scenario)'),
    tags: z.array(z.string()).optional(),
  })
  .describe('An obs-sandbox scenario: traffic, a timeline of faults, and the alerts that must (not) fire.');

export type Scenario = z.output<typeof scenarioSchema>;
export type ScenarioStep = Scenario['steps'][number];
export type Expectation = Scenario['expect'][number];

/** The JSON Schema published for editors (scenarios/scenario.schema.json). */
export function scenarioJsonSchema(): object {
  return z.toJSONSchema(scenarioSchema, { io: 'input', unrepresentable: 'any' });
}
