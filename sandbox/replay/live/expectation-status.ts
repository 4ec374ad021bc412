import type { Expectation, Scenario } from '../../scenario/scenario-schema.js';
import type { ExpectationResult } from '../judge.js';

export type LiveStatus = 'waiting' | 'passed' | 'failed';

/**
 * Whether a live expectation is already decided at `elapsedMs` of scenario time: a pass that cannot be
 * undone (fired in its window, a silent window that has ended), a failure that cannot be undone (fired when
 * it must not, a deadline gone by), or still waiting.
 */
export function liveStatus(
  e: Expectation,
  result: ExpectationResult,
  scenario: Scenario,
  elapsedMs: number,
  latencyMs: number,
): LiveStatus {
  const stepAt = (after?: string) => scenario.steps.find((s) => s.name === after)?.at ?? 0;
  if (e.fires) {
    if (result.passed) return 'passed';
    const deadline = stepAt(e.fires.after) + e.fires.within + latencyMs;
    return elapsedMs > deadline || /expected not before/.test(result.detail) ? 'failed' : 'waiting';
  }
  if (e.firing) {
    const end = stepAt(e.firing.after) + e.firing.to + latencyMs;
    if (elapsedMs <= end) return 'waiting';
    return result.passed ? 'passed' : 'failed';
  }
  if (!result.passed) return 'failed';
  if (e.silent?.to !== undefined && elapsedMs > stepAt(e.silent.after) + e.silent.to) return 'passed';
  return 'waiting';
}
