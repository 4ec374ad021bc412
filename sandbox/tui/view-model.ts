import type { LogLevel } from '../../generators/model/types.js';
import type { StackService } from '../stack/images.js';
import type { ServiceStatus } from '../stack/native/native-stack.js';
import type { Notification } from '../stack/webhook-receiver.js';

/** What the terminal UI shows: plain data, rebuilt by the adapters, rendered by the panels. */

/** One start-up or shutdown step of a service (or of the sandbox itself). */
export interface ProgressStep {
  id: string;
  label: string;
  state: 'running' | 'done' | 'failed' | 'skipped';
  /** Wall-clock ms the step took (once done) or has taken so far. */
  elapsedMs: number;
  /** Why it failed or was skipped, and how to fix it. */
  reason?: string;
}

/** A traffic rate read from Prometheus, with its recent history for a sparkline (oldest first). */
export interface TrafficSeries {
  id: string;
  label: string;
  unit: string;
  /** Latest value; undefined before the first answer. */
  current?: number;
  history: readonly number[];
  /** Rates above this are shown as trouble (error ratios). */
  warnAbove?: number;
}

export type AlertState = 'inactive' | 'pending' | 'firing';

/** An alerting rule and its state in Prometheus; one row per rule (the worst of its alerts). */
export interface AlertRow {
  name: string;
  state: AlertState;
  severity?: string;
  /** Wall-clock ms when it entered this state (pending/firing); undefined when inactive. */
  sinceMs?: number;
  /** Labels of the active alert that tell the instances apart (node, scroll...). */
  labels?: Readonly<Record<string, string>>;
  /** Number of active alerts of this rule. */
  count: number;
}

export type ExpectationStatus = 'waiting' | 'passed' | 'failed';

export interface ScenarioExpectationView {
  expectation: string;
  status: ExpectationStatus;
  detail?: string;
}

/** The scenario running live (or the last one run). */
export interface ScenarioRunView {
  name: string;
  description: string;
  /** Scenario time elapsed and total, ms. */
  elapsedMs: number;
  durationMs: number;
  /** Steps on the timeline, with their time and whether they happened. */
  steps: readonly { atMs: number; label: string; done: boolean }[];
  /** The latest caption shown so far. */
  caption?: string;
  expectations: readonly ScenarioExpectationView[];
  state: 'running' | 'passed' | 'failed' | 'aborted';
  forScale: number;
}

export interface FaultView {
  name: string;
  /** The key that toggles it in the fault panel ('1'-'9', then 'a'-'z' minus used keys). */
  key: string;
  service: string;
  summary: string;
  active: boolean;
  /** Current (active) or default parameters, as text: `ratio=0.25 scroll=all`. */
  params: string;
}

/** A push output of the generators to a receiver outside the stack (`start --remote-write`, `--loki`). */
export interface OutputView {
  /** What it counts: samples (remote write), log lines (Loki) or spans (OTLP). */
  name: 'remote write' | 'loki' | 'otlp';
  /** Where it pushes, without any user or password in it. */
  url: string;
  sent: number;
  /** Waiting to be sent. */
  queued: number;
  /** Never delivered: refused, or pushed out of a full queue. */
  dropped: number;
  lastError?: string;
}

export interface LogLineView {
  timeMs: number;
  job: string;
  level: LogLevel;
  message: string;
  traceId?: string;
}

export interface LogFilter {
  level?: LogLevel;
  job?: string;
}

export type PanelFocus = 'scenario' | 'faults' | 'logs';

export interface TuiViewModel {
  /** Wall clock (ms) at which this view was built; panels compute "for 2m" from it. */
  nowMs: number;
  phase: 'starting' | 'running' | 'stopping' | 'stopped' | 'failed';
  runtime?: 'native' | 'docker';
  progress: readonly ProgressStep[];
  services: readonly ServiceStatus[];
  grafanaLogin?: { url: string; user: string; password: string };
  /** The generators' pushes to receivers outside the stack, if any. */
  outputs?: readonly OutputView[];
  traffic: readonly TrafficSeries[];
  alerts: readonly AlertRow[];
  /** While the alert rules wait for Prometheus' first scrapes (after `ready`), at most `waitMs`. */
  rulesLoading?: { waitMs: number };
  notifications: readonly Notification[];
  /** Scenarios that can be run live: bundled names, then the user's files. */
  scenarios: readonly string[];
  scenario?: ScenarioRunView;
  faults: readonly FaultView[];
  /** The most recent generator log lines, oldest first. */
  logs: readonly LogLineView[];
  /** A one-line message at the bottom (the last error, or what just happened). */
  message?: string;
}

/** What the UI asks of the sandbox; every call returns at once (work happens in the background). */
export interface TuiActions {
  runScenario(name: string): void;
  stopScenario(): void;
  toggleFault(name: string): void;
  /** Tear everything down and exit (q, Ctrl-C). */
  quit(): void;
}

export type { StackService };
