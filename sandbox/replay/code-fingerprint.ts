import { createHash } from 'node:crypto';
import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The product's root: the source tree under tsx, `dist/` once built. */
export const PRODUCT_ROOT = fileURLToPath(new URL('../..', import.meta.url));
/**
 * All of the product's code: a result depends on the simulation, the systems, replay, judging, promtool's
 * runner and output readers, and what they import, and a list of the folders that matter would miss one (it
 * missed sandbox/promtool). A stale verdict is a false PASS; a needless replay only costs time.
 */
export const CODE_DIRS = ['generators', 'sandbox'] as const;

async function hashDir(hash: ReturnType<typeof createHash>, root: string, dir: string): Promise<void> {
  const entries = await readdir(join(root, dir), { withFileTypes: true }).catch(() => []);
  for (const e of entries.sort((a, b) => a.name.localeCompare(b.name))) {
    const path = join(dir, e.name);
    if (e.isDirectory()) await hashDir(hash, root, path);
    else if (e.isFile()) hash.update(`\0${path}\0`).update(await readFile(join(root, path)));
  }
}

/** A hash of every file under the code folders of `root`, with their paths relative to it. */
export async function codeFingerprintOf(root: string): Promise<string> {
  const hash = createHash('sha256');
  for (const dir of CODE_DIRS) await hashDir(hash, root, dir);
  return hash.digest('hex');
}

let productHash: Promise<string> | undefined;

/** The running product's fingerprint, computed once per process. */
export function codeFingerprint(): Promise<string> {
  productHash ??= codeFingerprintOf(PRODUCT_ROOT);
  return productHash;
}
