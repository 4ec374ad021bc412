import { mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { removeState } from '../../sandbox/stack/state.js';

const dir = mkdtempSync(join(tmpdir(), 'obs-sandbox-state-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('removeState', () => {
  it('removes the state file and the temporary ones of writers that no longer run, not a running one', async () => {
    // Above any pid_max: no process has it.
    const gone = 2_147_483_646;
    for (const name of ['state.json', `state.json.${gone}.tmp`, `state.json.${process.pid}.tmp`, 'other'])
      writeFileSync(join(dir, name), '{}');
    await removeState(dir);
    expect(readdirSync(dir).sort()).toEqual(['other', `state.json.${process.pid}.tmp`]);
  });

  it('is quiet about a directory that does not exist', async () => {
    await expect(removeState(join(dir, 'missing'))).resolves.toBeUndefined();
  });
});
