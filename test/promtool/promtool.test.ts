import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { checkRules, runPromtool } from '../../sandbox/promtool/promtool.js';
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

describe('the series promtool is given', () => {
  /** A promtool that passes every test file and keeps the input series of each. */
  function recordingPromtool() {
    const handed: string[][] = [];
    const promtool: Promtool = {
      describe: 'fake promtool recording input series',
      run: (args) => {
        const test = JSON.parse(readFileSync(args[2]!, 'utf8')) as {
          tests: { input_series: { series: string }[] }[];
        };
        handed.push(test.tests[0]!.input_series.map((s) => s.series));
        return Promise.resolve({ code: 0, output: 'SUCCESS' });
      },
    };
    return { promtool, handed };
  }
  const series = ['up', 'a_total', 'b_bucket', 'c'].map((name) => ({
    name,
    labels: { job: 'j' },
    samples: [1, 1],
  }));
  const replay = async (expr: string) => {
    const file = join(dir, 'series.yaml');
    writeFileSync(file, `groups:\n  - name: g\n    rules:\n      - alert: A\n        expr: ${expr}\n`);
    const { promtool, handed } = recordingPromtool();
    await runPromtool({
      promtool,
      ruleFiles: [file],
      evaluationIntervalMs: 15_000,
      series,
      probes: [0],
      name: 'n',
    });
    return handed[0]!.map((s) => s.slice(0, s.indexOf('{')));
  };

  it('holds only the series of names the rules select', async () => {
    expect(await replay('rate(a_total[5m]) > 0 and on() up == 1')).toEqual(['up', 'a_total']);
  });

  it('holds every series when a selector could match any name', async () => {
    expect(await replay('count({job="j"}) > 0')).toEqual(['up', 'a_total', 'b_bucket', 'c']);
  });
});
