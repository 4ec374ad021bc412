import { historyWarnings } from './history-warnings.js';
import { collectRuleFiles } from './rule-files.js';
import { loadRuleSet } from './rule-set.js';

/**
 * What a start warns of before anything runs: each rule (the user's `rules`, then the systems' bundled
 * files) that looks back further than the history it loads. `option` is how the user set the history.
 */
export async function startWarnings(
  rules: readonly string[],
  bundledRuleFiles: readonly string[],
  historyMs: number,
  option?: string,
): Promise<string[]> {
  const ruleFiles = await collectRuleFiles(rules, bundledRuleFiles);
  return historyWarnings(await loadRuleSet(ruleFiles), historyMs, option);
}
