import { Ajv2020 } from 'ajv/dist/2020.js';
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import { describe, expect, it } from 'vitest';
import { parseSystem } from '../../../generators/declared/load-system.js';
import { MINI } from './mini-system.js';

/**
 * The published schema, validated by a real JSON Schema (2020-12) validator. Its generated code is left
 * unoptimised: compiling this schema, most of what the file costs, takes 0.7 s of CPU instead of 1.1 s, and
 * the code validates alike.
 */
const ajv = new Ajv2020({ allErrors: false, strict: false, code: { optimize: false } });
const validate = ajv.compile(JSON.parse(readFileSync('schemas/system.schema.json', 'utf8')) as object);
const schemaAccepts = (text: string) => validate(parse(text));
const cliAccepts = (text: string, file = 'corpus.system.yaml') => {
  try {
    parseSystem(file, text);
    return true;
  } catch {
    return false;
  }
};

const systemFiles = (dir: string): string[] =>
  readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory()
      ? systemFiles(join(dir, e.name))
      : e.name.endsWith('.system.yaml')
        ? [join(dir, e.name)]
        : [],
  );

const edit = (from: string, to: string) => {
  if (!MINI.includes(from)) throw new Error(`corpus case does not apply: ${from}`);
  return MINI.replace(from, to);
};

/** Mistakes of shape and bounds: both the schema and the CLI must refuse each. */
const STRUCTURAL: Record<string, string> = {
  'no system name': edit('system: mini\n', ''),
  'a system name with capitals': edit('system: mini', 'system: Mini'),
  'an unknown top-level field': edit('system: mini', 'system: mini\nowner: me'),
  'a metric type that does not exist': edit('type: counter', 'type: countr'),
  'a metric name with a dash': edit('  mini_requests_total:\n', '  mini-requests-total:\n'),
  'a label name with a dash': edit('labels: [status]', 'labels: [sta-tus]'),
  'a reserved label name': edit('labels: [status]', 'labels: [le]'),
  'a label starting with __': edit('labels: [status]', 'labels: [__status]'),
  'an empty value list': edit('status: [ok, failed]', 'status: []'),
  'a weight that is not a number': edit(
    'status: [ok, failed]',
    'status: { values: [ok, failed], weights: [1, x] }',
  ),
  'a negative weight': edit('status: [ok, failed]', 'status: { values: [ok, failed], weights: [1, -1] }'),
  'a faker pool of size 0': edit('status: [ok, failed]', 'status: { faker: company.name, size: 0 }'),
  'a faker path without a module': edit('status: [ok, failed]', 'status: { faker: name, size: 3 }'),
  'a negative rate': edit('rate: 5', 'rate: -5'),
  'an event without actions': edit(
    '    do:\n      - inc: mini_requests_total\n      - observe: mini_latency_seconds\n        value: 0.1\n',
    '    do: []\n',
  ),
  'an action with two verbs': edit(
    '- inc: mini_requests_total',
    '- inc: mini_requests_total\n        set: mini_requests_total',
  ),
  'a distribution of an unknown kind': edit('value: 0.1', 'value: { poisson: 3 }'),
  'a lognormal without p99': edit('value: 0.1', 'value: { lognormal: { median: 0.1 } }'),
  'a log level that does not exist': edit(
    '      - observe: mini_latency_seconds\n        value: 0.1\n',
    '      - observe: mini_latency_seconds\n        value: 0.1\n    log: { level: fatal, message: x }\n',
  ),
  'a parameter type that does not exist': edit('{ type: number, default: 0.5', '{ type: float, default: 0.5'),
  'a duration that is not one': edit(
    '    rate: 5\n',
    '    rate: 5\n    shape: { wave: { period: soon, amplitude: 0.1 } }\n',
  ),
  'a daily swing above 1': edit('    rate: 5\n', '    rate: 5\n    shape: { daily: 2 }\n'),
  'a bucket that is not a number': edit(
    '    help: latency\n',
    '    help: latency\n    buckets: [0.1, fast]\n',
  ),
  'a quantile of 1': edit(
    '    type: histogram\n    help: latency\n',
    '    type: summary\n    help: latency\n    quantiles: [0.5, 1]\n',
  ),
  'too many instances': edit('  api: null', '  api: { instances: 100000 }'),
  'an effect of an unknown kind': edit('      - event: request\n', '      - restart: request\n'),
  'a fault without effects': edit(
    '    effects:\n      - event: request\n        labels: { status: { failed: $ratio, ok: 1 - $ratio } }\n',
    '    effects: []\n',
  ),
  'a down effect on an instance below 0': edit(
    '      - event: request\n        labels',
    '      - down: api\n        instance: -1\n      - event: request\n        labels',
  ),
};

/** Mistakes in references between parts, which no JSON Schema can see: only the CLI refuses them. */
const REFERENCES: Record<string, string> = {
  'an undeclared metric': edit('- inc: mini_requests_total', '- inc: mini_request_total'),
  'an undeclared parameter': edit('ok: 1 - $ratio', 'ok: 1 - $rato'),
  'a label value the label does not have': edit('failed: $ratio', 'faild: $ratio'),
  'an unknown service': edit('    labels: [status]\n', '    labels: [status]\n    service: web\n'),
};

describe('schemas/system.schema.json and the CLI accept the same files', () => {
  const good = [...systemFiles('generators/systems'), ...systemFiles('test/fixtures/systems')];

  it('has a corpus of good files (every bundled system file and the fixtures)', () => {
    expect(good.length).toBeGreaterThanOrEqual(2);
  });

  it.each(good)('both accept %s', (file) => {
    const text = readFileSync(file, 'utf8');
    expect(schemaAccepts(text), JSON.stringify(validate.errors)).toBe(true);
    expect(() => parseSystem(file, text)).not.toThrow();
  });

  it('both accept the minimal system', () => {
    expect(schemaAccepts(MINI)).toBe(true);
    expect(cliAccepts(MINI)).toBe(true);
  });

  it.each(Object.entries(STRUCTURAL))('both refuse %s', (_what, text) => {
    expect(cliAccepts(text)).toBe(false);
    expect(schemaAccepts(text)).toBe(false);
  });

  it.each(Object.entries(REFERENCES))(
    'the CLI alone refuses %s (a reference, beyond JSON Schema)',
    (_what, text) => {
      expect(schemaAccepts(text)).toBe(true);
      expect(cliAccepts(text)).toBe(false);
    },
  );
});
