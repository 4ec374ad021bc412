import { readdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { resolveScenarios } from '../../sandbox/scenario/resolve-scenarios.js';
import { SystemCatalogue } from '../../sandbox/systems/system-catalogue.js';

describe('resolveScenarios', () => {
  it('resolves every bundled scenario when given none, against the default systems', async () => {
    const { catalogue, files } = await resolveScenarios([], undefined);
    const bundled = readdirSync('scenarios').filter((f) => f.endsWith('.yaml'));
    expect(files).toHaveLength(bundled.length);
    expect(files[0]).toBe(join(resolve('scenarios'), bundled.sort()[0]!));
    expect(catalogue.names).toEqual(SystemCatalogue.defaults().names);
  });

  it('keeps a loaded catalogue and resolves names and files in order', async () => {
    const given = SystemCatalogue.defaults();
    const { catalogue, files } = await resolveScenarios(['scenarios/node-down.yaml', 'anchor-outage'], given);
    expect(catalogue).toBe(given);
    expect(files).toEqual([resolve('scenarios/node-down.yaml'), resolve('scenarios/anchor-outage.yaml')]);
  });

  it('says which scenario does not exist', async () => {
    await expect(resolveScenarios(['anchor-outgae'], undefined)).rejects.toThrow(
      /no bundled scenario named "anchor-outgae" \(did you mean anchor-outage\?\)/,
    );
  });
});
