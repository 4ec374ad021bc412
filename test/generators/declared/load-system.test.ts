import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadSystem, parseSystem } from '../../../generators/declared/load-system.js';
import { UserError } from '../../../generators/user-error.js';
import { MINI } from './mini-system.js';

const broken = (from: string, to: string) => {
  if (!MINI.includes(from)) throw new Error(`test case does not apply: ${from}`);
  return MINI.replace(from, to);
};

const errorOf = (text: string): string => {
  try {
    parseSystem('mini.system.yaml', text);
  } catch (error) {
    expect(error).toBeInstanceOf(UserError);
    return (error as Error).message;
  }
  throw new Error('expected the system file to be refused');
};

describe('parseSystem', () => {
  it('compiles the minimal system', () => {
    const system = parseSystem('mini.system.yaml', MINI);
    expect(system.name).toBe('mini');
    expect(system.jobs).toEqual({ api: 'mini-api' });
    expect(system.metrics.map((m) => [m.name, m.type, m.labelNames])).toEqual([
      ['mini_requests_total', 'counter', ['status']],
      ['mini_latency_seconds', 'histogram', []],
    ]);
    expect(system.faults[0]).toMatchObject({
      name: 'failing',
      service: 'api',
      params: { ratio: { default: 0.5 } },
    });
    expect(system.generatedDashboard).toBe(true);
  });

  it.each([
    ['invalid YAML', broken('rate: 5', 'rate: [5'), /^mini\.system\.yaml:\d+:\d+: invalid YAML/],
    [
      'an unknown field',
      broken('rate: 5', 'rate: 5\n    burst: 3'),
      /^mini\.system\.yaml:17:5: events\.request\.burst: unknown field; remove it or check its spelling$/,
    ],
    [
      'a missing field',
      broken('    help: latency\n', ''),
      /^mini\.system\.yaml:12:5: metrics\.mini_latency_seconds\.help: is required$/,
    ],
    [
      'a wrong type',
      broken('help: requests', 'help: 5'),
      /^mini\.system\.yaml:9:11: metrics\.mini_requests_total\.help: Invalid input: expected string, received number$/,
    ],
    [
      'an undeclared metric',
      broken('- inc: mini_requests_total', '- inc: mini_request_total'),
      /^mini\.system\.yaml:19:14: events\.request\.do\[0\]\.inc: no metric "mini_request_total" \(did you mean mini_requests_total\?\)/,
    ],
    [
      'a label value the metric does not have',
      broken('failed: $ratio', 'faild: $ratio'),
      /^mini\.system\.yaml:29:27: faults\.failing\.effects\[0\]\.labels\.status: "faild" is not a value of status \(did you mean failed\?\)$/,
    ],
    [
      'a fault parameter used but not declared',
      broken('ok: 1 - $ratio', 'ok: 1 - $rato'),
      /faults\.failing\.effects\[0\]\.labels\.status\.ok: no knob or parameter "rato" \(did you mean ratio\?\)/,
    ],
    [
      'an unknown service',
      broken('    labels: [status]\n', '    labels: [status]\n    service: apx\n'),
      /metrics\.mini_requests_total\.service: no service "apx" \(did you mean api\?\)/,
    ],
    [
      'two services with one job',
      broken('  api: null', '  api: null\n  web: { job: mini-api }'),
      /services\.web\.job: services api and web have the same job mini-api/,
    ],
    [
      'a rate beyond the bounds',
      broken('rate: 5', 'rate: 1e9'),
      /events\.request\.rate: 1000000000\/s is above the limit/,
    ],
    [
      'a label without values',
      broken('labels: [status]', 'labels: [status, region]'),
      /metrics\.mini_requests_total\.labels\[1\]: label region has no values/,
    ],
    [
      'a label Prometheus sets',
      broken('labels: [status]', 'labels: [instance]'),
      /metrics\.mini_requests_total\.labels\[0\]: must be a Prometheus label name, and not one Prometheus sets/,
    ],
    [
      'an action of the wrong kind',
      broken('- inc: mini_requests_total', '- observe: mini_requests_total\n        value: 1'),
      /events\.request\.do\[0\]\.observe: mini_requests_total is a counter; observe works on histograms and summaries/,
    ],
    [
      'a number outside its bounds',
      broken('default: 0.5, min: 0', 'default: 1.5, min: 0'),
      /faults\.failing\.params\.ratio\.default: must be <= max \(1\)/,
    ],
    [
      'quantiles on a histogram',
      broken('    help: latency\n', '    help: latency\n    quantiles: [0.5]\n'),
      /metrics\.mini_latency_seconds\.quantiles: only summaries have quantiles/,
    ],
    [
      'a derived gauge that reads a histogram',
      broken(
        'events:',
        '  mini_ratio:\n    type: gauge\n    help: ratio\n    value: { derived: mini_latency_seconds * 2 }\nevents:',
      ),
      /metrics\.mini_ratio\.value\.derived: mini_latency_seconds is a histogram/,
    ],
    [
      'derived gauges in a circle',
      broken(
        'events:',
        '  a_g:\n    type: gauge\n    help: a\n    value: { derived: b_g }\n  b_g:\n    type: gauge\n    help: b\n    value: { derived: a_g }\nevents:',
      ),
      /derived gauges read each other in a circle: a_g → b_g → a_g/,
    ],
    [
      'an effect on an unknown event',
      broken('- event: request', '- event: requests'),
      /faults\.failing\.effects\[0\]\.event: no event "requests" \(did you mean request\?\)/,
    ],
    [
      'a condition on a value the label lacks',
      broken(
        '      - inc: mini_requests_total',
        '      - inc: mini_requests_total\n        when: { status: fail }',
      ),
      /events\.request\.do\[0\]\.when\.status: "fail" is not a value of status \(did you mean failed\?\)/,
    ],
    [
      'a fault the platform already has',
      broken('  failing:\n', '  service_down:\n'),
      /faults\.service_down: service_down is a fault of the platform already/,
    ],
    [
      'an unknown faker method',
      broken('status: [ok, failed]', 'status: { faker: company.nam, size: 3 }'),
      /labels\.status\.faker: faker has no method company\.nam/,
    ],
  ])('refuses %s with file:line:column, the field and the fix', (_what, text, message) => {
    expect(errorOf(text)).toMatch(message);
  });
});

describe('loadSystem', () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'obs-sandbox-load-'));
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('reads a file and names it in errors', async () => {
    const file = join(dir, 'bad.system.yaml');
    await writeFile(file, broken('rate: 5', 'rate: -1'));
    await expect(loadSystem(file)).rejects.toThrow(
      `${file}:16:11: events.request.rate: must be 0 or more (events per second)`,
    );
  });

  it('refuses what is not a readable regular UTF-8 file, before parsing it', async () => {
    await expect(loadSystem(join(dir, 'missing.yaml'))).rejects.toThrow(/cannot be read; check the path/);
    await expect(loadSystem(dir)).rejects.toThrow(/is not a regular file/);
    const latin1 = join(dir, 'latin1.system.yaml');
    await writeFile(latin1, Buffer.from([0x73, 0x79, 0x73, 0xe9, 0x0a]));
    await expect(loadSystem(latin1)).rejects.toThrow(/is not valid UTF-8 text/);
    const nul = join(dir, 'nul.system.yaml');
    await writeFile(nul, 'system: a\u0000b\n');
    await expect(loadSystem(nul)).rejects.toThrow(/contains NUL bytes/);
  });
});
