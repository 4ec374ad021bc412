import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSandbox, type TestSandbox } from '../../../sandbox/testing.js';
import { requireBinaries } from '../../support/binaries.js';

const bins = await requireBinaries(['prometheus', 'alertmanager']);
const fixture = join(import.meta.dirname, '..', '..', 'fixtures', 'live', 'lexecon-pod-down.yaml');

describe.skipIf(!bins.available)('live replay of a declared system in the native stack', () => {
  let handle: TestSandbox;
  let sandbox: TestSandbox['sandbox'];

  beforeAll(async () => {
    // The scenario needs no baseline: no history to load.
    handle = await startSandbox({ runtime: 'native', interval: '1s', history: '0', systems: ['lexecon'] });
    sandbox = handle.sandbox;
  }, 120_000);

  afterAll(() => handle?.stop());

  it('takes one of its pods down, and its alert fires for that pod and is delivered', async () => {
    const loaded = sandbox.scenarios.parse(fixture, readFileSync(fixture, 'utf8'));
    // for: 1m scaled to 3s: at the 1s interval the page fires about 5s after the fault, a third of its 15s.
    const result = await sandbox.scenarios.run(loaded, { forScale: 0.05 });
    expect(result.failures).toEqual([]);
    expect(result.passed).toBe(true);
    const fired = result.results.find((r) => r.expectation.startsWith('LexeconServiceDown{'));
    expect(fired?.detail).toMatch(/^fired at \d+s, notified via sandbox-critical at \d+s$/);
    expect(sandbox.control.activeFaults()).toEqual([]);
  }, 120_000);
});
