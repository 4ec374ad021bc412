/**
 * The sandbox for your own test suites (vitest, jest, node:test): scenario replay through promtool, and a
 * running sandbox to drive.
 *
 *   import { replay, startSandbox } from 'obs-sandbox/testing';
 *   const [result] = await replay('anchor-outage', { rules: ['./rules'] });
 *   expect(result.failures).toEqual([]);
 *
 *   await using sandbox = await startSandbox({ rules: ['./rules'] });
 *   sandbox.fault('emergency');
 *   await sandbox.waitForAlert('EmergencyActive');
 */
import {
  replay as replayScenarios,
  type ReplayOptions,
  type ScenarioResult,
} from './replay/replay-scenarios.js';

export type { ReplayOptions, ScenarioResult } from './replay/replay-scenarios.js';
export type { ExpectationResult } from './replay/judge.js';
export { startSandbox } from './testing/start-sandbox.js';
export type { StartSandboxOptions } from './testing/sandbox-options.js';
export type { SandboxServices, TestSandbox } from './testing/test-sandbox.js';
export type { AlertState, WaitForAlertOptions } from './testing/wait-for-alert.js';
export type { ApiAlert } from './stack/prometheus-api.js';
export type { Notification } from './stack/webhook-receiver.js';
export type { LogRecord } from '../generators/model/types.js';

/** Replays bundled scenarios (by name) or scenario files through the real promtool; see ReplayOptions. */
export function replay(
  scenarios: string | readonly string[],
  options: ReplayOptions = {},
): Promise<ScenarioResult[]> {
  return replayScenarios(typeof scenarios === 'string' ? [scenarios] : scenarios, options);
}

/** Replays every bundled scenario. */
export function replayAll(options: ReplayOptions = {}): Promise<ScenarioResult[]> {
  return replayScenarios([], options);
}
