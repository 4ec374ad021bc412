import { describe, expect, it } from 'vitest';
import { SLICE_MS } from '../../generators/live/work-slicer.js';
import { UserError } from '../../generators/user-error.js';
import { REPLAY_SAMPLE_BUDGET, simulateScenario } from '../../sandbox/replay/simulate.js';
import { scenarioSchema } from '../../sandbox/scenario/scenario-schema.js';
import { SystemCatalogue } from '../../sandbox/systems/system-catalogue.js';
import { longestBusySpell } from '../support/busy-spell.js';

const systems = SystemCatalogue.defaults().systems;
const scenario = (fields: Record<string, unknown>) =>
  scenarioSchema.parse({
    name: 'budget',
    description: 'd',
    expect: [{ alert: 'NodeDown', never: true }],
    ...fields,
  });

describe('simulateScenario', () => {
  it('refuses a replay over the sample budget at once, with the figure and how to lower it', async () => {
    const started = performance.now();
    const error = await simulateScenario(
      scenario({ duration: '7d', warmup: '1d', evaluation_interval: '1s' }),
      systems,
      'week.yaml',
    ).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(UserError);
    expect((error as Error).message).toMatch(
      /^week\.yaml: this replay would produce about [\d.]+ million samples \(\d+ series x 691201 evaluations of 1s over 1d warm-up and 7d\), more than the budget of 10\.00 million; shorten duration or warmup, raise evaluation_interval, or load fewer systems$/,
    );
    // Refused from the first evaluation's estimate, not after simulating the week.
    expect(performance.now() - started).toBeLessThan(10_000);
    expect(REPLAY_SAMPLE_BUDGET).toBe(10_000_000);
  }, 60_000);

  it('lets timers run while it simulates', async () => {
    let probes = 0;
    const spell = await longestBusySpell(async () => {
      const simulated = await simulateScenario(
        scenario({ duration: '20m', warmup: '10m', evaluation_interval: '1m' }),
        systems,
      );
      probes = simulated.probes.length;
    });
    expect(probes).toBe(21);
    // A work slice (SLICE_MS) between turns; the margin is for garbage collection and the compiler's threads.
    expect(spell).toBeLessThan(SLICE_MS + 150);
  }, 120_000);
});
