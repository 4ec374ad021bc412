import { rm } from 'node:fs/promises';
import { delimiter, join, resolve } from 'node:path';

import { BinaryCache, cacheRoot, isExecutable, type CachedBinary } from './cache.js';
import {
  binarySpec,
  pathEnvVar,
  releasePlatform,
  type BinaryName,
  type BinarySpec,
} from './binary-catalogue.js';
import { extractFromDebian } from './debian.js';
import { BinaryUnavailableError, ChecksumMismatchError, reasonOf } from './binary-errors.js';
import { downloadRelease } from './release.js';
import { UNKNOWN_VERSION, compareVersions, probeVersion } from './version.js';

export type BinarySource = 'configured' | 'path' | 'cache' | 'release' | 'debian';

export interface ResolvedBinary {
  name: BinaryName;
  path: string;
  version: string;
  source: BinarySource;
  /** Root of the unpacked release archive or Debian package (provisioned or cached binaries only). */
  extractRoot?: string;
  /**
   * Data directory inside `extractRoot` that the Debian build reads at its absolute path, e.g.
   * `<extractRoot>/usr/share/prometheus/alertmanager` for Alertmanager's templates.
   */
  assetsDir?: string;
  /** Where a provisioned binary came from: the release URL or the Debian suite and package file. */
  origin?: string;
}

export interface BinaryOptions {
  /** Explicit path; beats OBS_SANDBOX_<NAME>_PATH. */
  path?: string;
  /** Environment to read PATH and OBS_SANDBOX_* from; defaults to process.env. */
  env?: NodeJS.ProcessEnv;
  /** Cache root; defaults to cacheRoot(env). */
  cacheDir?: string;
  /** Skip the official release download; defaults to OBS_SANDBOX_OFFLINE=1|true. */
  offline?: boolean;
  /** Allow extracting Debian packages; defaults to true. */
  debian?: boolean;
  /** Directory URL replacing the official release directory (a mirror, or a local server in tests). */
  releaseUrl?: string;
  /** Longest a download connection may stay silent, connecting included; defaults to 5 s. */
  idleTimeoutMs?: number;
}

/** Looks for an existing binary: configured path, then PATH, then the cache. Provisions nothing. */
export async function findBinary(name: BinaryName, options: BinaryOptions = {}): Promise<ResolvedBinary> {
  const spec = binarySpec(name);
  const tried: string[] = [];
  const found = await findExisting(spec, options, tried);
  if (found !== undefined) return found;
  throw unavailable(spec, tried);
}

/**
 * Like findBinary, but when nothing exists yet it provisions the binary into the cache: first the
 * official release (sha256-verified), then Debian packages. Concurrent callers, even in other
 * processes, wait for one provisioning and share its result.
 */
export async function ensureBinary(name: BinaryName, options: BinaryOptions = {}): Promise<ResolvedBinary> {
  const spec = binarySpec(name);
  const tried: string[] = [];
  const found = await findExisting(spec, options, tried);
  if (found !== undefined) return found;

  const env = options.env ?? process.env;
  const root = options.cacheDir ?? cacheRoot(env);
  const cache = new BinaryCache(root, name);
  const provisioning = cache.withLock(async () => {
    const cached = await cache.lookup();
    if (cached !== undefined) return fromCache(name, cached, 'cache');
    const offline = options.offline ?? ['1', 'true'].includes(env.OBS_SANDBOX_OFFLINE ?? '');
    if (spec.release === undefined) tried.push('no verified release download for it');
    else if (offline) tried.push('download skipped (offline)');
    else {
      const released = await provisionRelease(spec, cache, options, tried);
      if (released !== undefined) return released;
    }
    if (spec.debian.length === 0) tried.push('no Debian package for it');
    else if (options.debian === false) tried.push('Debian extraction disabled');
    else {
      const extracted = await provisionDebian(spec, cache, tried);
      if (extracted !== undefined) return extracted;
    }
    throw unavailable(spec, tried);
  });
  return provisioning.catch((error: unknown) => {
    if (error instanceof BinaryUnavailableError) throw error;
    throw new BinaryUnavailableError(
      `${name} could not be provisioned: cache ${root} is unusable (${reasonOf(error)}); ` +
        'set OBS_SANDBOX_CACHE_DIR to a writable directory',
    );
  });
}

async function findExisting(
  spec: BinarySpec,
  options: BinaryOptions,
  tried: string[],
): Promise<ResolvedBinary | undefined> {
  const env = options.env ?? process.env;
  const configured = options.path ?? env[pathEnvVar(spec.name)];
  if (configured)
    return configuredBinary(
      spec,
      resolve(configured),
      options.path ? 'the path option' : pathEnvVar(spec.name),
    );

  const notes = ['not configured'];
  const onPath = await searchPath(spec, env.PATH ?? '', notes);
  if (onPath !== undefined) return onPath;
  const root = options.cacheDir ?? cacheRoot(env);
  const cached = await new BinaryCache(root, spec.name).lookup();
  if (cached !== undefined) return fromCache(spec.name, cached, 'cache');
  notes.push(`not cached in ${root}`);
  tried.push(notes.join(', '));
  return undefined;
}

async function configuredBinary(spec: BinarySpec, path: string, by: string): Promise<ResolvedBinary> {
  const fix = `fix the path or unset ${pathEnvVar(spec.name)}`;
  if (!(await isExecutable(path))) {
    throw new BinaryUnavailableError(
      `${spec.name} set by ${by} to ${path}, which is not an executable file; ${fix}`,
    );
  }
  try {
    const version = await probeVersion(path, spec.versionArgs);
    return { name: spec.name, path, version, source: 'configured' };
  } catch (error) {
    throw new BinaryUnavailableError(
      `${spec.name} set by ${by} to ${path} does not run (${reasonOf(error)}); ${fix}`,
    );
  }
}

async function searchPath(
  spec: BinarySpec,
  pathVar: string,
  notes: string[],
): Promise<ResolvedBinary | undefined> {
  const rejected: string[] = [];
  const dirs = pathVar.split(delimiter).filter(Boolean);
  for (const executable of spec.executables) {
    for (const dir of dirs) {
      const path = join(dir, executable);
      if (!(await isExecutable(path))) continue;
      try {
        const version = await accepted(spec, path);
        return { name: spec.name, path, version, source: 'path' };
      } catch (error) {
        rejected.push(`${path} rejected (${reasonOf(error)})`);
      }
    }
  }
  notes.push(rejected.length > 0 ? rejected.join(', ') : 'not on PATH');
  return undefined;
}

/** The binary's version, if it runs here and is not older than the oldest supported one. */
async function accepted(spec: BinarySpec, path: string): Promise<string> {
  const version = await probeVersion(path, spec.versionArgs);
  // A build from source has no number to compare; whoever built it chose it.
  if (version !== UNKNOWN_VERSION && compareVersions(version, spec.minVersion) < 0) {
    throw new Error(`version ${version} is older than ${spec.minVersion}`);
  }
  return version;
}

async function provisionRelease(
  spec: BinarySpec,
  cache: BinaryCache,
  options: BinaryOptions,
  tried: string[],
): Promise<ResolvedBinary | undefined> {
  if (spec.release === undefined) return undefined;
  const directoryUrl = options.releaseUrl ?? spec.release.directoryUrl(spec.version);
  const staging = await cache.createStaging();
  try {
    const download = await downloadRelease(
      {
        spec: spec.release,
        version: spec.version,
        platform: releasePlatform(),
        directoryUrl,
        idleTimeoutMs: options.idleTimeoutMs ?? 5_000,
      },
      staging,
    );
    const version = await accepted(spec, join(staging, download.binary));
    const cached = await cache.commit(staging, { version, source: 'release', ...download });
    return fromCache(spec.name, cached, 'release');
  } catch (error) {
    if (error instanceof ChecksumMismatchError) throw error;
    tried.push(`download from ${new URL(directoryUrl).host} failed (${reasonOf(error)})`);
    return undefined;
  } finally {
    await rm(staging, { recursive: true, force: true });
  }
}

async function provisionDebian(
  spec: BinarySpec,
  cache: BinaryCache,
  tried: string[],
): Promise<ResolvedBinary | undefined> {
  const staging = await cache.createStaging();
  try {
    const verify = (path: string) => accepted(spec, path);
    const extracted = await extractFromDebian({ sources: spec.debian, verify }, staging);
    const cached = await cache.commit(staging, { ...extracted, source: 'debian' });
    return fromCache(spec.name, cached, 'debian');
  } catch (error) {
    tried.push(`Debian extraction failed (${reasonOf(error)})`);
    return undefined;
  } finally {
    await rm(staging, { recursive: true, force: true });
  }
}

function fromCache(name: BinaryName, cached: CachedBinary, source: BinarySource): ResolvedBinary {
  const { version, path, extractRoot, assetsDir, origin } = cached;
  return { name, path, version, source, extractRoot, ...(assetsDir ? { assetsDir } : {}), origin };
}

function unavailable(spec: BinarySpec, tried: string[]): BinaryUnavailableError {
  const fix = `${spec.installHint} or set ${pathEnvVar(spec.name)}=/path/to/${spec.name}`;
  return new BinaryUnavailableError(`${spec.name} not found: ${tried.join('; ')}. ${fix}`, fix);
}
