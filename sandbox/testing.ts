/**
 * Scenario replay for your own test suites (vitest, jest, node:test):
 *
 *   import { replay } from 'obs-sandbox/testing';
 *   const [result] = await replay('anchor-outage', { rules: ['./rules'] });
 *   expect(result.failures).toEqual([]);
 */
import {
  replay as replayScenarios,
  type ReplayOptions,
  type ScenarioResult,
} from './replay/replay-scenarios.js';

export type { ReplayOptions, ScenarioResult } from './replay/replay-scenarios.js';
export type { ExpectationResult } from './replay/judge.js';

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
