/** startSandbox's options are checked as `sandbox start` checks its flags, before anything starts. */
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { UserError } from '../../generators/user-error.js';
import { startOptionsOf } from '../../sandbox/testing/sandbox-options.js';

describe('startSandbox refuses bad options as the CLI does, before starting anything', () => {
  it.each([
    [{ history: '2d' }, /^startSandbox: history "2d" must be a duration up to 1d/],
    [{ interval: '500ms' }, /^startSandbox: interval "500ms" must be a whole number of seconds/],
    [{ forScale: 2 }, /^startSandbox: forScale 2 must be a number in \(0, 1\]/],
    [{ speed: 0 }, /^startSandbox: speed 0 must be a number greater than 0/],
    [{ runtime: 'podman' as 'docker' }, /^startSandbox: runtime "podman" is not one of native, docker, auto/],
    [{ systems: ['vaultmes'] }, /vaultmes/],
    [{ rules: [join(import.meta.dirname, 'missing.yml')] }, /missing\.yml/],
  ])('%o', async (options, message) => {
    const error = await startOptionsOf(options).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(UserError);
    expect((error as Error).message).toMatch(message);
  });
});

it('takes the defaults of `sandbox start`', async () => {
  const options = await startOptionsOf({});
  expect(options).toMatchObject({ seed: 1, speed: 1, interval: '15s', historyMs: 70 * 60_000, forScale: 1 });
  expect(options.systems?.names).toEqual(['vaultmesh', 'zkp']);
});
