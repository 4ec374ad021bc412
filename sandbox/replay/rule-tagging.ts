import { chmodSync, mkdtempSync } from 'node:fs';
import { rm, writeFile } from 'node:fs/promises';
import { readUserFile } from '../../generators/model/user-file.js';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { isMap, isSeq, parseDocument } from 'yaml';
import { removeOnExit } from '../cleanup.js';
import { alertFiles, ruleClashes, type RuleSet } from '../rules/rule-set.js';
import type { AlertObservation } from '../promtool/promtool-output.js';

/**
 * The label that tells apart alerts of one name from different files inside promtool. Two such rules with
 * the same labels would write the same ALERTS series, and either one firing would look like both; with this
 * label each keeps its own series. It is read back and removed before anything is judged or shown.
 */
export const RULE_FILE_LABEL = 'obs_sandbox_rule_file';

/** The rule files promtool reads, and how to tell which file an alert it reports comes from. */
export interface TaggedRules {
  /** Original path → the path handed to promtool (the same when nothing needed tagging). */
  paths: ReadonlyMap<string, string>;
  /** Sets each observation's `ruleFile` and removes the tag. */
  attribute(observations: readonly AlertObservation[]): AlertObservation[];
  dispose(): Promise<void>;
}

/**
 * Copies the rule files that define one of the `clashing` alert names (default: those that clash in `rules`),
 * adding `RULE_FILE_LABEL` (the file's index in `rules.files`) to those rules; other files are used as they are.
 */
export async function tagRuleFiles(
  rules: RuleSet,
  clashing: ReadonlySet<string> = new Set(
    ruleClashes(rules)
      .filter((c) => c.kind === 'alert')
      .map((c) => c.name),
  ),
): Promise<TaggedRules> {
  const paths = new Map(rules.files.map((f) => [f, f]));
  let dispose = async () => undefined;
  const tagged = rules.files.filter((f) => rules.alerts.some((r) => r.file === f && clashing.has(r.alert)));
  if (tagged.length > 0) {
    // Created synchronously so that a signal cannot arrive between creating and tracking it.
    const dir = mkdtempSync(join(tmpdir(), 'obs-sandbox-rules-'));
    const untrack = removeOnExit(dir);
    // Readable by a container's promtool, which may run as another user.
    chmodSync(dir, 0o755);
    dispose = async () => {
      await rm(dir, { recursive: true, force: true });
      untrack();
    };
    for (const file of tagged) {
      const index = rules.files.indexOf(file);
      const document = parseDocument(await readUserFile(file, 'rule file'));
      const groups = document.get('groups', true);
      for (const group of isSeq(groups) ? groups.items : []) {
        const list = isMap(group) ? group.get('rules', true) : undefined;
        for (const rule of isSeq(list) ? list.items : []) {
          if (isMap(rule) && clashing.has(String(rule.get('alert'))))
            rule.setIn(['labels', RULE_FILE_LABEL], String(index));
        }
      }
      const copy = join(dir, `${index}-${basename(file)}`);
      await writeFile(copy, document.toString());
      paths.set(file, copy);
    }
  }
  const only = (alert: string) => {
    const files = alertFiles(rules, alert);
    return files.length === 1 ? files[0] : undefined;
  };
  return {
    paths,
    attribute: (observations) =>
      observations.map((o) => {
        const { [RULE_FILE_LABEL]: tag, ...labels } = o.labels;
        const ruleFile = tag !== undefined ? rules.files[Number(tag)] : only(o.alertname);
        return { ...o, labels, ...(ruleFile !== undefined ? { ruleFile } : {}) };
      }),
    dispose,
  };
}
