import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { checkRules } from '../../sandbox/promtool/promtool.js';
import type { Promtool } from '../../sandbox/promtool/promtool-runner.js';

const dir = mkdtempSync(join(tmpdir(), 'obs-sandbox-promtool-check-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** A promtool that answers `check rules` with the given exit code and counts its runs. */
function fakePromtool(name: string, code = 0) {
  const runs: string[][] = [];
  const promtool: Promtool & { runs: string[][] } = {
    describe: `fake promtool ${name}`,
    runs,
    run: (args) => {
      runs.push([...args]);
      return Promise.resolve({ code, output: code === 0 ? 'SUCCESS' : 'FAILED: rules.yaml: broken' });
    },
  };
  return promtool;
}

const rules = (alert: string) =>
  `groups:\n  - name: g\n    rules:\n      - alert: ${alert}\n        expr: up == 0\n`;

describe("promtool's check of rule files", () => {
  it('hands the same text to the same promtool once per process, and a changed text again', async () => {
    const file = join(dir, 'rules.yaml');
    writeFileSync(file, rules('A'));
    const promtool = fakePromtool('one');
    await checkRules(promtool, [file]);
    await checkRules(promtool, [file]);
    expect(promtool.runs).toHaveLength(1);
    writeFileSync(file, rules('B'));
    await checkRules(promtool, [file]);
    expect(promtool.runs).toHaveLength(2);
    // Another promtool checks for itself.
    const other = fakePromtool('two');
    await checkRules(other, [file]);
    expect(other.runs).toHaveLength(1);
  });

  it('does not remember a failed check', async () => {
    const file = join(dir, 'failing.yaml');
    writeFileSync(file, rules('C'));
    const promtool = fakePromtool('failing', 1);
    await expect(checkRules(promtool, [file])).rejects.toThrow(/rules fail promtool's check/);
    await expect(checkRules(promtool, [file])).rejects.toThrow(/rules fail promtool's check/);
    expect(promtool.runs).toHaveLength(2);
  });
});
