import { copyFileSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { nativePromtool, promtoolIdentity } from '../../sandbox/promtool/promtool-runner.js';
import { ReplayCache } from '../../sandbox/replay/replay-cache.js';
import { replay } from '../../sandbox/replay/replay-scenarios.js';
import { requireBinaries } from '../support/binaries.js';

const dir = mkdtempSync(join(tmpdir(), 'obs-sandbox-replay-cache-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const bins = await requireBinaries(['promtool']);

describe.skipIf(!bins.available)('the replay cache and the promtool it ran', () => {
  const promtool = join(dir, 'promtool');
  const cacheDir = join(dir, 'cache');
  const entries = () => readdirSync(cacheDir).filter((f) => f.endsWith('.json')).length;
  // The smallest scenario (one tiny system, 15 minutes): the cache is under test, not the replay.
  const run = () =>
    replay(['test/fixtures/catalogue/scenarios/tiny-errors.yaml'], {
      promtool,
      cache: new ReplayCache(cacheDir),
      concurrency: 1,
    });

  it('tells a binary replaced at the same path from the one before', async () => {
    copyFileSync(bins.get('promtool').path, promtool);
    const before = await promtoolIdentity(nativePromtool(promtool));
    expect(await promtoolIdentity(nativePromtool(promtool))).toBe(before);
    rmSync(promtool);
    copyFileSync(bins.get('promtool').path, promtool);
    expect(await promtoolIdentity(nativePromtool(promtool))).not.toBe(before);
  });

  it('reuses a result with the same binary and replays again once the binary is replaced', async () => {
    copyFileSync(bins.get('promtool').path, promtool);
    const [first] = await run();
    expect(entries()).toBe(1);
    const [again] = await run();
    expect(again).toEqual(first);
    expect(entries()).toBe(1);
    rmSync(promtool);
    copyFileSync(bins.get('promtool').path, promtool);
    const [replaced] = await run();
    expect(entries()).toBe(2);
    expect(replaced!.passed).toBe(first!.passed);
  }, 300_000);
});
