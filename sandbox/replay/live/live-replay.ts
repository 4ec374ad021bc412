import { formatDuration } from '../../../generators/model/duration.js';
import type { RuleSet } from '../../rules/rule-set.js';
import type { LoadedScenario } from '../../scenario/load-scenario.js';
import type { Scenario, ScenarioStep } from '../../scenario/scenario-schema.js';
import { firedAlerts } from '../fired.js';
import { judge, type ExpectationResult } from '../judge.js';
import type { AlertObservation } from '../../promtool/promtool-output.js';
import { scenarioResult, type ScenarioResult } from '../replay-scenarios.js';
import { locateRules } from '../rule-location.js';
import type { ApiEndpoint } from './api-endpoint.js';
import { fillLinks } from './caption-links.js';
import { fetchRuleAlerts } from './rule-alerts.js';
import { liveVacuousLines } from './live-vacuous.js';
import { liveStatus, type LiveStatus } from './expectation-status.js';
import type { LiveTarget } from './live-target.js';
import { DELIVERY_MARGIN_MS, loadedAlertmanagerConfig, notificationGraceMs } from './notification-wait.js';
import { checkNotifications } from './notifications.js';

export interface LiveReplayOptions {
  /** Multiply every rule's `for:` by this while the scenario runs (default 1: as written). */
  forScale?: number;
  /** Aborting ends the scenario early; the result then says so. */
  signal?: AbortSignal;
  onEvent?: (event: LiveReplayEvent) => void;
  /**
   * The sandbox's rules and the scenario file's text: each result names its rule's line, and vacuous
   * never/silent expectations are reported.
   */
  loaded?: { rules: RuleSet; text: string };
}

export interface LiveExpectation {
  expectation: string;
  status: LiveStatus;
  detail: string;
}

export type LiveReplayEvent =
  | { type: 'started'; scenario: string; durationMs: number; forScale: number; notes: string[] }
  | { type: 'step'; atMs: number; action: string; caption?: string }
  | { type: 'progress'; elapsedMs: number; expectations: LiveExpectation[] }
  | { type: 'finished'; result: ScenarioResult };

function describeStep(step: ScenarioStep): string {
  const parts: string[] = [];
  if (step.clear) parts.push(`clear ${step.clear}`);
  if (step.fault) {
    const params = Object.entries(step.params ?? {}).map(([k, v]) => `${k}=${v}`);
    parts.push(`fault ${step.fault}${params.length > 0 ? `:${params.join(',')}` : ''}`);
  }
  for (const [knob, value] of Object.entries(step.traffic ?? {})) parts.push(`${knob}=${value}`);
  return parts.join(', ') || 'caption';
}

async function applyStep(target: LiveTarget, step: ScenarioStep): Promise<void> {
  if (step.clear) await target.clearFault(step.clear);
  if (step.fault) await target.setFault({ name: step.fault, params: step.params ?? {} });
  for (const [knob, value] of Object.entries(step.traffic ?? {})) await target.setKnob(knob, value);
}

const prometheusOf = (target: LiveTarget): ApiEndpoint => ({
  url: target.prometheusUrl,
  headers: target.apiHeaders?.prometheus ?? {},
});

/** How often Prometheus' alerts are read. */
const POLL_MS = 1000;

/** Live times are reported to the second. */
const toSeconds = (ms: number) => Math.round(ms / 1000) * 1000;

function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    const timer = setTimeout(done, ms);
    function done() {
      clearTimeout(timer);
      signal?.removeEventListener('abort', done);
      resolve();
    }
    signal?.addEventListener('abort', done, { once: true });
  });
}

function observe(
  alerts: Awaited<ReturnType<typeof fetchRuleAlerts>>,
  at: number,
  target: LiveTarget,
): AlertObservation[] {
  return alerts.map((a) => {
    const { alertname = '', ...labels } = a.labels;
    const ruleFile = target.ruleFileOf(a.file);
    return { at, alertname, state: a.state, labels, ...(ruleFile !== undefined ? { ruleFile } : {}) };
  });
}

function notesFor(scenario: Scenario, target: LiveTarget, forScale: number, latencyMs: number): string[] {
  const notes = [
    target.environment !== undefined
      ? `live: ${formatDuration(scenario.duration)} in real time against ${target.environment}; the generators' traffic stands in for the ${formatDuration(scenario.warmup)} warm-up, with their seed`
      : `live: ${formatDuration(scenario.duration)} in real time against ${target.prometheusUrl}; the stack's traffic (and the history it loaded at start) stands in for the ${formatDuration(scenario.warmup)} warm-up, with the stack's seed`,
    `firing deadlines include ${formatDuration(latencyMs)} for a scrape and an evaluation`,
  ];
  notes.push(
    forScale === 1
      ? 'for-scale 1: rules as written'
      : `for-scale ${forScale}: every rule's for: was multiplied by ${forScale} while the scenario ran`,
  );
  if (!target.alertmanagerRunning)
    notes.push(
      target.environment !== undefined
        ? 'no --alertmanager: notifications were not checked'
        : 'Alertmanager is not running: notifications were not checked',
    );
  return notes;
}

/**
 * Runs a scenario against the running stack on the wall clock: applies its steps when they are due, reads
 * Prometheus' alerts, and judges the expectations as the simulated replay does, plus the notifications
 * Alertmanager delivered. Faults, knobs and rules are put back as they were, however it ends.
 */
export async function replayLive(
  { scenario, file }: LoadedScenario,
  target: LiveTarget,
  options: LiveReplayOptions = {},
): Promise<ScenarioResult> {
  const forScale = options.forScale ?? 1;
  const emit = options.onEvent ?? (() => undefined);
  const latencyMs = 2 * target.evaluationIntervalMs;
  const notes = notesFor(scenario, target, forScale, latencyMs);
  const faultsBefore = target.activeFaults();
  const knobsBefore = { ...target.knobs() };
  const observations: AlertObservation[] = [];
  const steps = [...scenario.steps].sort((a, b) => a.at - b.at);
  const started = Date.now();
  let next = 0;
  let elapsed = 0;
  try {
    if (forScale !== 1) await target.setForScale(forScale);
    for (const f of scenario.faults ?? []) await target.setFault({ name: f.name, params: f.params ?? {} });
    for (const [knob, value] of Object.entries(scenario.traffic ?? {})) await target.setKnob(knob, value);
    emit({ type: 'started', scenario: scenario.name, durationMs: scenario.duration, forScale, notes });
    const startMs = Date.now();
    const statuses = (results: ExpectationResult[]) =>
      scenario.expect.map((e, i) => ({
        expectation: results[i]!.expectation,
        status: liveStatus(e, results[i]!, scenario, elapsed, latencyMs),
        detail: results[i]!.detail,
      }));
    while (!options.signal?.aborted) {
      elapsed = Date.now() - startMs;
      while (next < steps.length && steps[next]!.at <= elapsed) {
        const step = steps[next++]!;
        await applyStep(target, step);
        const caption = step.caption ? fillLinks(step.caption, target.links()) : undefined;
        emit({ type: 'step', atMs: step.at, action: describeStep(step), caption });
      }
      // From the rules, not /api/v1/alerts: an alert's rule file tells apart alerts of one name.
      const alerts = await fetchRuleAlerts(prometheusOf(target)).catch(() => undefined);
      if (alerts) observations.push(...observe(alerts, startMs + toSeconds(Date.now() - startMs), target));
      const { results } = judge(scenario, observations, startMs, latencyMs);
      emit({ type: 'progress', elapsedMs: elapsed, expectations: statuses(results) });
      if (elapsed >= scenario.duration) break;
      const untilStep = next < steps.length ? steps[next]!.at - elapsed : Infinity;
      await sleep(Math.max(10, Math.min(POLL_MS, untilStep, scenario.duration - elapsed)), options.signal);
    }
    const aborted = options.signal?.aborted === true;
    let { results, unexpected } = judge(scenario, observations, startMs, latencyMs);
    const waitNotes: string[] = [];
    if (target.alertmanagerRunning && !aborted) {
      const check = () =>
        checkNotifications(scenario, results, target.notifications(), startMs, target.notificationSource);
      const waited = await notificationWait(target, observations, startMs);
      waitNotes.push(waited.note);
      const deadlines = results.map((r) => (r.fired ? waited.deadline(r.alert, r.fired) : 0));
      // A notification follows a firing alert by its route's group_wait: wait for the missing ones.
      while (
        !options.signal?.aborted &&
        check().some((r, i) => !r.passed && results[i]!.passed && Date.now() < deadlines[i]!)
      )
        await sleep(250, options.signal);
      results = check();
    }
    if (aborted) {
      results = results.map((r, i) =>
        liveStatus(scenario.expect[i]!, r, scenario, elapsed, latencyMs) === 'waiting'
          ? { ...r, passed: false, detail: `undecided: aborted at ${formatDuration(toSeconds(elapsed))}` }
          : r,
      );
      unexpected = unexpected.filter((u) => !u.passed);
    }
    const vacuous =
      options.loaded && !aborted
        ? await liveVacuousLines(
            prometheusOf(target),
            { scenario, file },
            options.loaded.text,
            options.loaded.rules,
          )
        : [];
    if (options.loaded) {
      const labels = scenario.expect.map((e) => e.labels);
      results = locateRules(results, options.loaded.rules, labels);
    }
    const result = scenarioResult(scenario, file, 'live', results, unexpected, {
      virtualMs: Math.min(elapsed, scenario.duration),
      wallMs: Date.now() - started,
      forScale,
      fired: firedAlerts(observations, startMs),
      notes: aborted
        ? [...notes, `aborted after ${formatDuration(toSeconds(elapsed))}`]
        : [...notes, ...waitNotes, ...vacuous.map((line) => `warning: ${line}`)],
      ...(vacuous.length > 0 ? { vacuous } : {}),
    });
    emit({ type: 'finished', result });
    return result;
  } finally {
    await restore(target, faultsBefore, knobsBefore, forScale);
  }
}

/**
 * When each alert's notification is due at the latest, from the configuration Alertmanager loaded (its
 * route's group_wait, or group_interval for a group already notified), with a note saying so.
 */
async function notificationWait(
  target: LiveTarget,
  observations: readonly AlertObservation[],
  startMs: number,
): Promise<{
  note: string;
  deadline: (alert: string, fired: NonNullable<ExpectationResult['fired']>) => number;
}> {
  const url = target.links().alertmanager;
  const headers = target.apiHeaders?.alertmanager ?? {};
  const config = url ? await loadedAlertmanagerConfig({ url, headers }) : undefined;
  const margin = formatDuration(DELIVERY_MARGIN_MS);
  return {
    note: config
      ? `notifications were waited for per alert: its route's group_wait (group_interval when its group was already notified) in the configuration Alertmanager loaded, plus ${margin}`
      : `Alertmanager's configuration could not be read: notifications were waited for by its default group_wait (30s) plus ${margin}`,
    deadline: (alert, fired) => {
      const firedAt = startMs + fired.t;
      return (
        firedAt +
        notificationGraceMs(config ?? {}, { alertname: alert, labels: fired.labels, firedAt }, observations)
      );
    },
  };
}

async function restore(
  target: LiveTarget,
  faults: ReturnType<LiveTarget['activeFaults']>,
  knobs: Readonly<Record<string, string | number>>,
  forScale: number,
): Promise<void> {
  const before = new Set(faults.map((f) => f.name));
  for (const f of target.activeFaults()) if (!before.has(f.name)) await target.clearFault(f.name);
  // The control keeps the request objects it was given: a different object means changed parameters.
  const now = new Map(target.activeFaults().map((f) => [f.name, f]));
  for (const f of faults) if (now.get(f.name) !== f) await target.setFault(f);
  const current = target.knobs();
  for (const [knob, value] of Object.entries(knobs))
    if (current[knob] !== value) await target.setKnob(knob, value);
  if (forScale !== 1) await target.setForScale(1);
}
