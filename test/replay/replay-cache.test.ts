import { copyFileSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { nativePromtool, promtoolIdentity } from '../../sandbox/promtool/promtool-runner.js';
import { ReplayCache } from '../../sandbox/replay/replay-cache.js';
import { replay, type ScenarioResult } from '../../sandbox/replay/replay-scenarios.js';
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

describe.skipIf(!bins.available)(
  'a replay put together from the rule files it shares with an earlier one',
  () => {
    const scenario = 'test/fixtures/catalogue/scenarios/tiny-errors.yaml';
    // Fires with the system's own TinyErrors, and its name ends up in the result: a share that is wrong shows.
    const extra = join(dir, 'extra-rules.yaml');
    writeFileSync(
      extra,
      'groups:\n  - name: extra\n    rules:\n      - alert: TinyAnyRequests\n        expr: sum(rate(tiny_requests_total[1m])) > 0\n',
    );
    const verdict = (r: ScenarioResult) => ({ ...r, wallMs: 0 });

    it('judges as a replay of those files alone does, without running promtool test', async () => {
      // promtool through a script that logs its arguments: which runs were made.
      const log = join(dir, 'promtool.log');
      const promtool = join(dir, 'logging-promtool');
      writeFileSync(
        promtool,
        `#!/bin/sh\necho "$1" >> '${log}'\nexec '${bins.get('promtool').path}' "$@"\n`,
        {
          mode: 0o755,
        },
      );
      const tests = () =>
        readFileSync(log, 'utf8')
          .split('\n')
          .filter((l) => l === 'test').length;
      const cached = { cache: new ReplayCache(join(dir, 'shared-cache')), concurrency: 1, promtool };
      const [withExtra] = await replay([scenario], { ...cached, rules: [extra] });
      expect(withExtra!.fired?.map((f) => f.alert).sort()).toEqual(['TinyAnyRequests', 'TinyErrors']);
      expect(tests()).toBe(1);
      const [shared] = await replay([scenario], cached);
      expect(tests()).toBe(1);
      const [alone] = await replay([scenario], { concurrency: 1, promtool });
      expect(tests()).toBe(2);
      expect(alone!.fired?.map((f) => f.alert)).toEqual(['TinyErrors']);
      expect(verdict(shared!)).toEqual(verdict(alone!));
    }, 300_000);
  },
);
