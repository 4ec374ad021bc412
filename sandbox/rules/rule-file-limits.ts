import { formatDuration, parseDuration } from '../../generators/model/duration.js';
import { SCENARIO_BOUNDS } from '../scenario/scenario-schema.js';
import { describePlace, type RuleFilePlaces } from './rule-file-places.js';

/**
 * What promtool accepts in a rule file but the sandbox cannot use, as one line, or undefined: a file
 * without a single rule (empty, `groups:` alone, or groups without rules), and a `for:` or
 * `keep_firing_for:` longer than any scenario may last, so that no replay could ever see the alert fire.
 */
export function ruleFileProblem(file: string, places: RuleFilePlaces): string | undefined {
  if (places.ruleCount() === 0) {
    return `${file}:1:1: the file holds no rules (it is empty, or its groups: list no rules); add a group with rules, or leave the file out`;
  }
  const max = SCENARIO_BOUNDS.maxDurationMs;
  const long = places
    .durations()
    .find((d) => (d.field === 'for' || d.field === 'keep_firing_for') && (parseDuration(d.text) ?? 0) > max);
  if (long) {
    return `${describePlace(file, long.place)}: ${long.field}: ${long.text} is longer than the ${formatDuration(max)} a scenario may last, so the alert could never fire in the sandbox; shorten it`;
  }
  return undefined;
}
