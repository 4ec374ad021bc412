import { formatDuration } from '../../generators/model/duration.js';
import { ruleLookback } from './rule-lookback.js';
import type { RuleSet } from './rule-set.js';

/** The longest history `start --history` simulates (its option refuses more). */
export const MAX_HISTORY_MS = 86_400_000;

/**
 * Slack on top of a rule's lookback in the history suggested: the history's first sample comes up to one
 * history interval after its start, and subquery steps align to the epoch, not to the start. The default
 * history, 1h10m, is the bundled ReceiptRateAnomaly's 1h5m plus it.
 */
const SLACK_MS = 300_000;

const shown = (ms: number) => (ms === 0 ? '0' : formatDuration(ms));

/**
 * One line per rule (alerting or recording) whose expression looks back further than the history loaded
 * at start: until that much time has passed it reads a partial window, so it may stay pending or be wrong
 * on normal traffic. `option` is how the user set the history. Rules that do not parse are Prometheus'
 * to refuse, and are left out.
 */
export function historyWarnings(rules: RuleSet, historyMs: number, option = '--history'): string[] {
  const named = [
    ...rules.alerts.map((r) => ({ name: r.alert, expr: r.expr })),
    ...rules.records.map((r) => ({ name: r.record, expr: r.expr })),
  ];
  const lines = named.flatMap(({ name, expr }) => {
    const lookback = ruleLookback(expr);
    if ('error' in lookback || lookback.ms <= historyMs) return [];
    const needed = formatDuration(lookback.ms);
    const head = `${name} looks back ${needed} (${lookback.text.replace(/\s+/g, ' ')}) but ${option} is ${shown(historyMs)}`;
    const suggested = lookback.ms + SLACK_MS;
    if (suggested > MAX_HISTORY_MS)
      return [
        `${head}, and at most ${formatDuration(MAX_HISTORY_MS)} can be simulated: it may be pending or wrong for ${needed} after start; ` +
          'test it with a replay, whose warm-up can be that long',
      ];
    return [
      `${head}: until ${needed} of samples exist it may be pending or wrong; use ${option} ${formatDuration(suggested)} or more`,
    ];
  });
  // Several rules of one name with one expression (a warning and a critical threshold) say the same thing.
  return [...new Set(lines)];
}
