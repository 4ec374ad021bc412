import { chmod, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { findBinary } from '../../sandbox/binaries/resolve.js';
import { parseVersion, UNKNOWN_VERSION } from '../../sandbox/binaries/version.js';

const scratch = await mkdtemp(join(tmpdir(), 'obs-sandbox-version-test-'));
afterAll(() => rm(scratch, { recursive: true, force: true }));

/** What `loki -version` prints when Loki is built from its sources with `go build`. */
const SOURCE_BUILD = 'loki, version  (branch: , revision: unknown)\n  build user:\n  go version: go1.24.1\n';

async function script(name: string, output: string): Promise<string> {
  const path = join(scratch, name);
  await writeFile(path, `#!/bin/sh\nprintf '%s' '${output}'\n`);
  await chmod(path, 0o755);
  return path;
}

describe('a binary built from source', () => {
  it('has version "unknown" when its version line has no number', () => {
    expect(parseVersion(SOURCE_BUILD)).toBe(UNKNOWN_VERSION);
    expect(parseVersion('tempo, version  (branch: , revision: )')).toBe(UNKNOWN_VERSION);
    expect(parseVersion('tempo, version main-3f1c2a9 (branch: main, revision: 3f1c2a9)')).toBe(
      UNKNOWN_VERSION,
    );
  });

  it('still has no version when nothing says it is a version line', () => {
    expect(parseVersion('usage: loki [-config.file=...]')).toBeUndefined();
    expect(parseVersion('  -version\n    \tPrint this builds version information')).toBeUndefined();
  });

  it('is accepted through OBS_SANDBOX_LOKI_PATH as version "unknown"', async () => {
    const loki = await script('loki-from-source', SOURCE_BUILD);
    const env = { PATH: scratch, HOME: scratch, OBS_SANDBOX_LOKI_PATH: loki };
    const found = await findBinary('loki', { env, cacheDir: join(scratch, 'cache') });
    expect(found).toMatchObject({ path: loki, version: 'unknown', source: 'configured' });
  });

  it('is accepted through OBS_SANDBOX_TEMPO_PATH as version "unknown"', async () => {
    const tempo = await script('tempo-from-source', 'tempo, version  (branch: , revision: )\n');
    const env = { PATH: scratch, HOME: scratch, OBS_SANDBOX_TEMPO_PATH: tempo };
    const found = await findBinary('tempo', { env, cacheDir: join(scratch, 'cache') });
    expect(found).toMatchObject({ path: tempo, version: 'unknown', source: 'configured' });
  });

  it('is accepted on PATH, where it cannot be compared with the oldest supported version', async () => {
    const dir = await mkdtemp(join(scratch, 'path-'));
    const loki = join(dir, 'loki');
    await writeFile(loki, `#!/bin/sh\nprintf '%s' '${SOURCE_BUILD}'\n`);
    await chmod(loki, 0o755);
    const found = await findBinary('loki', {
      env: { PATH: dir, HOME: scratch },
      cacheDir: join(scratch, 'c2'),
    });
    expect(found).toMatchObject({ path: loki, version: 'unknown', source: 'path' });
  });

  it('is still refused on PATH when its version is a number older than the oldest supported', async () => {
    const dir = await mkdtemp(join(scratch, 'old-'));
    const loki = join(dir, 'loki');
    await writeFile(loki, `#!/bin/sh\necho 'loki, version 2.9.0 (branch: HEAD, revision: abc)'\n`);
    await chmod(loki, 0o755);
    await expect(
      findBinary('loki', { env: { PATH: dir, HOME: scratch }, cacheDir: join(scratch, 'c3') }),
    ).rejects.toThrow(/version 2\.9\.0 is older than 3\.0\.0/);
  });
});
