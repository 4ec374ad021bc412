import { describe, expect, it } from 'vitest';
import { judge } from '../../sandbox/replay/judge.js';
import type { AlertObservation } from '../../sandbox/promtool/promtool-output.js';
import { scenarioSchema } from '../../sandbox/scenario/scenario-schema.js';

const MIN = 60_000;
const scenario = (fires: Record<string, unknown>) =>
  scenarioSchema.parse({
    name: 's',
    description: 'd',
    duration: '30m',
    steps: [{ at: '10m', name: 'outage', fault: 'emergency' }],
    expect: [{ alert: 'A', fires }],
  });
/** Firing at every evaluation from `from` to `to` (minutes), as a rule whose condition holds throughout. */
const firingFrom = (from: number, to = 30): AlertObservation[] =>
  Array.from({ length: (to - from) * 4 + 1 }, (_, i) => ({
    at: from * MIN + i * 15_000,
    alertname: 'A',
    state: 'firing' as const,
    labels: {},
  }));

describe('judge: fires', () => {
  it('fails an alert that fires before not_before, though it is still firing inside the window', () => {
    const [result] = judge(
      scenario({ after: 'outage', within: '10m', not_before: '5m' }),
      firingFrom(11),
      0,
    ).results;
    expect(result).toMatchObject({ passed: false, detail: 'fired at 11m, expected not before 15m' });
  });

  it('passes an alert that fires first inside the window', () => {
    const [result] = judge(
      scenario({ after: 'outage', within: '10m', not_before: '5m' }),
      firingFrom(16),
      0,
    ).results;
    expect(result).toMatchObject({ passed: true, detail: 'fired at 16m' });
  });

  it('does not count firing before the anchor against not_before (an earlier phase of the scenario)', () => {
    const observations = [...firingFrom(2, 4), ...firingFrom(16)];
    const [result] = judge(
      scenario({ after: 'outage', within: '10m', not_before: '5m' }),
      observations,
      0,
    ).results;
    expect(result).toMatchObject({ passed: true, detail: 'fired at 16m' });
  });

  it('without not_before, firing from before the anchor into the window still counts', () => {
    const [result] = judge(scenario({ after: 'outage', within: '10m' }), firingFrom(8), 0).results;
    expect(result).toMatchObject({ passed: true, detail: 'fired at 10m' });
  });

  it('fails when the alert fires only after the deadline', () => {
    const [result] = judge(scenario({ after: 'outage', within: '5m' }), firingFrom(16), 0).results;
    expect(result).toMatchObject({ passed: false, detail: 'expected firing by 15m, fired at 16m' });
  });
});

describe('judge: firing (throughout a window)', () => {
  const firingScenario = (firing: Record<string, unknown>) =>
    scenarioSchema.parse({
      name: 's',
      description: 'd',
      duration: '30m',
      steps: [{ at: '10m', name: 'fixed', clear: 'emergency' }],
      expect: [{ alert: 'A', firing }],
    });

  it('passes when every evaluation of the window says firing', () => {
    const [result] = judge(
      firingScenario({ after: 'fixed', from: '3m', to: '4m' }),
      firingFrom(5, 14),
      0,
    ).results;
    expect(result).toMatchObject({ passed: true, detail: 'firing from 13m to 14m' });
  });

  it('names the first moment it was not firing: a gap, an early end, or a late start', () => {
    const gap = firingFrom(5, 14).filter((o) => o.at !== 13.5 * MIN);
    const cases: [AlertObservation[], string][] = [
      [gap, 'not firing at 13m30s'],
      [firingFrom(5, 13.5), 'not firing at 13m45s'],
      [firingFrom(13.25, 20), 'not firing at 13m'],
      [[], 'not firing at 13m'],
    ];
    for (const [observations, detail] of cases) {
      const [result] = judge(
        firingScenario({ after: 'fixed', from: '3m', to: '4m' }),
        observations,
        0,
      ).results;
      expect(result).toMatchObject({ passed: false, detail: `${detail}, expected firing from 13m to 14m` });
    }
  });

  it('refuses a window that ends before it starts', () => {
    expect(() => firingScenario({ from: '5m', to: '4m' })).toThrow(/from must not be later than to/);
  });
});
