import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it, onTestFinished } from 'vitest';
import { scaleRuleFile } from '../../sandbox/rules/for-scale.js';
import { readStackRules } from '../../sandbox/rules/stack-rules.js';
import { SandboxControl } from '../../sandbox/stack/sandbox-control.js';

const RULE = 'groups:\n  - name: g\n    rules:\n      - alert: A\n        expr: up == 0\n        for: 10m\n';

describe('live replay: which rule file an alert Prometheus reports comes from', () => {
  it("maps the stack's renamed copies back to the files the scenarios name, also after for-scale", async () => {
    const dir = mkdtempSync(join(tmpdir(), 'live-rule-files-'));
    onTestFinished(() => rmSync(dir, { recursive: true, force: true }));
    for (const sub of ['team', 'bundled']) {
      mkdirSync(join(dir, sub));
      writeFileSync(join(dir, sub, 'alerts.yaml'), RULE);
    }
    const files = await readStackRules([
      join(dir, 'bundled', 'alerts.yaml'),
      join(dir, 'team', 'alerts.yaml'),
    ]);
    expect(files.map((f) => f.name)).toEqual(['alerts.yaml', 'alerts-2.yaml']);
    const scaled = files.map((f) => scaleRuleFile(f, 0.1));
    const control = new SandboxControl({} as never, {} as never, {} as never, scaled, 15_000, []);
    expect(control.ruleFileOf('/data/prometheus/rules/alerts-2.yaml')).toBe(join(dir, 'team', 'alerts.yaml'));
    expect(control.ruleFileOf('/etc/prometheus/rules/alerts.yaml')).toBe(join(dir, 'bundled', 'alerts.yaml'));
    expect(control.ruleFileOf('/etc/prometheus/rules/other.yaml')).toBeUndefined();
  });
});
