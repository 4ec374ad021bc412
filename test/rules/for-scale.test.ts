import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { defaultSystems, ruleFilesOf } from '../../generators/systems/index.js';
import { checkRules } from '../../sandbox/promtool/promtool.js';
import { resolvePromtool } from '../../sandbox/promtool/promtool-runner.js';
import { scaleDuration, scaleRuleFile } from '../../sandbox/rules/for-scale.js';
import { collectRuleFiles, loadAlertRulesFromText } from '../../sandbox/rules/rule-files.js';
import { readStackRules } from '../../sandbox/rules/stack-rules.js';
import { requireBinaries } from '../support/binaries.js';

const bins = await requireBinaries(['promtool']);

describe('for-scale', () => {
  it('scales durations to whole seconds, never below 1s, and keeps 0', () => {
    expect(scaleDuration(600_000, 0.1)).toBe(60_000);
    expect(scaleDuration(60_000, 0.01)).toBe(1000);
    expect(scaleDuration(90_000, 0.5)).toBe(45_000);
    expect(scaleDuration(0, 0.1)).toBe(0);
  });

  it("multiplies every alerting rule's for: and keeps the rest of the file as written", async () => {
    const [file] = await readStackRules(
      (await collectRuleFiles([], ruleFilesOf(defaultSystems()))).filter((f) =>
        f.endsWith('vaultmesh-alerts.yaml'),
      ),
    );
    const scaled = scaleRuleFile(file!, 0.1);
    const before = loadAlertRulesFromText(file!.name, file!.content);
    const after = loadAlertRulesFromText(scaled.name, scaled.content);
    expect(after.map((r) => r.alert)).toEqual(before.map((r) => r.alert));
    for (const [i, rule] of after.entries()) {
      expect(rule.forMs).toBe(scaleDuration(before[i]!.forMs, 0.1));
      expect(rule.expr).toBe(before[i]!.expr);
      expect(rule.labels).toEqual(before[i]!.labels);
    }
    expect(after.find((r) => r.alert === 'ReceiptRateAnomaly')?.forMs).toBe(60_000);
    expect(scaleRuleFile(file!, 1)).toBe(file);
  });

  it('gives two rule files of the same name different names in the stack', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'obs-sandbox-rules-'));
    for (const sub of ['a', 'b']) {
      await import('node:fs/promises').then((fs) => fs.mkdir(join(dir, sub)));
      writeFileSync(join(dir, sub, 'alerts.yaml'), 'groups: []\n');
    }
    const files = await readStackRules([join(dir, 'a', 'alerts.yaml'), join(dir, 'b', 'alerts.yaml')]);
    rmSync(dir, { recursive: true, force: true });
    expect(files.map((f) => f.name)).toEqual(['alerts.yaml', 'alerts-2.yaml']);
  });

  it.skipIf(!bins.available)('produces rule files the real promtool accepts', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'obs-sandbox-scaled-'));
    try {
      const files = await readStackRules(await collectRuleFiles([], ruleFilesOf(defaultSystems())));
      const paths = files.map((f) => {
        const path = join(dir, f.name);
        writeFileSync(path, scaleRuleFile(f, 0.05).content);
        return path;
      });
      await expect(
        checkRules(await resolvePromtool({ path: bins.get('promtool').path }), paths),
      ).resolves.not.toThrow();
      expect(await readFile(paths[0]!, 'utf8')).toMatch(/for: \d+s/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
