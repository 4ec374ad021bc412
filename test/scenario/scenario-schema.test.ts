import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { FaultCatalogue } from '../../generators/model/faults/fault-catalogue.js';
import { defaultSystems } from '../../generators/systems/index.js';
import { parseLabelSets, parsePromtoolReport } from '../../sandbox/promtool/promtool-output.js';
import { parseScenario } from '../../sandbox/scenario/load-scenario.js';
import { scenarioJsonSchema } from '../../sandbox/scenario/scenario-schema.js';

const systems = defaultSystems();
const vocabulary = {
  faults: new FaultCatalogue(systems.flatMap((s) => s.faults)),
  knobs: Object.assign({}, ...systems.map((s) => s.knobs)),
  alerts: ['NodeDown', 'NodeUnhealthy', 'AnchorDelayed'],
};

const VALID = `name: demo
description: a demo
duration: 1h
steps:
  - at: 10m
    name: outage
    fault: node_down
    params: { node: node-ams-01 }
expect:
  - alert: NodeDown
    fires: { after: outage, within: 20m }
`;

const load = (text: string) => () => parseScenario('demo.yaml', text, vocabulary);

describe('scenario files', () => {
  it('loads a valid scenario with durations in milliseconds and defaults filled in', () => {
    const { scenario } = parseScenario('demo.yaml', VALID, vocabulary);
    expect(scenario.duration).toBe(3_600_000);
    expect(scenario.steps[0]).toMatchObject({ at: 600_000, fault: 'node_down' });
    expect(scenario).toMatchObject({
      seed: 1,
      evaluation_interval: 15_000,
      warmup: 4_200_000,
      unexpected: 'fail',
    });
  });

  it.each([
    [
      'an unknown field',
      VALID.replace('duration: 1h', 'duration: 1h\nfrobnicate: 3'),
      'demo.yaml:4:1: frobnicate: unknown field; remove it or check its spelling',
    ],
    [
      'a bad duration',
      VALID.replace('duration: 1h', 'duration: soon'),
      'demo.yaml:3:11: duration: "soon" is not a duration like 90s, 30m or 1h30m',
    ],
    [
      'a missing field',
      VALID.replace('description: a demo\n', ''),
      'demo.yaml:1:1: description: is required',
    ],
    [
      'an unknown fault',
      VALID.replace('fault: node_down', 'fault: node_dwn'),
      'demo.yaml:7:12: steps[0].fault: unknown fault "node_dwn" (did you mean node_down?); run `sandbox faults` to list them',
    ],
    [
      'a bad fault parameter',
      VALID.replace('node: node-ams-01', 'nod: node-ams-01'),
      'demo.yaml:7:12: steps[0].fault: fault node_down: unknown parameter "nod" (did you mean node?); it takes node, since',
    ],
    [
      'a step beyond the duration',
      VALID.replace('at: 10m', 'at: 2h'),
      "demo.yaml:5:9: steps[0].at: 2h is beyond the scenario's duration (1h)",
    ],
    [
      'an unknown alert',
      VALID.replace('alert: NodeDown', 'alert: NodeDwn'),
      'demo.yaml:10:12: expect[0].alert: no loaded rule defines alert "NodeDwn" (did you mean NodeDown?)',
    ],
    [
      'an unknown step name',
      VALID.replace('after: outage', 'after: outtage'),
      'demo.yaml:11:21: expect[0].fires.after: no step is named "outtage" (did you mean outage?)',
    ],
    [
      'an unknown knob',
      `${VALID}traffic: { receipt_rat: 3 }\n`,
      'demo.yaml:12:12: traffic.receipt_rat: unknown traffic knob (did you mean receipt_rate?)',
    ],
    [
      'two kinds in one expectation',
      VALID.replace('fires: { after: outage, within: 20m }', 'never: true\n    silent: {}'),
      'demo.yaml:10:5: expect[0]: an expectation needs exactly one of fires, never, silent, resolves or firing',
    ],
    [
      'invalid YAML',
      VALID.replace('  - alert: NodeDown', '  - alert: [NodeDown'),
      'demo.yaml:11:5: invalid YAML:',
    ],
  ])('rejects %s with file:line:column and the field', (_what, text, message) => {
    expect(load(text)).toThrow(message);
  });

  it('publishes the JSON Schema it validates with (scenarios/scenario.schema.json is up to date)', () => {
    const published = JSON.parse(readFileSync('scenarios/scenario.schema.json', 'utf8')) as unknown;
    expect(published).toEqual(scenarioJsonSchema());
  });
});

describe("promtool's report", () => {
  it('parses Go label sets, escapes included', () => {
    expect(parseLabelSets('{a="x", b="say \\"hi\\"\\n"} 1E+00, {c=""} 1E+00')).toEqual([
      { a: 'x', b: 'say "hi"\n' },
      { c: '' },
    ]);
  });

  it('reads every active alert at every probe', () => {
    const report = `Unit Testing:  x.yml
  FAILED:
    expr: "ALERTS", time: 1h10m15s,
        exp: nil
        got: {__name__="ALERTS", alertname="NodeDown", alertstate="firing", node_id="n1", severity="critical"} 1E+00, {__name__="ALERTS", alertname="NodeUnhealthy", alertstate="pending", node_id="n1"} 1E+00
    expr: "ALERTS", time: 2h,
        exp: nil
        got: {__name__="ALERTS", alertname="NodeDown", alertstate="firing", node_id="n1", severity="critical"} 1E+00
`;
    expect(parsePromtoolReport(report)).toEqual([
      {
        at: 4_215_000,
        alertname: 'NodeDown',
        state: 'firing',
        labels: { node_id: 'n1', severity: 'critical' },
      },
      { at: 4_215_000, alertname: 'NodeUnhealthy', state: 'pending', labels: { node_id: 'n1' } },
      {
        at: 7_200_000,
        alertname: 'NodeDown',
        state: 'firing',
        labels: { node_id: 'n1', severity: 'critical' },
      },
    ]);
    expect(parsePromtoolReport('Unit Testing:  x.yml\n  SUCCESS\n')).toEqual([]);
    expect(parsePromtoolReport('  FAILED:\nyaml: unmarshal errors')).toBeUndefined();
  });
});
