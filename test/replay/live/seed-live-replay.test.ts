import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Sandbox } from '../../../sandbox/stack/sandbox-stack.js';
import { loadSystemCatalogue } from '../../../sandbox/systems/system-catalogue.js';
import { requireBinaries } from '../../support/binaries.js';
import { freePort } from '../../support/ports.js';

const bins = await requireBinaries(['prometheus', 'alertmanager']);
const stateRoot = mkdtempSync(join(tmpdir(), 'obs-sandbox-seed-live-'));
process.env.OBS_SANDBOX_STATE_DIR = stateRoot;
const fixture = join(import.meta.dirname, '..', '..', 'fixtures', 'live', 'lexecon-pod-down.yaml');

describe.skipIf(!bins.available)('live replay of a declared system in the native stack', () => {
  let sandbox: Sandbox;

  beforeAll(async () => {
    sandbox = await Sandbox.start({
      runtime: 'native',
      generatorPort: 0,
      interval: '1s',
      // The scenario needs no baseline: no history to load.
      historyMs: 0,
      systems: await loadSystemCatalogue({ systems: ['lexecon'] }),
      ports: {
        prometheus: await freePort(),
        alertmanager: await freePort(),
        grafana: await freePort(),
        loki: await freePort(),
      },
    });
  }, 120_000);

  afterAll(async () => {
    await sandbox?.stop();
    rmSync(stateRoot, { recursive: true, force: true });
  });

  it('takes one of its pods down, and its alert fires for that pod and is delivered', async () => {
    const loaded = sandbox.scenarios.parse(fixture, readFileSync(fixture, 'utf8'));
    const result = await sandbox.scenarios.run(loaded, { forScale: 0.1 });
    expect(result.failures).toEqual([]);
    expect(result.passed).toBe(true);
    const fired = result.results.find((r) => r.expectation.startsWith('LexeconServiceDown{'));
    expect(fired?.detail).toMatch(/^fired at \d+s, notified via sandbox-critical at \d+s$/);
    expect(sandbox.control.activeFaults()).toEqual([]);
  }, 120_000);
});
