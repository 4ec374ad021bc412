import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { tmpdir } from 'node:os';
import { afterAll, describe, expect, it } from 'vitest';
import { replay, replayAll, type ScenarioResult } from '../../sandbox/testing.js';
import { loadAlertRules } from '../../sandbox/rules/rule-files.js';
import { loadSystemCatalogue } from '../../sandbox/systems/system-catalogue.js';
import { bundledSystemNames } from '../../sandbox/systems/system-refs.js';
import { requireBinaries } from '../support/binaries.js';

/** Every alert of the rules that come with the bundled systems. */
async function bundledAlerts(): Promise<string[]> {
  const catalogue = await loadSystemCatalogue({ systems: bundledSystemNames() });
  const rules = await loadAlertRules(catalogue.ruleFiles);
  return [...new Set(rules.map((r) => r.alert))].sort();
}

const bins = await requireBinaries(['promtool']);
// A private temporary directory, so other test files' replays do not count (no other file runs in this process
// meanwhile, and test/support/integration-reset.ts restores TMPDIR after it).
const privateTmp = mkdtempSync(join(tmpdir(), 'obs-sandbox-scenarios-test-'));
process.env.TMPDIR = privateTmp;
afterAll(() => rmSync(privateTmp, { recursive: true, force: true }));
const replayTemp = () => readdirSync(tmpdir());

describe.skipIf(!bins.available)('bundled scenarios through the real promtool', async () => {
  const before = replayTemp();
  const results: ScenarioResult[] = bins.available ? await replayAll() : [];

  it("covers every alert of the bundled systems' rules with a scenario that makes it fire", async () => {
    const fired = new Set(
      results.flatMap((r) =>
        r.results.filter((c) => c.passed && /fires within/.test(c.expectation)).map((c) => c.alert),
      ),
    );
    expect([...fired].sort()).toEqual(await bundledAlerts());
  });

  it.each(results.map((r) => [r.name, r] as const))('%s passes', (_name, result) => {
    expect(result.failures).toEqual([]);
    expect(result.passed).toBe(true);
  });

  it('leaves no temporary files behind', () => {
    expect(before).toEqual([]);
    expect(replayTemp()).toEqual([]);
  });
});

describe.skipIf(!bins.available)('failed expectations say what happened', async () => {
  const [result] = bins.available ? await replay('test/fixtures/scenarios/wrong-expectations.yaml') : [];

  it('reports each failure with the actual behaviour', () => {
    expect(result!.passed).toBe(false);
    expect(result!.failures).toEqual([
      'NodeUnhealthy fires within 3m after sick: expected firing by 13m, was pending (since 10m15s)',
      'NodeUnhealthy never fires: fired at 15m15s, expected never',
      'NodeDown fires within 15m after sick: expected firing by 25m, never fired',
      'EmergencyActive not expected: EmergencyActive fired at 12m15s, expected never (no expectation names it)',
    ]);
  });
});

describe.skipIf(!bins.available)("the user's own rules", () => {
  it('loads rules from another directory and judges their alerts', async () => {
    const [result] = await replay('test/fixtures/scenarios/custom-rule.yaml', {
      rules: ['test/fixtures/rules/portal-latency.yaml'],
    });
    expect(result!.failures).toEqual([]);
  });

  it('rejects rules that fail promtool check, in one line', async () => {
    await expect(replay('baseline', { rules: ['test/fixtures/rules/broken.yaml'] })).rejects.toThrow(
      /^rules fail promtool's check: .*broken\.yaml.*; fix the rule file and run again$/,
    );
  });

  it('suggests alert names from the loaded rules', async () => {
    await expect(replay('test/fixtures/scenarios/custom-rule.yaml')).rejects.toThrow(
      /custom-rule\.yaml:7:12: expect\[0\]\.alert: no loaded rule defines alert "ReceiptWriteLatencyHigh"/,
    );
  });
});
