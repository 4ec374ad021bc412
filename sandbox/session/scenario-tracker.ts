import type { LiveReplayEvent } from '../replay/live/live-replay.js';
import type { Scenario } from '../scenario/scenario-schema.js';
import type { ScenarioRunView } from '../tui/view-model.js';

/** The scenario panel's view of a live run, built from the replay's events. */
export class ScenarioTracker {
  private run: ScenarioRunView | undefined;
  begin(scenario: Scenario, forScale: number): void {
    this.run = {
      name: scenario.name,
      description: scenario.description,
      elapsedMs: 0,
      durationMs: scenario.duration,
      steps: [...scenario.steps]
        .sort((a, b) => a.at - b.at)
        .map((s) => ({ atMs: s.at, label: s.name ?? s.fault ?? s.clear ?? 'caption', done: false })),
      expectations: [],
      state: 'running',
      forScale,
    };
  }

  apply(event: LiveReplayEvent): void {
    const run = this.run;
    if (!run) return;
    switch (event.type) {
      case 'started':
        this.run = { ...run, forScale: event.forScale };
        break;
      case 'step':
        this.run = {
          ...run,
          steps: run.steps.map((s) => (s.atMs <= event.atMs ? { ...s, done: true } : s)),
          caption: event.caption ?? run.caption,
        };
        break;
      case 'progress':
        this.run = {
          ...run,
          elapsedMs: event.elapsedMs,
          expectations: event.expectations.map((e) => ({
            expectation: e.expectation,
            status: e.status,
            detail: e.status === 'waiting' ? undefined : e.detail,
          })),
        };
        break;
      case 'finished': {
        const { result } = event;
        const aborted = result.notes?.some((n) => n.startsWith('aborted')) ?? false;
        this.run = {
          ...run,
          elapsedMs: result.virtualMs,
          expectations: [...result.results, ...result.unexpected].map((r) => ({
            expectation: r.expectation,
            status: r.passed ? 'passed' : 'failed',
            detail: r.detail,
          })),
          state: aborted ? 'aborted' : result.passed ? 'passed' : 'failed',
        };
      }
    }
  }

  view(): ScenarioRunView | undefined {
    return this.run;
  }
}
