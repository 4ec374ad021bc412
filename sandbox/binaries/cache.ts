import { randomBytes } from 'node:crypto';
import { constants } from 'node:fs';
import { access, link, mkdir, readdir, readFile, rename, rm, stat, writeFile } from 'node:fs/promises';
import { homedir, hostname } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';

import type { BinaryName } from './binary-catalogue.js';
import { processRuns } from '../process-runs.js';

export type ProvisionedSource = 'release' | 'debian';

export interface CachedBinary {
  version: string;
  source: ProvisionedSource;
  path: string;
  extractRoot: string;
  assetsDir?: string;
  /** Where it was provisioned from, e.g. "debian sid prometheus_3.5.3+ds1-6_amd64.deb". */
  origin: string;
}

export interface CacheEntry {
  version: string;
  source: ProvisionedSource;
  /** Executable path relative to the extract root. */
  binary: string;
  assets?: string;
  origin: string;
}

interface Manifest extends CacheEntry {
  /** Extract root relative to the binary's cache directory. */
  root: string;
  provisionedAt: string;
}

const STALE_LOCK_MS = 15 * 60_000;
const STALE_STAGING_MS = 60 * 60_000;
const UNNAMED_LOCK_STALE_MS = 5_000;

/** `$OBS_SANDBOX_CACHE_DIR`, else `$XDG_CACHE_HOME/obs-sandbox`, else `~/.cache/obs-sandbox`. */
export function cacheRoot(env: NodeJS.ProcessEnv = process.env): string {
  if (env.OBS_SANDBOX_CACHE_DIR) return resolve(env.OBS_SANDBOX_CACHE_DIR);
  const base = env.XDG_CACHE_HOME || join(env.HOME || homedir(), '.cache');
  return join(base, 'obs-sandbox');
}

export async function isExecutable(path: string): Promise<boolean> {
  try {
    await access(path, constants.X_OK);
    return (await stat(path)).isFile();
  } catch {
    return false;
  }
}

/**
 * One binary's corner of the cache: `bin/<name>/<version>/<source>/` extract roots plus `manifest.json`
 * naming the current one. Extract roots appear only by renaming a fully prepared staging directory, and
 * the manifest only by renaming a fully written file, so readers never see half-provisioned state. The
 * lock merely spares parallel processes duplicate downloads.
 */
export class BinaryCache {
  readonly dir: string;

  constructor(root: string, name: BinaryName) {
    this.dir = join(root, 'bin', name);
  }

  async lookup(): Promise<CachedBinary | undefined> {
    let manifest: Manifest;
    try {
      manifest = JSON.parse(await readFile(join(this.dir, 'manifest.json'), 'utf8')) as Manifest;
    } catch {
      return undefined;
    }
    const extractRoot = join(this.dir, manifest.root);
    const path = join(extractRoot, manifest.binary);
    if (!(await isExecutable(path))) return undefined;
    return {
      version: manifest.version,
      source: manifest.source,
      path,
      extractRoot,
      ...(manifest.assets ? { assetsDir: join(extractRoot, manifest.assets) } : {}),
      origin: manifest.origin,
    };
  }

  async withLock<T>(fn: () => Promise<T>, waitMs = STALE_LOCK_MS): Promise<T> {
    await mkdir(this.dir, { recursive: true });
    const lock = join(this.dir, '.lock');
    const deadline = Date.now() + waitMs;
    while (!(await tryCreateLock(lock))) {
      if (await isStaleLock(lock)) {
        await rm(lock, { force: true });
      } else if (Date.now() > deadline) {
        throw new Error(`timed out after ${waitMs} ms waiting for ${lock}`);
      } else {
        await sleep(100 + Math.random() * 200);
      }
    }
    try {
      await this.removeAbandonedStaging();
      return await fn();
    } finally {
      await rm(lock, { force: true });
    }
  }

  /** A fresh directory on the cache's file system, so that `commit` can rename it into place. */
  async createStaging(): Promise<string> {
    const staging = join(this.dir, `.staging-${process.pid}-${randomBytes(4).toString('hex')}`);
    await mkdir(staging, { recursive: true });
    return staging;
  }

  async commit(staging: string, entry: CacheEntry): Promise<CachedBinary> {
    const root = join(entry.version, entry.source);
    const target = join(this.dir, root);
    await mkdir(join(this.dir, entry.version), { recursive: true });
    try {
      await rename(staging, target);
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      if (code !== 'EEXIST' && code !== 'ENOTEMPTY') throw error;
      // Another process committed the same version first; its copy is complete, keep it.
      await rm(staging, { recursive: true, force: true });
    }
    const manifest: Manifest = { ...entry, root, provisionedAt: new Date().toISOString() };
    const temp = join(this.dir, `.manifest-${process.pid}-${randomBytes(4).toString('hex')}.json`);
    await writeFile(temp, `${JSON.stringify(manifest, null, 2)}\n`);
    await rename(temp, join(this.dir, 'manifest.json'));
    const cached = await this.lookup();
    if (cached === undefined) throw new Error(`${join(target, entry.binary)} is missing after caching it`);
    return cached;
  }

  private async removeAbandonedStaging(): Promise<void> {
    for (const entry of await readdir(this.dir)) {
      if (!entry.startsWith('.staging-') && !entry.startsWith('.manifest-')) continue;
      const path = join(this.dir, entry);
      const age = Date.now() - (await stat(path).catch(() => ({ mtimeMs: Date.now() }))).mtimeMs;
      if (age > STALE_STAGING_MS) await rm(path, { recursive: true, force: true });
    }
  }
}

/**
 * Creates the lock with its owner already written: the owner goes into a file of its own that is then
 * hard-linked as the lock, so a process killed at any point never leaves an empty lock that others would
 * take for one still being written.
 */
async function tryCreateLock(lock: string): Promise<boolean> {
  const owner = join(dirname(lock), `.staging-lock-${process.pid}-${randomBytes(4).toString('hex')}`);
  await writeFile(owner, JSON.stringify({ pid: process.pid, host: hostname(), since: Date.now() }));
  try {
    await link(owner, lock);
    return true;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'EEXIST') return false;
    throw error;
  } finally {
    await rm(owner, { force: true });
  }
}

/**
 * Held by a process on this host that no longer runs, or older than any provisioning takes; a lock that does
 * not name its owner (left by an earlier version killed while writing it) is stale after a few seconds.
 */
async function isStaleLock(lock: string): Promise<boolean> {
  let text: string;
  let ageMs: number;
  try {
    [text, ageMs] = await Promise.all([
      readFile(lock, 'utf8'),
      stat(lock).then((info) => Date.now() - info.mtimeMs),
    ]);
  } catch {
    // Released in the meantime: just retry.
    return false;
  }
  if (ageMs > STALE_LOCK_MS) return true;
  let owner: { pid?: unknown; host?: unknown };
  try {
    owner = JSON.parse(text) as { pid?: unknown; host?: unknown };
  } catch {
    return ageMs > UNNAMED_LOCK_STALE_MS;
  }
  return owner.host === hostname() && typeof owner.pid === 'number' && !processRuns(owner.pid);
}
