import { formatDuration } from '../../generators/model/duration.js';
import type { Expectation, Scenario } from '../scenario/scenario-schema.js';
import type { AlertObservation } from '../promtool/promtool-output.js';

export interface ExpectationResult {
  alert: string;
  /** The expectation in words, e.g. "fires within 1h05m after outage". */
  expectation: string;
  passed: boolean;
  /** What happened, e.g. "fired at 1h02m" or "expected firing by 1h05m, was pending". */
  detail: string;
  /** A `fires` expectation that held: when (scenario ms) and with which labels, for routing checks. */
  fired?: { t: number; labels: Record<string, string> };
  /** The rule file of the alerting rule the expectation was judged on. */
  ruleFile?: string;
  /** `file:line:col` of that rule's `alert:` (from the loaded rules; see locateRules). */
  ruleWhere?: string;
}

/** An alert observed in scenario time (ms after the warm-up). */
interface Seen {
  t: number;
  state: 'pending' | 'firing';
  labels: Record<string, string>;
  ruleFile?: string;
}

const fmt = (ms: number) => formatDuration(ms);

function describe(e: Expectation): string {
  const labels = e.labels
    ? `{${Object.entries(e.labels)
        .map(([k, v]) => `${k}="${v}"`)
        .join(', ')}}`
    : '';
  const after = (w?: { after?: string }) => (w?.after ? ` after ${w.after}` : '');
  if (e.fires) {
    const from = e.fires.not_before !== undefined ? ` (not before ${fmt(e.fires.not_before)})` : '';
    return `${e.alert}${labels} fires within ${fmt(e.fires.within)}${after(e.fires)}${from}`;
  }
  if (e.never) return `${e.alert}${labels} never fires`;
  if (e.firing)
    return `${e.alert}${labels} firing from ${fmt(e.firing.from)} to ${fmt(e.firing.to)}${after(e.firing)}`;
  if (e.silent) {
    return `${e.alert}${labels} silent from ${fmt(e.silent.from ?? 0)} to ${e.silent.to !== undefined ? fmt(e.silent.to) : 'the end'}${after(e.silent)}`;
  }
  return `${e.alert}${labels} resolved within ${fmt(e.resolves!.within)}${after(e.resolves)}`;
}

const labelSet = (labels: Record<string, string>) =>
  `{${Object.entries(labels)
    .map(([k, v]) => `${k}=${JSON.stringify(v)}`)
    .join(', ')}}`;

/**
 * What the alert did with labels other than the expected ones: each label set once, when it first fired (or
 * was pending, if it never fired), then the expected labels it lacked. Empty when there is nothing to say.
 */
function otherLabels(expected: Record<string, string> | undefined, others: readonly Seen[]): string {
  const sets = new Map<string, Seen>();
  for (const s of others) {
    const key = labelSet(s.labels);
    const known = sets.get(key);
    if (!known || (known.state === 'pending' && s.state === 'firing')) sets.set(key, s);
  }
  if (sets.size === 0) return '';
  const shown = [...sets.values()].slice(0, 3).map((s) => {
    const missing = Object.entries(expected ?? {})
      .filter(([k, v]) => s.labels[k] !== v)
      .map(([k, v]) => `${k}=${JSON.stringify(v)}`);
    const how = s.state === 'firing' ? 'fired' : 'was pending';
    return `${how} at ${fmt(s.t)} as ${labelSet(s.labels)}; expected ${missing.join(', ')}`;
  });
  const more = sets.size > 3 ? `; and ${sets.size - 3} more label sets` : '';
  return `; ${shown.join('; ')}${more}`;
}

/**
 * The first moment in [from, to] at which the alert's latest evaluation did not say firing: each firing
 * sample covers one evaluation interval (plus live latency) from its time. Undefined when none.
 */
function firstGap(times: readonly number[], from: number, to: number, cover: number): number | undefined {
  let covered = from;
  for (const t of [...times].sort((a, b) => a - b)) {
    if (t + cover <= covered) continue;
    if (t > covered) return covered;
    covered = t + cover;
    if (covered > to) return undefined;
  }
  return covered;
}

/** Judges every expectation, and (unless the scenario says otherwise) flags alerts nobody expected. */
export function judge(
  scenario: Scenario,
  observations: readonly AlertObservation[],
  startMs: number,
  /** Extra time allowed for firing (live: a scrape plus an evaluation interval). */
  latencyMs = 0,
): { results: ExpectationResult[]; unexpected: ExpectationResult[] } {
  const stepAt = new Map(scenario.steps.filter((s) => s.name).map((s) => [s.name!, s.at]));
  const byAlert = new Map<string, Seen[]>();
  for (const o of observations) {
    if (o.at < startMs) continue;
    const list = byAlert.get(o.alertname) ?? [];
    list.push({ t: o.at - startMs, state: o.state, labels: o.labels, ruleFile: o.ruleFile });
    byAlert.set(o.alertname, list);
  }
  // Only the rule the expectation means: another file's rule of the same name must not stand in for it.
  const ofRule = (e: Expectation) =>
    (byAlert.get(e.alert) ?? []).filter((s) => e.rule_file === undefined || s.ruleFile === e.rule_file);
  const matches = (e: Expectation, s: Seen) =>
    Object.entries(e.labels ?? {}).every(([k, v]) => s.labels[k] === v);
  const seen = (e: Expectation) => ofRule(e).filter((s) => matches(e, s));
  const base = (w?: { after?: string }) => (w?.after ? stepAt.get(w.after)! : 0);
  const results = scenario.expect.map((e): ExpectationResult => {
    const all = seen(e);
    const firing = all.filter((s) => s.state === 'firing');
    const result = (passed: boolean, detail: string) => ({
      alert: e.alert,
      expectation: describe(e),
      passed,
      detail:
        passed || !e.fires
          ? detail
          : `${detail}${otherLabels(
              e.labels,
              ofRule(e).filter((s) => !matches(e, s)),
            )}`,
      ...(e.rule_file !== undefined ? { ruleFile: e.rule_file } : {}),
    });
    if (e.fires) {
      const from = base(e.fires) + (e.fires.not_before ?? 0);
      const by = base(e.fires) + e.fires.within + latencyMs;
      // not_before is a promise too: firing between the anchor and it fails, even if the alert is still
      // firing inside the window (an alert whose for: was dropped fires early and stays firing).
      const tooEarly =
        e.fires.not_before !== undefined ? firing.find((s) => s.t >= base(e.fires) && s.t < from) : undefined;
      if (tooEarly) return result(false, `fired at ${fmt(tooEarly.t)}, expected not before ${fmt(from)}`);
      const inWindow = firing.find((s) => s.t >= from && s.t <= by);
      if (inWindow)
        return {
          ...result(true, `fired at ${fmt(inWindow.t)}`),
          fired: { t: inWindow.t, labels: inWindow.labels },
        };
      const early = firing.find((s) => s.t < from);
      if (early) return result(false, `fired at ${fmt(early.t)}, expected not before ${fmt(from)}`);
      const atDeadline = all.filter((s) => s.t <= by).at(-1);
      if (atDeadline?.state === 'pending' && by - atDeadline.t <= scenario.evaluation_interval) {
        const since = all
          .filter((s) => s.state === 'pending' && s.t <= by)
          .find((s, i, arr) => i === 0 || s.t - arr[i - 1]!.t > scenario.evaluation_interval);
        return result(
          false,
          `expected firing by ${fmt(by)}, was pending${since ? ` (since ${fmt(since.t)})` : ''}`,
        );
      }
      const late = firing.find((s) => s.t > by);
      if (late) return result(false, `expected firing by ${fmt(by)}, fired at ${fmt(late.t)}`);
      const pending = all[0];
      return result(
        false,
        `expected firing by ${fmt(by)}, never fired${pending ? ` (pending at ${fmt(pending.t)})` : ''}`,
      );
    }
    if (e.firing) {
      const from = base(e.firing) + e.firing.from;
      const to = base(e.firing) + e.firing.to;
      const gap = firstGap(
        firing.map((s) => s.t),
        from,
        to,
        scenario.evaluation_interval + latencyMs,
      );
      return gap === undefined
        ? result(true, `firing from ${fmt(from)} to ${fmt(to)}`)
        : result(false, `not firing at ${fmt(gap)}, expected firing from ${fmt(from)} to ${fmt(to)}`);
    }
    if (e.never) {
      const first = firing[0];
      return first ? result(false, `fired at ${fmt(first.t)}, expected never`) : result(true, 'never fired');
    }
    if (e.silent) {
      const from = base(e.silent) + (e.silent.from ?? 0);
      const to = e.silent.to !== undefined ? base(e.silent) + e.silent.to : Infinity;
      const hit = firing.find((s) => s.t >= from && s.t <= to);
      return hit ? result(false, `fired at ${fmt(hit.t)}, expected silent then`) : result(true, 'silent');
    }
    const by = base(e.resolves) + e.resolves!.within;
    const still = firing.filter((s) => s.t >= by).at(-1);
    if (still) return result(false, `still firing at ${fmt(still.t)}, expected resolved by ${fmt(by)}`);
    const last = firing.at(-1);
    return result(true, last ? `last fired at ${fmt(last.t)}` : 'was not firing');
  });
  const named = new Set(scenario.expect.map((e) => e.alert));
  const unexpected: ExpectationResult[] = [];
  if (scenario.unexpected === 'fail') {
    for (const [alert, list] of [...byAlert].sort(([a], [b]) => a.localeCompare(b))) {
      const first = list.find((s) => s.state === 'firing');
      if (named.has(alert) || !first) continue;
      unexpected.push({
        alert,
        expectation: `${alert} not expected`,
        passed: false,
        detail: `${alert} fired at ${fmt(first.t)}, expected never (no expectation names it)`,
      });
    }
  }
  return { results, unexpected };
}
