import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { AlertObservation } from '../../sandbox/promtool/promtool-output.js';
import {
  compareObservations,
  filesIndependent,
  ObservationCache,
} from '../../sandbox/replay/observation-cache.js';
import { ReplayCache, type ReplayInputs } from '../../sandbox/replay/replay-cache.js';
import { loadRuleSet } from '../../sandbox/rules/rule-set.js';

const dir = mkdtempSync(join(tmpdir(), 'obs-sandbox-observation-cache-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

let files = 0;
function ruleFile(rules: string): string {
  const file = join(dir, `rules-${files++}.yaml`);
  writeFileSync(file, `groups:\n  - name: g\n    rules:\n${rules}`);
  return file;
}
const alert = (name: string, expr: string) =>
  `      - alert: ${name}\n        expr: ${JSON.stringify(expr)}\n`;

describe('which rule files cannot see each other inside promtool', () => {
  const independent = async (...texts: string[]) => {
    const paths = texts.map(ruleFile);
    return filesIndependent(await loadRuleSet(paths), paths);
  };

  it('accepts alerts that read literally named input series', async () => {
    expect(
      await independent(
        alert('A', 'rate(a_total[5m]) > 0 and on() {__name__="b"} == 1'),
        alert('B', 'histogram_quantile(0.9, rate(c_bucket[5m])) > 1 and up{job="x"} == 1'),
        `${alert('D', 'd > 0')}        labels:\n          where: '{{ $labels.instance }} queried'\n`,
      ),
    ).toBe(true);
  });

  it.each([
    ['a recording rule', `      - record: r\n        expr: sum(a)\n`],
    ['an alert reading ALERTS', alert('C', 'ALERTS{alertname="A"} == 1')],
    ['an alert reading ALERTS by __name__', alert('C', '{__name__="ALERTS"} == 1')],
    ['an alert reading ALERTS_FOR_STATE', alert('C', 'ALERTS_FOR_STATE > 0')],
    ['a selector by a regex name', alert('C', '{__name__=~"a.*"} > 0')],
    ['a selector without a name', alert('C', '{job="x"} > 0')],
    ['a selector named twice', alert('C', 'a{__name__="b"} > 0')],
    ['a quoted name', alert('C', '{"a.b"} > 0')],
    ['an expression that does not parse', alert('C', 'rate(a[5m]')],
    ['an alert name another file defines too', alert('A', 'b > 0')],
    [
      'a label template that queries',
      `${alert('C', 'b > 0')}        labels:\n          peers: '{{ query "ALERTS" | len }}'\n`,
    ],
    [
      'a label template that pipes into query',
      `${alert('C', 'b > 0')}        labels:\n          peers: '{{ "ALERTS" | query | len }}'\n`,
    ],
  ])('refuses %s', async (_what, rules) => {
    expect(await independent(alert('A', 'a > 0'), rules)).toBe(false);
  });
});

describe('the observations of a replay, kept per rule file', () => {
  const observation = (at: number, alertname: string, ruleFile: string, labels = {}): AlertObservation => ({
    at,
    alertname,
    state: 'firing',
    labels,
    ruleFile,
  });
  const inputs = (ruleFiles: string[], scenario = 'scenario.yaml'): ReplayInputs => ({
    scenarioFile: ruleFile(''),
    ruleFiles: ruleFiles.map((file) => ({ file, handed: file })),
    systems: [],
    promtool: `promtool for ${scenario}`,
    otherFiles: [],
    choices: '{}',
  });

  it('puts a run together from the files it shares with earlier runs, in promtool order', async () => {
    const [a, b, c] = [ruleFile(alert('A', 'a > 0')), ruleFile(alert('B', 'b > 0')), ruleFile('')];
    const cache = new ObservationCache(new ReplayCache(join(dir, 'cache-1')));
    const scenario = inputs([a, b, c]);
    const seen = [observation(30, 'A', a), observation(15, 'B', b, { x: '1' }), observation(15, 'A', a)];
    await cache.set(scenario, seen);
    expect(await cache.get(scenario)).toEqual([seen[2], seen[1], seen[0]]);
    // Another run of the same scenario with file b left out: a's share (and c's, none) alone.
    expect(
      await cache.get({ ...scenario, ruleFiles: scenario.ruleFiles.filter((f) => f.file !== b) }),
    ).toEqual([seen[2], seen[0]]);
    // A file never replayed with this scenario: nothing to put together.
    const d = ruleFile(alert('D', 'd > 0'));
    expect(await cache.get({ ...scenario, ruleFiles: [...scenario.ruleFiles, { file: d, handed: d }] })).toBe(
      undefined,
    );
    // Another scenario: nothing.
    expect(await cache.get({ ...scenario, scenarioFile: ruleFile('') })).toBe(undefined);
  });

  it('keeps nothing when an observation cannot be told to one of the files', async () => {
    const a = ruleFile(alert('A', 'a > 0'));
    const cache = new ObservationCache(new ReplayCache(join(dir, 'cache-2')));
    const scenario = inputs([a]);
    await cache.set(scenario, [{ at: 0, alertname: 'A', state: 'firing', labels: {} }]);
    expect(await cache.get(scenario)).toBe(undefined);
  });

  it("orders a probe's alerts as Go orders label sets", () => {
    const sorted = [
      observation(0, 'B', 'f'),
      observation(0, 'A', 'f', { job: 'y' }),
      observation(0, 'A', 'f', { instance: 'z' }),
      { ...observation(0, 'A', 'f', { job: 'x' }), state: 'pending' as const },
    ].sort(compareObservations);
    expect(sorted.map((o) => [o.alertname, o.state, o.labels])).toEqual([
      ['A', 'firing', { instance: 'z' }],
      ['A', 'firing', { job: 'y' }],
      ['A', 'pending', { job: 'x' }],
      ['B', 'firing', {}],
    ]);
  });
});
