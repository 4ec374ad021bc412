import { execFileSync } from 'node:child_process';
import { once } from 'node:events';
import { mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { startCli } from '../../support/cli.js';
import { runCliInProcess } from '../../support/cli-in-process.js';

const dir = mkdtempSync(join(tmpdir(), 'obs-sandbox-replay-bounds-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const write = (name: string, text: string) => {
  const file = join(dir, name);
  writeFileSync(file, text);
  return file;
};

/** A scenario inside every bound whose simulation takes minutes: a week of model time. */
const LONG = `name: long
description: a week, within the bounds
systems: [vaultmesh]
duration: 7d
evaluation_interval: 10m
expect:
  - { alert: NodeDown, never: true }
`;

const BOMB = [
  'a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]',
  ...['b', 'c', 'd', 'e', 'f'].map((l, i) => `${l}: &${l} [${Array(9).fill(`*${'abcde'[i]}`).join(',')}]`),
  'groups: [*f]',
].join('\n');

/**
 * Exit 2 with one line on stderr. Refused before anything is read, so run in this process (the same refusals
 * of the CLI as a process are in cli-fuzz.test.ts).
 */
async function refused(args: string[]): Promise<string> {
  const result = await runCliInProcess(args);
  expect(result.code, result.stderr).toBe(2);
  const lines = result.stderr.trim().split('\n');
  expect(lines).toHaveLength(1);
  return lines[0]!;
}

describe('sandbox replay, bounded', () => {
  it.each(['SIGINT', 'SIGTERM'] as const)(
    'stops within 2 s of %s in the middle of a long simulation, leaving nothing behind',
    async (signal) => {
      const tmp = mkdtempSync(join(dir, 'tmp-'));
      const cli = startCli(['replay', write('long.yaml', LONG)], { ...process.env, TMPDIR: tmp });
      // Loading takes a few seconds on a busy machine; the week's simulation takes minutes after it.
      await new Promise((resolve) => setTimeout(resolve, 8_000));
      expect(cli.child.exitCode, cli.stderr()).toBeNull();
      const sent = performance.now();
      const exited = once(cli.child, 'exit');
      cli.child.kill(signal);
      await exited;
      expect(performance.now() - sent).toBeLessThan(2_000);
      // tsx keeps its compile cache there when the CLI runs from the sources.
      expect(readdirSync(tmp).filter((f) => !f.startsWith('tsx-'))).toEqual([]);
    },
    60_000,
  );

  it.each([
    [
      'a FIFO',
      () => {
        const fifo = join(dir, 'fifo.yaml');
        execFileSync('mkfifo', [fifo]);
        return fifo;
      },
    ],
    ['/dev/zero', () => '/dev/zero'],
  ])(
    'refuses %s as a scenario or rule file at once',
    async (_what, path) => {
      const file = path();
      expect(await refused(['replay', file])).toBe(
        `sandbox: scenario file ${file} is not a regular file (a device, FIFO or socket) and is not read; give a file`,
      );
      expect(await refused(['replay', 'baseline', '--rules', file])).toMatch(
        /is not a regular file or a directory \(a device, FIFO or socket\) and is not read/,
      );
    },
    120_000,
  );

  it('refuses a YAML alias bomb in a rules file with one line', async () => {
    const bomb = write('bomb.yaml', BOMB);
    expect(await refused(['replay', 'baseline', '--rules', bomb])).toBe(
      `sandbox: ${bomb}:2:8: YAML aliases expand too far (more than 100); write the values out instead of nesting aliases`,
    );
  }, 60_000);

  it('refuses a scenario over the sample budget before simulating it', async () => {
    const file = write('dense.yaml', LONG.replace('evaluation_interval: 10m', 'evaluation_interval: 1s'));
    const started = performance.now();
    expect(await refused(['replay', file])).toMatch(
      /this replay would produce about [\d.]+ million samples .* more than the budget of 10\.00 million; shorten duration or warmup, raise evaluation_interval, or load fewer systems$/,
    );
    expect(performance.now() - started).toBeLessThan(30_000);
  }, 60_000);
});
