import { execFile } from 'node:child_process';
import { stat } from 'node:fs/promises';
import { promisify } from 'node:util';
import { UserError } from '../../generators/user-error.js';
import { BinaryUnavailableError, ensureBinary, pathEnvVar } from '../binaries/index.js';
import { trackChild } from '../cleanup.js';
import type { Promtool } from './promtool-interface.js';

export type { Promtool, PromtoolOutput } from './promtool-interface.js';

const exec = promisify(execFile);

/** `tmpDir`: its TMPDIR (promtool leaves head* and test_storage* directories there when killed). */
export function nativePromtool(path: string, tmpDir?: string): Promtool {
  const env = tmpDir === undefined ? process.env : { ...process.env, TMPDIR: tmpDir };
  return {
    describe: `promtool at ${path}`,
    path,
    run: async (args) => {
      try {
        const pending = exec(path, [...args], { maxBuffer: 512 * 1024 * 1024, env });
        trackChild(pending.child);
        const { stdout, stderr } = await pending;
        return { code: 0, output: stdout + stderr };
      } catch (error) {
        const e = error as { code?: number | string; stdout?: string; stderr?: string; message: string };
        if (typeof e.code === 'string') throw new UserError(`cannot run promtool at ${path}: ${e.message}`);
        return { code: e.code ?? 1, output: (e.stdout ?? '') + (e.stderr ?? '') };
      }
    },
  };
}

/**
 * What tells one promtool from another for cached results: a local binary by its file (size, mtime, inode,
 * through symlinks), so that a binary replaced at the same path is another promtool; an image by its name.
 */
export async function promtoolIdentity(promtool: Promtool): Promise<string> {
  if (!promtool.path) return promtool.describe;
  const file = await stat(promtool.path);
  return `${promtool.describe}\0${file.size}\0${file.mtimeMs}\0${file.ino}`;
}

/** The official image promtool falls back to when none is installed and Docker answers. */
export const DEFAULT_PROMETHEUS_IMAGE = 'prom/prometheus:v3.5.0';

export interface PromtoolChoice {
  /** A promtool binary to use. */
  path?: string;
  /** Run promtool inside this Prometheus image instead of looking for a binary. */
  image?: string;
  /** A local promtool's temporary directory (default: the system's). */
  tmpDir?: string;
}

/**
 * A local promtool (configured path, PATH, cache, download, Debian), else, where only Docker is available,
 * promtool inside the Prometheus image (OBS_SANDBOX_PROMETHEUS_IMAGE, default the official one).
 */
export async function resolvePromtool(choice: PromtoolChoice = {}): Promise<Promtool> {
  if (choice.path) return nativePromtool(choice.path, choice.tmpDir);
  // The Docker client (dockerode and its dependencies) loads only where promtool may run in a container.
  if (choice.image) return (await import('./promtool-container.js')).containerPromtool(choice.image);
  try {
    return nativePromtool((await ensureBinary('promtool')).path, choice.tmpDir);
  } catch (error) {
    // A path the user configured is never second-guessed: its error is the one to show.
    const configured = process.env[pathEnvVar('promtool')] !== undefined;
    if (!(error instanceof BinaryUnavailableError) || configured) throw error;
    const { engineAvailable } = await import('../stack/docker/engine.js');
    if (!(await engineAvailable())) throw error;
    const { containerPromtool } = await import('./promtool-container.js');
    return containerPromtool(process.env.OBS_SANDBOX_PROMETHEUS_IMAGE ?? DEFAULT_PROMETHEUS_IMAGE);
  }
}
