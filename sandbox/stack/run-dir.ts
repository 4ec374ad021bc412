import { randomBytes } from 'node:crypto';
import { lstatSync, readFileSync, readdirSync } from 'node:fs';
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';

/** The file in a run directory that proves the sandbox made it: its content is the run's random id. */
export const RUN_MARKER = '.obs-sandbox-run';

/** A run directory as the state file records it: `down` removes it only while all of this still holds. */
export interface RunDirIdentity {
  path: string;
  id: string;
  dev: number;
  ino: number;
}

/** Creates `<stateDir>/run-<id>` (0700) with its marker (0600), before anything is put in it. */
export async function createRunDir(stateDir: string): Promise<RunDirIdentity> {
  const id = randomBytes(12).toString('hex');
  const path = join(stateDir, `run-${id}`);
  await mkdir(path, { mode: 0o700 });
  await writeFile(join(path, RUN_MARKER), `${id}\n`, { mode: 0o600, flag: 'wx' });
  const stat = lstatSync(path);
  return { path, id, dev: stat.dev, ino: stat.ino };
}

/** The id in a directory's marker, when it is a real directory (no symlink) holding a regular marker. */
export function markerId(path: string): string | undefined {
  try {
    if (!lstatSync(path).isDirectory() || !lstatSync(join(path, RUN_MARKER)).isFile()) return undefined;
    const id = readFileSync(join(path, RUN_MARKER), 'utf8').trim();
    return /^[0-9a-f]{24}$/.test(id) ? id : undefined;
  } catch {
    return undefined;
  }
}

/** Why the directory is not the recorded run directory any more, or undefined when it still is. */
export function runDirMismatch(recorded: RunDirIdentity): string | undefined {
  let stat;
  try {
    stat = lstatSync(recorded.path);
  } catch {
    return `${recorded.path} does not exist`;
  }
  if (!stat.isDirectory()) return `${recorded.path} is not a directory`;
  const id = markerId(recorded.path);
  if (id === undefined) return `${recorded.path} has no ${RUN_MARKER} marker: the sandbox did not make it`;
  if (id !== recorded.id) return `${recorded.path}'s marker is another run's`;
  if (stat.dev !== recorded.dev || stat.ino !== recorded.ino)
    return `${recorded.path} is another directory than the one the sandbox made (device/inode differ)`;
  return undefined;
}

/** The run directories in the state directory that carry a marker (also those of a start never completed). */
export function markedRunDirs(stateDir: string): { path: string; id: string }[] {
  let names: string[];
  try {
    names = readdirSync(stateDir);
  } catch {
    return [];
  }
  return names
    .filter((name) => name.startsWith('run-'))
    .map((name) => ({ path: join(stateDir, name), id: markerId(join(stateDir, name)) }))
    .filter((d): d is { path: string; id: string } => d.id !== undefined);
}

/** `<run>/tmp`, the TMPDIR of every child the run starts (promtool's head* and test_storage* land there). */
export async function runTmpDir(runDir: string): Promise<string> {
  const path = join(runDir, 'tmp');
  await mkdir(path, { recursive: true, mode: 0o700 });
  return path;
}
