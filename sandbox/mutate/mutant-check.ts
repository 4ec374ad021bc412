import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Promtool } from '../promtool/promtool-runner.js';
import { pool } from '../replay/replay-scenarios.js';
import { mutantRuleFile, type MutableRule, type RuleMutant } from './rule-mutants.js';

export interface CheckedMutants {
  mutants: RuleMutant[];
  /** Index of a mutant promtool rejects → promtool's reason. */
  invalid: Map<number, string>;
}

/** promtool's reason, without the file name it printed before it. */
function reason(output: string): string {
  const lines = output.split('\n').map((l) => l.trim());
  const failed = lines.findIndex((l) => l === 'FAILED:');
  const line = lines.slice(failed + 1).find((l) => l !== '') ?? output.trim();
  return line.replace(/^.*?\.yml:\s*/, '');
}

/**
 * Checks every mutant with `promtool check rules`: all of a rule's mutants in one file first, and one by
 * one only when that file fails, to find which ones promtool rejects.
 */
export async function checkMutants(
  promtool: Promtool,
  rules: readonly MutableRule[],
  mutantsOf: (rule: MutableRule) => RuleMutant[],
  dir: string,
  concurrency: number,
): Promise<CheckedMutants[]> {
  const check = async (file: string, entries: { mutant: RuleMutant; name: string }[], rule: MutableRule) => {
    await writeFile(file, mutantRuleFile(entries.map((e) => ({ ...e, rule }))));
    return promtool.run(['check', 'rules', file], [file]);
  };
  return pool(rules, concurrency, async (rule) => {
    const r = rules.indexOf(rule);
    const mutants = mutantsOf(rule);
    const entries = mutants.map((mutant, i) => ({ mutant, name: `${rule.alert}__check_${i}` }));
    const invalid = new Map<number, string>();
    const all = await check(join(dir, `check-${r}.yml`), entries, rule);
    if (all.code !== 0) {
      for (const [i, entry] of entries.entries()) {
        const one = await check(join(dir, `check-${r}-${i}.yml`), [entry], rule);
        if (one.code !== 0) invalid.set(i, reason(one.output));
      }
    }
    return { mutants, invalid };
  });
}
