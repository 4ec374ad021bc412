import { mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { checkRules } from '../../sandbox/promtool/promtool.js';
import { resolvePromtool } from '../../sandbox/promtool/promtool-runner.js';
import { replay } from '../../sandbox/replay/replay-scenarios.js';
import { extractPrometheusRules, originalRuleFile } from '../../sandbox/rules/prometheus-rule-resource.js';
import { collectRuleFiles, loadAlertRules } from '../../sandbox/rules/rule-files.js';
import { requireBinaries } from '../support/binaries.js';

const bins = await requireBinaries(['promtool']);

/** Two PrometheusRule resources (as kube-prometheus-stack keeps them) and a ConfigMap, in one file. */
const resources = (expr: string) => `apiVersion: v1
kind: ConfigMap
metadata: { name: unrelated }
data: { a: b }
---
apiVersion: monitoring.coreos.com/v1
kind: PrometheusRule
metadata:
  name: tiny-rules
  labels: { release: kube-prometheus-stack }
spec:
  groups:
    - name: tiny
      rules:
        - alert: TinyErrors
          expr: ${expr}
          for: 1m
          labels: { severity: warning }
---
apiVersion: monitoring.coreos.com/v1
kind: PrometheusRule
metadata:
  name: tiny-recording
spec:
  groups:
    - name: tiny-recording
      rules:
        - record: tiny:requests:rate1m
          expr: sum(rate(tiny_requests_total[1m]))
        - alert: TinyQuiet
          expr: tiny:requests:rate1m < 0
`;

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'prometheus-rule-'));
});

async function file(name: string, text: string): Promise<string> {
  const path = join(dir, name);
  await writeFile(path, text);
  return path;
}

describe('PrometheusRule resources as rule files', () => {
  it('extracts spec.groups of every PrometheusRule, each rule on its own line', async () => {
    const crd = await file('rules.yaml', resources('sum(rate(tiny_requests_total{status="500"}[1m])) > 1'));
    const [generated] = await collectRuleFiles([crd], []);
    expect(generated).not.toBe(crd);
    expect(originalRuleFile(generated!)).toBe(crd);
    const rules = await loadAlertRules([generated!]);
    expect(rules.map((r) => [r.alert, r.group])).toEqual([
      ['TinyErrors', 'tiny'],
      ['TinyQuiet', 'tiny-recording'],
    ]);
    const original = (await readFile(crd, 'utf8')).split('\n');
    const extracted = (await readFile(generated!, 'utf8')).split('\n');
    expect(extracted).toHaveLength(original.length);
    expect(extracted[15]).toBe(original[15]); // `expr:` of TinyErrors, line 16 in both
  });

  it('leaves plain rule files alone', () => {
    expect(extractPrometheusRules('plain.yaml', 'groups:\n  - name: a\n    rules: []\n')).toBeUndefined();
  });

  it('refuses a file of resources without a PrometheusRule, at the kind', () => {
    expect(() => extractPrometheusRules('deploy.yaml', 'apiVersion: apps/v1\nkind: Deployment\n')).toThrow(
      /^deploy\.yaml:2:7: kind: no PrometheusRule \(monitoring\.coreos\.com\/v1\) with rule groups in this file; --rules takes rule files \(groups:\) and PrometheusRule resources$/,
    );
  });

  it.skipIf(!bins.available)("promtool's error points at the line of the original file", async () => {
    const crd = await file('broken.yaml', resources('sum(rate(tiny_requests_total[1m]) > '));
    const ruleFiles = await collectRuleFiles([crd], []);
    const promtool = await resolvePromtool({ path: bins.get('promtool').path });
    const error = await checkRules(promtool, ruleFiles).catch((e: unknown) => e as Error);
    expect(error).toBeInstanceOf(Error);
    expect((error as Error).message).toContain(`${crd}:16:17: group "tiny", rule 1, "TinyErrors"`);
    expect((error as Error).message).not.toContain('obs-sandbox-prometheus-rules-');
  });

  it.skipIf(!bins.available)(
    'replays a scenario against rules given as PrometheusRule resources',
    async () => {
      const crd = await file(
        'replayed.yaml',
        resources('sum(rate(tiny_requests_total{status="500"}[1m])) > 1'),
      );
      const scenario = await file(
        'tiny-crd.yaml',
        [
          'name: tiny-crd',
          'description: TinyErrors, from a PrometheusRule, fires.',
          `systems: [${resolve('test/fixtures/catalogue/systems/tiny.system.yaml')}]`,
          'duration: 6m',
          'warmup: 5m',
          'steps:',
          '  - { at: 2m, name: broken, fault: tiny_errors }',
          'expect:',
          '  - { alert: TinyErrors, fires: { after: broken, within: 3m } }',
          '  - { alert: TinyQuiet, never: true }',
          '',
        ].join('\n'),
      );
      const [result] = await replay([scenario], { rules: [crd], bundledRules: false });
      expect(result!.failures).toEqual([]);
      expect(result!.passed).toBe(true);
    },
  );
});
