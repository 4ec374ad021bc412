import { isMap, isSeq, parseDocument } from 'yaml';
import { formatDuration, parseDuration } from '../../generators/model/duration.js';
import type { StackRuleFile } from './stack-rules.js';

const SCALED_KEYS = ['for', 'keep_firing_for'] as const;

/** Scales a duration, rounded to whole seconds as Prometheus evaluates no finer; 0 stays 0. */
export function scaleDuration(ms: number, scale: number): number {
  if (ms === 0) return 0;
  return Math.max(1000, Math.round((ms * scale) / 1000) * 1000);
}

/**
 * Rewrites a rule file with every alerting rule's `for:` (and `keep_firing_for:`) multiplied by `scale`,
 * keeping the rest of the document (comments, order) as it was.
 */
export function scaleRuleFile(file: StackRuleFile, scale: number): StackRuleFile {
  if (scale === 1) return file;
  const doc = parseDocument(file.content);
  const groups = doc.get('groups');
  if (!isSeq(groups)) return file;
  for (const group of groups.items) {
    const rules = isMap(group) ? group.get('rules') : undefined;
    if (!isSeq(rules)) continue;
    for (const rule of rules.items) {
      if (!isMap(rule) || !rule.has('alert')) continue;
      for (const key of SCALED_KEYS) {
        const value = rule.get(key);
        const ms = typeof value === 'string' ? parseDuration(value) : undefined;
        if (ms !== undefined) rule.set(key, formatDuration(scaleDuration(ms, scale)));
      }
    }
  }
  return { ...file, content: doc.toString() };
}
