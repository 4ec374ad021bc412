import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const BUILT = join(ROOT, 'dist', 'sandbox', 'cli', 'main.js');

function newestSource(dir: string): number {
  let newest = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) newest = Math.max(newest, newestSource(path));
    else if (/\.tsx?$/.test(entry.name)) newest = Math.max(newest, statSync(path).mtimeMs);
  }
  return newest;
}

function builtIsCurrent(): boolean {
  try {
    const built = statSync(BUILT).mtimeMs;
    return ['sandbox', 'generators'].every((dir) => newestSource(join(ROOT, dir)) <= built);
  } catch {
    return false;
  }
}

const BUILD_IS_CURRENT = builtIsCurrent();

/** The build of a product module (e.g. `sandbox/stack/reaper-main`) when the build is current; else undefined. */
export function currentBuildOf(module: string): string | undefined {
  return BUILD_IS_CURRENT ? join(ROOT, 'dist', `${module}.js`) : undefined;
}

/**
 * Node arguments that run the CLI. `npm test` builds before the suite, and the built CLI starts in about half
 * the CPU time of compiling the sources on the fly; a build older than any source (a test run alone while
 * editing) falls back to the sources, so a test never runs stale code.
 */
export const CLI_ENTRY: readonly string[] = BUILD_IS_CURRENT
  ? [BUILT]
  : ['--import', 'tsx', join(ROOT, 'sandbox', 'cli', 'main.ts')];
