import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { locateRules } from '../../sandbox/replay/rule-location.js';
import { loadRuleSet } from '../../sandbox/rules/rule-set.js';

const dir = mkdtempSync(join(tmpdir(), 'obs-sandbox-rule-location-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const file = join(dir, 'latency.yml');
writeFileSync(
  file,
  `groups:
  - name: latency
    rules:
      - alert: SlowApi
        expr: api_latency_seconds > 1
        labels: { severity: warning }
      - alert: SlowApi
        expr: api_latency_seconds > 5
        labels: { severity: critical }
`,
);
const rules = await loadRuleSet([file]);
const base = { alert: 'SlowApi', expectation: 'SlowApi fires within 5m', passed: true, detail: 'fired' };

describe('locateRules', () => {
  it('names the rule of the fired alert among rules of one name in one file', () => {
    const [warning, critical] = locateRules(
      [
        { ...base, ruleFile: file, fired: { t: 1, labels: { severity: 'warning' } } },
        { ...base, ruleFile: file, fired: { t: 1, labels: { severity: 'critical' } } },
      ],
      rules,
    );
    expect(warning!.ruleWhere).toBe(`${file}:4:16`);
    expect(critical!.ruleWhere).toBe(`${file}:7:16`);
  });

  it("uses the expectation's labels when nothing fired, the first rule when nothing tells them apart", () => {
    const [byLabels, first, noFile] = locateRules(
      [{ ...base, ruleFile: file }, { ...base, ruleFile: file }, base],
      rules,
      [{ severity: 'critical' }, undefined, undefined],
    );
    expect(byLabels!.ruleWhere).toBe(`${file}:7:16`);
    expect(first!.ruleWhere).toBe(`${file}:4:16`);
    expect(noFile!.ruleWhere).toBeUndefined();
  });
});
