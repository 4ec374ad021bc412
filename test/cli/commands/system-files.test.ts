import { describe, expect, it } from 'vitest';
import { requireBinaries } from '../../support/binaries.js';
import { runCli } from '../../support/cli.js';

// Each of these loads test/fixtures/catalogue/systems/tiny.system.yaml through loadSystem.
const TINY_DIR = 'test/fixtures/catalogue/systems';
const TINY_SCENARIO = 'test/fixtures/catalogue/scenarios/tiny-errors.yaml';
const PROJECT = 'test/fixtures/catalogue/obs-sandbox.yaml';

const bins = await requireBinaries(['promtool']);

interface FaultList {
  faults: { name: string }[];
  knobs: { name: string }[];
}

describe('--system and the project file on the CLI', () => {
  it('sandbox faults --system DIR lists the faults and knobs of the systems in it, besides the default ones', () => {
    const { code, stdout } = runCli(['faults', '--system', TINY_DIR, '--json']);
    expect(code).toBe(0);
    const list = JSON.parse(stdout) as FaultList;
    expect(list.faults.map((f) => f.name)).toEqual(expect.arrayContaining(['tiny_errors', 'anchor_stall']));
    expect(list.knobs.map((k) => k.name)).toContain('tiny_rate');
  });

  it("--config: the project file's systems replace the default set", () => {
    const { code, stdout } = runCli(['faults', '--config', PROJECT, '--json']);
    expect(code).toBe(0);
    expect((JSON.parse(stdout) as FaultList).faults.map((f) => f.name)).toEqual([
      'service_down',
      'tiny_errors',
    ]);
  });

  it('a misspelt system is one line with a suggestion, exit 2', () => {
    const { code, stderr } = runCli(['faults', '--system', 'vaultmsh']);
    expect(code).toBe(2);
    expect(stderr.trim()).toMatch(
      /^sandbox: no bundled system named "vaultmsh" \(did you mean vaultmesh\?\)/,
    );
    expect(stderr.trim().split('\n')).toHaveLength(1);
  });
});

describe.skipIf(!bins.available)('--system and scenario systems with promtool', () => {
  it('sandbox check --system DIR checks and covers the rules that come with the system', () => {
    const { code, stdout } = runCli(
      ['check', '--system', TINY_DIR, '--scenario', TINY_SCENARIO, '--json'],
      900_000,
    );
    expect(code).toBe(0);
    const report = JSON.parse(stdout) as {
      alerts: { alert: string; firedIn: string[]; claimedIn: string[] }[];
      ruleFiles: string[];
    };
    expect(report.ruleFiles.at(-1)).toMatch(/tiny-alerts\.yaml$/);
    expect(report.alerts.find((a) => a.alert === 'TinyErrors')).toMatchObject({
      firedIn: ['tiny-errors'],
      claimedIn: ['tiny-errors'],
    });
  }, 900_000);

  it("sandbox replay loads a scenario's systems: for it", () => {
    const { code, stdout } = runCli(['replay', TINY_SCENARIO, '--json'], 120_000);
    expect(code).toBe(0);
    expect(JSON.parse(stdout)).toMatchObject([{ name: 'tiny-errors', passed: true }]);
  }, 120_000);

  it("sandbox replay with no scenario runs the project file's scenarios", () => {
    const { code, stdout } = runCli(['replay', '--config', PROJECT, '--json'], 120_000);
    expect(code).toBe(0);
    expect((JSON.parse(stdout) as { name: string }[]).map((r) => r.name)).toEqual(['tiny-errors']);
  }, 120_000);
});
