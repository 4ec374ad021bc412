import { existsSync } from 'node:fs';
import { mkdir, rename, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { cacheRoot, probeVersion } from '../../sandbox/binaries/index.js';
import { extractFromDebian } from '../../sandbox/binaries/debian.js';

/**
 * The oldest supported Prometheus (2.42, Debian bookworm's), for compatibility tests: extracted once into
 * the per-user cache. Returns undefined (with the reason) when it cannot be had; CI=true makes that fatal.
 */
export async function oldestPromtool(): Promise<{ path?: string; reason?: string }> {
  const dir = join(cacheRoot(), 'compat', 'prometheus-bookworm');
  const binary = join(dir, 'usr', 'bin', 'promtool');
  try {
    if (!existsSync(binary)) {
      const staging = `${dir}.staging-${process.pid}`;
      await mkdir(staging, { recursive: true });
      await extractFromDebian(
        {
          sources: [{ suite: 'machine', package: 'prometheus', binary: 'usr/bin/promtool' }],
          verify: (path) => probeVersion(path),
        },
        staging,
      );
      await rename(staging, dir).catch(async () => rm(staging, { recursive: true, force: true }));
    }
    const version = await probeVersion(binary);
    if (!version.startsWith('2.')) return { reason: `bookworm's promtool is ${version}, not 2.x` };
    return { path: binary };
  } catch (error) {
    const reason = `cannot provision bookworm's Prometheus 2.x: ${(error as Error).message}`;
    if (process.env.CI === 'true') throw new Error(reason);
    console.warn(`[binaries] skipping Prometheus 2.42 compatibility tests: ${reason}`);
    return { reason };
  }
}
