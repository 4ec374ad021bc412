import { Ajv2020 } from 'ajv/dist/2020.js';
import { mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse } from 'yaml';
import { afterAll, describe, expect, it } from 'vitest';
import { UserError } from '../../generators/user-error.js';
import { prepareScenario } from '../../sandbox/replay/replay-scenarios.js';
import { loadSystemCatalogue } from '../../sandbox/systems/system-catalogue.js';
import { bundledSystemNames } from '../../sandbox/systems/system-refs.js';

/** The published schema, validated by a real JSON Schema (2020-12) validator. */
const ajv = new Ajv2020({ allErrors: false, strict: false });
const validate = ajv.compile(JSON.parse(readFileSync('schemas/scenario.schema.json', 'utf8')) as object);
const schemaAccepts = (text: string) => validate(parse(text));

/** The CLI's own loading (`sandbox replay` before it runs anything): schema, systems, rules, references. */
const catalogue = await loadSystemCatalogue({ systems: bundledSystemNames() });
const dir = mkdtempSync(join(tmpdir(), 'obs-sandbox-scenario-corpus-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
let written = 0;
async function cliProblem(text: string, rules: string[] = []): Promise<string | undefined> {
  const file = join(dir, `case-${written++}.yaml`);
  writeFileSync(file, text);
  return cliFileProblem(file, rules);
}
async function cliFileProblem(file: string, rules: string[] = []): Promise<string | undefined> {
  try {
    await prepareScenario(file, catalogue, { rules });
    return undefined;
  } catch (error) {
    if (!(error instanceof UserError)) throw error;
    return error.message;
  }
}

/** A scenario with every field a scenario may have. */
const FULL = `name: corpus
description: every field a scenario may have
systems: [vaultmesh]
duration: 1h
seed: 7
evaluation_interval: 30s
warmup: 1h10m
traffic: { receipt_rate: 3 }
faults:
  - name: emergency
steps:
  - at: 10m
    name: outage
    fault: node_down
    params: { node: node-sin-04 }
    caption: A node goes down.
  - at: 40m
    clear: node_down
  - at: 45m
    traffic: { receipt_rate: 5 }
expect:
  - alert: NodeDown
    labels: { severity: critical }
    fires: { after: outage, within: 20m, not_before: 1m }
    notifies: sandbox-critical
  - alert: NodeDown
    resolves: { after: outage, within: 45m }
  - alert: NodeUnhealthy
    silent: { from: 0s, to: 5m }
  - alert: AnchorDelayed
    never: true
  - alert: NodeDown
    firing: { after: outage, from: 25m, to: 29m }
unexpected: ignore
tags: [corpus]
`;

const edit = (from: string, to: string) => {
  if (!FULL.includes(from)) throw new Error(`corpus case does not apply: ${from}`);
  return FULL.replace(from, to);
};

/** Mistakes of shape and bounds: both the schema and the CLI must refuse each. */
const STRUCTURAL: Record<string, string> = {
  'no name': edit('name: corpus\n', ''),
  'a name with capitals': edit('name: corpus', 'name: Corpus'),
  'no description': edit('description: every field a scenario may have\n', ''),
  'a description that is a list': edit('description: every field a scenario may have', 'description: [a]'),
  'an unknown top-level field': edit('tags: [corpus]', 'tags: [corpus]\nowner: me'),
  'a misspelt top-level field': edit('unexpected: ignore', 'unexpectd: ignore'),
  'no duration': edit('duration: 1h\n', ''),
  'a duration that is not one': edit('duration: 1h', 'duration: soon'),
  'a negative duration': edit('duration: 1h', 'duration: -1h'),
  'a duration without a unit': edit('duration: 1h', 'duration: 60'),
  'a duration with a space inside': edit('evaluation_interval: 30s', 'evaluation_interval: 1m 30s'),
  'a duration in an unknown unit': edit('warmup: 1h10m', 'warmup: 1h10min'),
  'a fractional seed': edit('seed: 7', 'seed: 1.5'),
  'a seed beyond the safe integers': edit('seed: 7', 'seed: 1e30'),
  'a systems entry that is empty': edit('systems: [vaultmesh]', 'systems: [""]'),
  'a traffic knob set to a list': edit('traffic: { receipt_rate: 3 }', 'traffic: { receipt_rate: [3] }'),
  'an initial fault without a name': edit('  - name: emergency\n', '  - params: { x: 1 }\n'),
  'an initial fault with an unknown field': edit('  - name: emergency', '  - name: emergency\n    at: 5m'),
  'steps that are not a list': edit('steps:\n', 'steps: {}\nx:\n'),
  'a step without at': edit('  - at: 40m\n    clear: node_down', '  - clear: node_down'),
  'a step with nothing to do': edit('  - at: 40m\n    clear: node_down', '  - at: 40m'),
  'a step with only a name': edit('  - at: 40m\n    clear: node_down', '  - at: 40m\n    name: nothing'),
  'params without fault': edit(
    '    clear: node_down',
    '    clear: node_down\n    params: { node: node-sin-04 }',
  ),
  'a step with an unknown field': edit('    clear: node_down', '    clear: node_down\n    repeat: 3'),
  'an empty caption': edit('    traffic: { receipt_rate: 5 }', '    caption: ""'),
  'an empty fault name': edit('    clear: node_down', '    fault: ""'),
  'a step name with spaces': edit('name: outage', 'name: the outage'),
  'no expectations': edit(FULL.slice(FULL.indexOf('expect:'), FULL.indexOf('unexpected:')), 'expect: []\n'),
  'no expect at all': edit(FULL.slice(FULL.indexOf('expect:'), FULL.indexOf('unexpected:')), ''),
  'an expectation with no kind': edit(
    '  - alert: AnchorDelayed\n    never: true',
    '  - alert: AnchorDelayed',
  ),
  'an expectation with two kinds': edit('    never: true', '    never: true\n    silent: { to: 5m }'),
  'an expectation without alert': edit('  - alert: AnchorDelayed\n', '  - '),
  'never: false': edit('never: true', 'never: false'),
  'fires without within': edit('within: 20m, not_before: 1m', 'not_before: 1m'),
  'fires with a misspelt field': edit('within: 20m, not_before', 'witin: 20m, not_before'),
  'silent with a bad duration': edit('silent: { from: 0s, to: 5m }', 'silent: { from: 0s, to: later }'),
  'a label value that is a number': edit('labels: { severity: critical }', 'labels: { code: 500 }'),
  'after naming a step with capitals': edit('after: outage, within: 20m', 'after: Outage, within: 20m'),
  'notifies with never': edit('    never: true', '    never: true\n    notifies: sandbox-critical'),
  'an empty notifies': edit('notifies: sandbox-critical', 'notifies: ""'),
  'unexpected: warn': edit('unexpected: ignore', 'unexpected: warn'),
  'a tag that is a number': edit('tags: [corpus]', 'tags: [1]'),
  'a traffic knob named __proto__': edit('traffic: { receipt_rate: 3 }', 'traffic: { __proto__: 5 }'),
  'a traffic knob name with capitals': edit('{ receipt_rate: 5 }', '{ Receipt_Rate: 5 }'),
};

/** Mistakes in references and between fields, which no JSON Schema can see: only the CLI refuses them. */
const REFERENCES: Record<string, [string, RegExp]> = {
  'an unknown fault': [edit('fault: node_down', 'fault: node_dwn'), /steps\[0\]\.fault: unknown fault/],
  'an unknown fault to clear': [
    edit('clear: node_down', 'clear: node_dwn'),
    /steps\[1\]\.clear: unknown fault/,
  ],
  'an unknown initial fault': [edit('name: emergency', 'name: emergncy'), /faults\[0\]: unknown fault/],
  'an unknown fault parameter': [
    edit('{ node: node-sin-04 }', '{ nod: node-sin-04 }'),
    /unknown parameter "nod"/,
  ],
  'an unknown traffic knob': [edit('{ receipt_rate: 3 }', '{ receipt_rat: 3 }'), /unknown traffic knob/],
  'an unknown alert': [edit('alert: AnchorDelayed', 'alert: AnchorDelay'), /no loaded rule defines alert/],
  'an unknown step name': [
    edit('after: outage, within: 20m', 'after: outge, within: 20m'),
    /no step is named/,
  ],
  'two steps of the same name': [
    edit('    clear: node_down', '    name: outage\n    clear: node_down'),
    /another step is already named outage/,
  ],
  'a step beyond the duration': [edit('at: 45m', 'at: 2h'), /steps\[2\]\.at: 2h is beyond/],
  'an expectation beyond the duration': [edit('within: 45m', 'within: 2h'), /resolves\.within: 2h is beyond/],
  'a firing window that ends before it starts': [
    edit('from: 25m, to: 29m', 'from: 29m, to: 25m'),
    /firing\.from: firing: from must not be later than to/,
  ],
  'a firing window beyond the duration': [edit('to: 29m', 'to: 2h'), /firing\.to: 2h is beyond/],
  'an unknown system': [edit('systems: [vaultmesh]', 'systems: [vaultmsh]'), /systems\[0\]/],
  'an unknown receiver': [edit('notifies: sandbox-critical', 'notifies: pager'), /no receiver "pager"/],
  // Bounds that keep a replay finite (README, "Scenario format").
  'an evaluation interval of 1ms': [
    edit('evaluation_interval: 30s', 'evaluation_interval: 1ms'),
    /:6:22: evaluation_interval: 1ms is shorter than 1s, the shortest evaluation interval; use 1s or more/,
  ],
  'an evaluation interval of 0s': [
    edit('evaluation_interval: 30s', 'evaluation_interval: 0s'),
    /:6:22: evaluation_interval: 0s is shorter than 1s/,
  ],
  'an evaluation interval longer than the scenario': [
    edit('evaluation_interval: 30s', 'evaluation_interval: 2h'),
    /:6:22: evaluation_interval: 2h is longer than the scenario's duration \(1h\); shorten the interval$/,
  ],
  'an evaluation interval of 9999999999999999999y': [
    edit('evaluation_interval: 30s', 'evaluation_interval: 9999999999999999999y'),
    /:6:22: evaluation_interval: .* is longer than the scenario's duration/,
  ],
  'a warm-up of 100000h': [
    edit('warmup: 1h10m', 'warmup: 100000h'),
    /:7:9: warmup: 4166d16h is longer than the 1d a warm-up may last/,
  ],
  'a duration of 8d': [
    edit('duration: 1h', 'duration: 8d'),
    /:4:11: duration: 8d is longer than the 7d a scenario may last; split it into shorter scenarios$/,
  ],
  'a duration of 0s': [edit('duration: 1h', 'duration: 0s'), /:4:11: duration: must be longer than 0s$/],
  'a receipt rate of 1e12': [
    edit('{ receipt_rate: 3 }', '{ receipt_rate: 1e12 }'),
    /:8:26: traffic\.receipt_rate: receipt_rate must be <= 1000/,
  ],
  'a negative receipt rate': [
    edit('{ receipt_rate: 3 }', '{ receipt_rate: -8 }'),
    /:8:26: traffic\.receipt_rate: receipt_rate must be >= 0/,
  ],
  'a negative rate in a step': [
    edit('{ receipt_rate: 5 }', '{ receipt_rate: -8 }'),
    /:20:30: steps\[2\]\.traffic\.receipt_rate: receipt_rate must be >= 0/,
  ],
  'a traffic knob named constructor': [
    edit('{ receipt_rate: 3 }', '{ constructor: 3 }'),
    /:8:12: traffic\.constructor: unknown traffic knob/,
  ],
};

const scenarioFiles = (root: string): string[] =>
  readdirSync(root, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory()
      ? scenarioFiles(join(root, e.name))
      : e.name.endsWith('.yaml') && !e.name.endsWith('rules.yaml')
        ? [join(root, e.name)]
        : [],
  );

/** The rules a fixture is replayed with in its test. */
const FIXTURE_RULES: Record<string, string[]> = {
  'test/fixtures/live/vacuous-': ['test/fixtures/live/vacuous-rules.yaml'],
  'test/fixtures/live': ['test/fixtures/live/rules.yaml'],
  'test/fixtures/scenarios/custom-rule.yaml': ['test/fixtures/rules'],
};
const rulesFor = (file: string) =>
  Object.entries(FIXTURE_RULES).find(([prefix]) => file.startsWith(prefix))?.[1] ?? [];

describe('schemas/scenario.schema.json and the CLI accept the same files', () => {
  const good = [
    ...scenarioFiles('scenarios'),
    ...scenarioFiles('test/fixtures/scenarios'),
    ...scenarioFiles('test/fixtures/live'),
    ...scenarioFiles('test/fixtures/catalogue/scenarios'),
  ];

  it('has a corpus of good files (every bundled scenario and the fixtures) and of mistakes', () => {
    expect(good.length).toBeGreaterThanOrEqual(50);
    expect(Object.keys(STRUCTURAL).length).toBeGreaterThanOrEqual(25);
  });

  it.each(good)('both accept %s', async (file) => {
    expect(schemaAccepts(readFileSync(file, 'utf8')), JSON.stringify(validate.errors)).toBe(true);
    expect(await cliFileProblem(file, rulesFor(file))).toBeUndefined();
  });

  it('both accept the scenario with every field', async () => {
    expect(schemaAccepts(FULL), JSON.stringify(validate.errors)).toBe(true);
    expect(await cliProblem(FULL)).toBeUndefined();
  });

  it.each(Object.entries(STRUCTURAL))('both refuse %s', async (_what, text) => {
    const problem = await cliProblem(text);
    expect(problem).toBeDefined();
    expect(problem!.split('\n')).toHaveLength(1);
    expect(schemaAccepts(text)).toBe(false);
  });

  it.each([
    [
      'a step with nothing to do',
      /:17:5: steps\[1\]: a step needs at least one of fault, clear, traffic or caption$/,
    ],
    ['params without fault', /:19:13: steps\[1\]\.params: params belong to a step with fault$/],
    ['a step without at', /:17:5: steps\[1\]\.at: is required$/],
    ['an empty caption', /:20:14: steps\[2\]\.caption: must not be empty$/],
    [
      'an expectation with no kind',
      /:30:5: expect\[3\]: an expectation needs exactly one of fires, never, silent, resolves or firing$/,
    ],
    [
      'an expectation with two kinds',
      /:30:5: expect\[3\]: an expectation needs exactly one of fires, never, silent, resolves or firing$/,
    ],
    [
      'fires with a misspelt field',
      /:24:29: expect\[0\]\.fires\.witin: unknown field; remove it or check its spelling$/,
    ],
    ['never: false', /:31:12: expect\[3\]\.never: must be true \(leave never out otherwise\)$/],
    ['a fractional seed', /:5:7: seed: must be a string or a whole number \(at most 2\^53\)$/],
    ['a traffic knob set to a list', /:8:26: traffic\.receipt_rate: must be a number or a string$/],
    ['a systems entry that is empty', /:3:11: systems\[0\]: Too small/],
    ['no duration', /:1:1: duration: is required$/],
    [
      'a traffic knob named __proto__',
      /:8:12: traffic\.__proto__: is not a name a scenario may use; remove it$/,
    ],
  ])('the CLI says in one line, with file:line:column, what is wrong: %s', async (what, message) => {
    const problem = await cliProblem(STRUCTURAL[what]!);
    expect(problem).toMatch(/^\/.*case-\d+\.yaml:\d+:\d+: /);
    expect(problem).toMatch(message);
  });

  it.each(Object.entries(REFERENCES))(
    'the CLI alone refuses %s (beyond JSON Schema)',
    async (_what, [text, message]) => {
      expect(schemaAccepts(text), JSON.stringify(validate.errors)).toBe(true);
      expect(await cliProblem(text)).toMatch(message);
    },
  );
});
