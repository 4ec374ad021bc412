import { mkdirSync, mkdtempSync, renameSync, rmSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { createRunDir, markedRunDirs, runDirMismatch, RUN_MARKER } from '../../sandbox/stack/run-dir.js';

let root: string;
afterEach(() => rmSync(root, { recursive: true, force: true }));

describe('run directories', () => {
  it('are made 0700 with a marker holding their random id, and match what was recorded', async () => {
    root = mkdtempSync(join(tmpdir(), 'obs-sandbox-rundir-'));
    const run = await createRunDir(root);
    expect(run.path).toBe(join(root, `run-${run.id}`));
    expect(statSync(run.path).mode & 0o777).toBe(0o700);
    expect(statSync(join(run.path, RUN_MARKER)).mode & 0o777).toBe(0o600);
    expect(runDirMismatch(run)).toBeUndefined();
    expect(markedRunDirs(root)).toEqual([{ path: run.path, id: run.id }]);
  });

  it('do not match once replaced, unmarked, another run or a symlink', async () => {
    root = mkdtempSync(join(tmpdir(), 'obs-sandbox-rundir-'));
    const run = await createRunDir(root);
    const other = await createRunDir(root);
    expect(runDirMismatch({ ...run, id: other.id })).toMatch(/another run's/);
    // The same path and marker, but another directory (moved aside and recreated).
    renameSync(run.path, `${run.path}.old`);
    mkdirSync(run.path);
    writeFileSync(join(run.path, RUN_MARKER), `${run.id}\n`);
    expect(runDirMismatch(run)).toMatch(/device\/inode differ/);
    rmSync(join(run.path, RUN_MARKER));
    expect(runDirMismatch(run)).toMatch(/has no \.obs-sandbox-run marker/);
    rmSync(run.path, { recursive: true });
    symlinkSync(other.path, run.path);
    expect(runDirMismatch({ ...other, path: run.path })).toMatch(/not a directory/);
    // The symlink is left out; the directory moved aside still carries its marker.
    expect(
      markedRunDirs(root)
        .map((d) => d.path)
        .sort(),
    ).toEqual([`${run.path}.old`, other.path].sort());
    expect(runDirMismatch({ ...run, path: join(root, 'gone') })).toMatch(/does not exist/);
  });
});
