import { describe, expect, it } from 'vitest';
import { scenarioVocabulary } from '../../sandbox/scenario/load-scenario.js';
import { SystemCatalogue } from '../../sandbox/systems/system-catalogue.js';

describe('scenarioVocabulary', () => {
  it("takes a system catalogue's faults and knobs as they are, without building them again", async () => {
    const catalogue = SystemCatalogue.defaults();
    const vocabulary = await scenarioVocabulary(catalogue, []);
    expect(vocabulary.faults).toBe(catalogue.faults);
    expect(vocabulary.knobs).toBe(catalogue.knobs);
  });

  it('builds them from bare systems, to the same effect', async () => {
    const catalogue = SystemCatalogue.defaults();
    const vocabulary = await scenarioVocabulary(catalogue.systems, []);
    expect(vocabulary.faults.names()).toEqual(catalogue.faults.names());
    expect(vocabulary.knobs).toEqual(catalogue.knobs);
  });
});
