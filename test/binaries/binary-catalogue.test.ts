import { execFileSync, spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { chmod, mkdir, mkdtemp, readdir, readFile, rm, utimes, writeFile } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { hostname, tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import {
  findDebianMirror,
  parseDeb822Sources,
  parseOneLineSources,
  privateSourcesFile,
  readMachineSuite,
} from '../../sandbox/binaries/apt-sources.js';
import { binarySpec, releasePlatform } from '../../sandbox/binaries/binary-catalogue.js';
import {
  BinaryUnavailableError,
  cacheRoot,
  ChecksumMismatchError,
  compareVersions,
  ensureBinary,
  findBinary,
  parseVersion,
} from '../../sandbox/binaries/index.js';
import { findChecksum } from '../../sandbox/binaries/release.js';
import { requireBinaries } from '../support/binaries.js';

// Provisioning itself must work here: PATH and configured paths are hidden so a system-wide install
// cannot stand in for the cache / Debian route.
const real = await requireBinaries(['prometheus', 'promtool', 'alertmanager'], {
  env: {
    ...process.env,
    PATH: '',
    OBS_SANDBOX_PROMETHEUS_PATH: '',
    OBS_SANDBOX_PROMTOOL_PATH: '',
    OBS_SANDBOX_ALERTMANAGER_PATH: '',
  },
});

const scratch = await mkdtemp(join(tmpdir(), 'obs-sandbox-binaries-test-'));
afterAll(() => rm(scratch, { recursive: true, force: true }));

let counter = 0;
async function freshDir(label: string): Promise<string> {
  const dir = join(scratch, `${label}-${counter++}`);
  await mkdir(dir, { recursive: true });
  return dir;
}

/** A shell script that answers `--version` like the real binary would. */
async function fakeBinary(dir: string, fileName: string, version: string): Promise<string> {
  const path = join(dir, fileName);
  await mkdir(dir, { recursive: true });
  await writeFile(path, `#!/bin/sh\necho "prometheus, version ${version} (branch: fake, revision: test)"\n`);
  await chmod(path, 0o755);
  return path;
}

async function filesUnder(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { recursive: true, withFileTypes: true }).catch(() => []);
  return entries.filter((entry) => !entry.isDirectory()).map((entry) => join(entry.parentPath, entry.name));
}

/** Serves fixed bodies by URL path from 127.0.0.1 and counts requests per path. */
class ReleaseServer {
  readonly hits = new Map<string, number>();
  private server: Server | undefined;

  constructor(private readonly files: Map<string, Buffer>) {}

  async start(): Promise<string> {
    this.server = createServer((req, res) => {
      const path = req.url ?? '/';
      this.hits.set(path, (this.hits.get(path) ?? 0) + 1);
      const body = this.files.get(path);
      res.writeHead(body === undefined ? 404 : 200).end(body);
    });
    await new Promise<void>((resolve) => this.server?.listen(0, '127.0.0.1', resolve));
    return `http://127.0.0.1:${(this.server.address() as AddressInfo).port}/download`;
  }

  stop(): Promise<void> {
    return new Promise((resolve) => this.server?.close(() => resolve()));
  }
}

const release = binarySpec('prometheus').release!;
const platform = releasePlatform();
const archiveName = release.archive('3.5.0', platform);

/** A release tarball laid out like the official one, whose `prometheus` reports `version`. */
async function fakeReleaseArchive(version: string): Promise<Buffer> {
  const root = await freshDir('archive');
  const binary = release.binary('3.5.0', platform);
  await fakeBinary(join(root, dirname(binary)), 'prometheus', version);
  const tarball = join(root, archiveName);
  execFileSync('tar', ['-czf', tarball, '-C', root, binary.split('/')[0] as string]);
  return readFile(tarball);
}

function sha256(data: Buffer): string {
  return createHash('sha256').update(data).digest('hex');
}

const isolatedEnv = async () => ({ PATH: await freshDir('empty-path'), HOME: await freshDir('home') });

describe('version parsing', () => {
  it.each([
    ['prometheus, version 3.5.0 (branch: HEAD, revision: 8be3a9560)\n  go version: go1.24.4', '3.5.0'],
    ['prometheus, version 3.5.3+ds1 (branch: debian/sid, revision: 3.5.3+ds1-6)', '3.5.3'],
    ['promtool, version 2.42.0+ds (branch: debian/sid, revision: 2.42.0+ds-5+deb12u1)', '2.42.0'],
    ['alertmanager, version 0.33.1 (branch: debian/sid, revision: 0.33.1-5)', '0.33.1'],
    ['grafana version 12.0.2 (commit: 5bda17e7c1, branch: HEAD)', '12.0.2'],
    ['prometheus, version 3.0.0-rc.1 (branch: HEAD)', '3.0.0-rc.1'],
    ['v1.2.3', '1.2.3'],
  ])('reads %j', (output, expected) => {
    expect(parseVersion(output)).toBe(expected);
  });

  it('returns undefined when there is no version', () => {
    expect(parseVersion('usage: prometheus [<flags>]')).toBeUndefined();
  });

  it('compares versions numerically', () => {
    expect(compareVersions('3.5.0', '2.42.0')).toBeGreaterThan(0);
    expect(compareVersions('2.9.0', '2.42.0')).toBeLessThan(0);
    expect(compareVersions('0.33.1', '0.33.1')).toBe(0);
  });
});

describe('resolution order', () => {
  let server: ReleaseServer;
  let releaseUrl: string;
  let cacheDir: string;

  beforeAll(async () => {
    const archive = await fakeReleaseArchive('9.3.0');
    server = new ReleaseServer(
      new Map([
        [`/download/${archiveName}`, archive],
        [
          '/download/sha256sums.txt',
          Buffer.from(`${'0'.repeat(64)}  other.tar.gz\n${sha256(archive)}  ${archiveName}\n`),
        ],
      ]),
    );
    releaseUrl = await server.start();
    cacheDir = await freshDir('cache');
  });
  afterAll(() => server.stop());

  it('provisions a verified release into the cache, then serves it from there', async () => {
    const env = await isolatedEnv();
    const first = await ensureBinary('prometheus', { env, cacheDir, releaseUrl, debian: false });
    expect(first).toMatchObject({ source: 'release', version: '9.3.0' });
    expect(first.path.startsWith(join(cacheDir, 'bin', 'prometheus', '9.3.0', 'release'))).toBe(true);

    const again = await ensureBinary('prometheus', { env, cacheDir, releaseUrl, debian: false });
    expect(again).toMatchObject({ source: 'cache', version: '9.3.0', path: first.path });
    expect(await findBinary('prometheus', { env, cacheDir })).toMatchObject({
      source: 'cache',
      path: first.path,
    });
    expect(server.hits.get(`/download/${archiveName}`)).toBe(1);
  });

  it('prefers PATH over the cache, the environment variable over PATH, and the option over both', async () => {
    const onPath = await fakeBinary(await freshDir('path'), 'prometheus', '9.2.0');
    const fromEnv = await fakeBinary(await freshDir('env'), 'prometheus', '9.1.0');
    const fromOption = await fakeBinary(await freshDir('option'), 'prometheus', '9.0.0');
    const env = { PATH: dirname(onPath), HOME: await freshDir('home') };

    expect(await findBinary('prometheus', { env, cacheDir })).toMatchObject({
      source: 'path',
      path: onPath,
      version: '9.2.0',
    });
    const configuredEnv = { ...env, OBS_SANDBOX_PROMETHEUS_PATH: fromEnv };
    expect(await findBinary('prometheus', { env: configuredEnv, cacheDir })).toMatchObject({
      source: 'configured',
      path: fromEnv,
      version: '9.1.0',
    });
    expect(
      await ensureBinary('prometheus', { env: configuredEnv, cacheDir, path: fromOption }),
    ).toMatchObject({
      source: 'configured',
      version: '9.0.0',
    });
  });

  it('passes over a PATH binary older than the oldest supported version', async () => {
    const tooOld = await fakeBinary(await freshDir('old'), 'prometheus', '1.8.2');
    const env = { PATH: dirname(tooOld), HOME: await freshDir('home') };
    expect(await findBinary('prometheus', { env, cacheDir })).toMatchObject({
      source: 'cache',
      version: '9.3.0',
    });
    await expect(findBinary('prometheus', { env, cacheDir: await freshDir('empty-cache') })).rejects.toThrow(
      /rejected \(version 1\.8\.2 is older than 2\.42\.0\)/,
    );
  });

  it('fails on a configured path that is not executable instead of falling through', async () => {
    const env = { ...(await isolatedEnv()), OBS_SANDBOX_PROMETHEUS_PATH: join(scratch, 'missing') };
    await expect(findBinary('prometheus', { env, cacheDir })).rejects.toThrow(
      /prometheus set by OBS_SANDBOX_PROMETHEUS_PATH to .*missing, which is not an executable file/,
    );
  });

  it('lets concurrent callers share one download', async () => {
    const env = await isolatedEnv();
    const fresh = await freshDir('cache');
    const before = server.hits.get(`/download/${archiveName}`) ?? 0;
    const results = await Promise.all(
      Array.from({ length: 6 }, () =>
        ensureBinary('prometheus', { env, cacheDir: fresh, releaseUrl, debian: false }),
      ),
    );
    expect(new Set(results.map((r) => r.path)).size).toBe(1);
    expect(results.filter((r) => r.source === 'release')).toHaveLength(1);
    expect(server.hits.get(`/download/${archiveName}`)).toBe(before + 1);
    expect((await filesUnder(fresh)).map((f) => f.slice(fresh.length)).sort()).toEqual([
      `/bin/prometheus/9.3.0/release/${release.binary('3.5.0', platform)}`,
      '/bin/prometheus/manifest.json',
    ]);
  });

  it('takes over a lock left behind by a process that died', async () => {
    const fresh = await freshDir('cache');
    await mkdir(join(fresh, 'bin', 'prometheus'), { recursive: true });
    const dead = spawnSync('true').pid;
    await writeFile(
      join(fresh, 'bin', 'prometheus', '.lock'),
      JSON.stringify({ pid: dead, host: hostname(), since: Date.now() }),
    );
    const env = await isolatedEnv();
    const resolved = await ensureBinary('prometheus', { env, cacheDir: fresh, releaseUrl, debian: false });
    expect(resolved.source).toBe('release');
  });

  it('takes over an empty lock (its owner killed while writing it) once it is a few seconds old', async () => {
    const fresh = await freshDir('cache');
    const lock = join(fresh, 'bin', 'prometheus', '.lock');
    await mkdir(join(fresh, 'bin', 'prometheus'), { recursive: true });
    await writeFile(lock, '');
    const tenSecondsAgo = new Date(Date.now() - 10_000);
    await utimes(lock, tenSecondsAgo, tenSecondsAgo);
    const env = await isolatedEnv();
    const resolved = await ensureBinary('prometheus', { env, cacheDir: fresh, releaseUrl, debian: false });
    expect(resolved.source).toBe('release');
    expect(await filesUnder(fresh)).not.toContainEqual(expect.stringContaining('lock'));
  }, 30_000);
});

describe('checksum verification', () => {
  it('rejects a download whose checksum does not match, leaving nothing in the cache', async () => {
    const archive = await fakeReleaseArchive('9.3.0');
    const wrong = sha256(Buffer.from('something else'));
    const server = new ReleaseServer(
      new Map([
        [`/download/${archiveName}`, archive],
        ['/download/sha256sums.txt', Buffer.from(`${wrong}  ${archiveName}\n`)],
      ]),
    );
    const releaseUrl = await server.start();
    const cacheDir = await freshDir('cache');
    try {
      // Debian stays enabled: a mismatch must stop resolution rather than fall back to another source.
      const attempt = ensureBinary('prometheus', { env: await isolatedEnv(), cacheDir, releaseUrl });
      await expect(attempt).rejects.toBeInstanceOf(ChecksumMismatchError);
      await expect(attempt).rejects.toThrow(
        new RegExp(
          `checksum mismatch for .*${archiveName}: expected sha256 ${wrong} .*got ${sha256(archive)}`,
        ),
      );
      expect(await filesUnder(cacheDir)).toEqual([]);
    } finally {
      await server.stop();
    }
  });

  it('finds checksums in sha256sum listings and single-digest files', () => {
    const digest = 'a'.repeat(64);
    expect(findChecksum(`${'b'.repeat(64)}  x.tar.gz\n${digest} *y.tar.gz\n`, 'y.tar.gz')).toBe(digest);
    expect(findChecksum(`${digest.toUpperCase()}\n`, 'y.tar.gz')).toBe(digest);
    expect(findChecksum(`${digest}  x.tar.gz\n`, 'y.tar.gz')).toBeUndefined();
  });
});

describe('offline mode', () => {
  it('skips the download and explains how to fix it in one line', async () => {
    const server = new ReleaseServer(new Map());
    const releaseUrl = await server.start();
    try {
      const env = { ...(await isolatedEnv()), OBS_SANDBOX_OFFLINE: '1' };
      const attempt = ensureBinary('prometheus', {
        env,
        cacheDir: await freshDir('cache'),
        releaseUrl,
        debian: false,
      });
      await expect(attempt).rejects.toBeInstanceOf(BinaryUnavailableError);
      const message = await attempt.catch((error: Error) => error.message);
      expect(message).toMatch(
        /^prometheus not found: not configured, not on PATH, not cached in .*; download skipped \(offline\); Debian extraction disabled\. Install it with `apt-get install prometheus` or set OBS_SANDBOX_PROMETHEUS_PATH=\/path\/to\/prometheus$/,
      );
      expect(message).not.toContain('\n');
      expect(server.hits.size).toBe(0);
    } finally {
      await server.stop();
    }
  });
});

describe('cache location', () => {
  it('follows OBS_SANDBOX_CACHE_DIR, then XDG_CACHE_HOME, then ~/.cache', () => {
    expect(cacheRoot({ OBS_SANDBOX_CACHE_DIR: '/c', XDG_CACHE_HOME: '/x', HOME: '/h' })).toBe('/c');
    expect(cacheRoot({ XDG_CACHE_HOME: '/x', HOME: '/h' })).toBe('/x/obs-sandbox');
    expect(cacheRoot({ HOME: '/h' })).toBe('/h/.cache/obs-sandbox');
  });

  it('reports an unusable cache directory as an unavailable binary', async () => {
    const file = join(await freshDir('file'), 'not-a-dir');
    await writeFile(file, '');
    const attempt = ensureBinary('prometheus', {
      env: await isolatedEnv(),
      cacheDir: join(file, 'cache'),
      offline: true,
      debian: false,
    });
    await expect(attempt).rejects.toBeInstanceOf(BinaryUnavailableError);
    await expect(attempt).rejects.toThrow(
      /cache .*not-a-dir\/cache is unusable \(ENOTDIR.*set OBS_SANDBOX_CACHE_DIR/,
    );
  });
});

describe('apt sources', () => {
  const oneLine = [
    '# deb http://old.example/debian buster main',
    'deb [arch=amd64 signed-by=/k/ext.gpg] https://repo.example/apt nodistro main',
    'deb http://mirror.example/debian bookworm-updates main',
    'deb-src http://mirror.example/debian bookworm main',
  ].join('\n');
  const deb822 = [
    'Types: deb',
    'URIs: http://disabled.example/debian',
    'Suites: bookworm',
    'Components: main',
    'Enabled: no',
    '',
    'Types: deb',
    '# the archive',
    'URIs: http://mirror.example/debian',
    'Suites: bookworm bookworm-updates',
    'Components: main contrib',
    'Signed-By:',
    ' -----BEGIN PGP PUBLIC KEY BLOCK-----',
    ' .',
    ' abc',
    '',
    'Types: deb',
    'URIs: http://mirror.example/debian-security',
    'Suites: bookworm-security',
    'Components: main',
  ].join('\n');

  it('picks the archive of the machine suite and swaps only the suite', () => {
    const sources = [...parseOneLineSources(oneLine), ...parseDeb822Sources(deb822)];
    expect(sources.map((s) => s.suites[0])).toEqual([
      'nodistro',
      'bookworm-updates',
      'bookworm',
      'bookworm',
      'bookworm-security',
    ]);
    const mirror = findDebianMirror(sources, 'bookworm');
    expect(mirror?.uri).toBe('http://mirror.example/debian');
    expect(privateSourcesFile(mirror!, 'sid')).toBe(
      'Types: deb\nURIs: http://mirror.example/debian\nSuites: sid\nComponents: main\n' +
        'Signed-By: \n -----BEGIN PGP PUBLIC KEY BLOCK-----\n .\n abc\n',
    );
    expect(findDebianMirror(sources, 'trixie')).toBeUndefined();
  });

  it('keeps one-line signed-by options and reads the codename from os-release', async () => {
    expect(parseOneLineSources('deb [signed-by=/k/d.gpg] http://m.example/debian bookworm main')[0]).toEqual({
      types: ['deb'],
      uris: ['http://m.example/debian'],
      suites: ['bookworm'],
      components: ['main'],
      signedBy: '/k/d.gpg',
    });
    const osRelease = join(await freshDir('etc'), 'os-release');
    await writeFile(osRelease, 'PRETTY_NAME="Debian GNU/Linux 12 (bookworm)"\nVERSION_CODENAME=bookworm\n');
    expect(await readMachineSuite(osRelease)).toBe('bookworm');
  });
});

describe.skipIf(!real.available)('real binaries provisioned here', () => {
  const reported = (name: 'prometheus' | 'promtool' | 'alertmanager') => {
    const output = execFileSync(real.get(name).path, ['--version'], { encoding: 'utf8' });
    return parseVersion(output);
  };

  it('runs Prometheus and promtool 3.x', () => {
    expect(['cache', 'release', 'debian']).toContain(real.get('prometheus').source);
    expect(reported('prometheus')).toMatch(/^3\./);
    expect(reported('promtool')).toMatch(/^3\./);
    expect(real.get('prometheus').version).toBe(reported('prometheus'));
  });

  it('runs Alertmanager 0.3x and exposes the templates of a Debian build', async () => {
    expect(reported('alertmanager')).toMatch(/^0\.3\d\./);
    const alertmanager = real.get('alertmanager');
    if (alertmanager.origin?.startsWith('debian')) {
      expect(await readdir(alertmanager.assetsDir!)).toContain('default.tmpl');
    }
  });
});
