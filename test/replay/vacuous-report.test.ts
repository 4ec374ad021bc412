import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { vacuousLines } from '../../sandbox/replay/vacuous-report.js';
import { loadRuleSet } from '../../sandbox/rules/rule-set.js';
import { producedNames } from '../../sandbox/rules/vacuous.js';
import { scenarioSchema } from '../../sandbox/scenario/scenario-schema.js';

const rules = await loadRuleSet([resolve('test/fixtures/live/vacuous-rules.yaml')]);
const text = `name: ghost
description: never and silent on an alert whose metric may be missing
duration: 1m
expect:
  - alert: GhostQueueFull
    never: true
  - alert: GhostQueueFull
    silent: { from: 10s }
`;
const loaded = {
  file: 'ghost.yaml',
  scenario: scenarioSchema.parse({
    name: 'ghost',
    description: 'x',
    duration: '1m',
    expect: [
      { alert: 'GhostQueueFull', never: true },
      { alert: 'GhostQueueFull', silent: { from: '10s' } },
    ],
  }),
};

describe('vacuousLines', () => {
  it('names each never/silent expectation on metrics not produced, at file:line:col', () => {
    expect(vacuousLines(loaded, text, rules, producedNames(rules, [{ name: 'up' }]))).toEqual([
      "ghost.yaml:5:5: expect[0]: GhostQueueFull never passes vacuously: its expression selects only metrics nothing produces (ghost_queue_depth); fix the rule's metric names or load the system that produces them",
      "ghost.yaml:7:5: expect[1]: GhostQueueFull silent passes vacuously: its expression selects only metrics nothing produces (ghost_queue_depth); fix the rule's metric names or load the system that produces them",
    ]);
  });

  it('says nothing once the metric exists (live: Prometheus has series of it)', () => {
    expect(vacuousLines(loaded, text, rules, producedNames(rules, [{ name: 'ghost_queue_depth' }]))).toEqual(
      [],
    );
  });
});
