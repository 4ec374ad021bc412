import { once } from 'node:events';
import { existsSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it, vi } from 'vitest';
import { UserError } from '../../../generators/user-error.js';
import { startSandbox } from '../../../sandbox/testing/start-sandbox.js';
import { runCli, startCli } from '../../support/cli.js';

const root = mkdtempSync(join(tmpdir(), 'obs-sandbox-start-history-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

/** A state directory and a TMPDIR of its own, to see what a run leaves behind. */
function environment() {
  const stateDir = mkdtempSync(join(root, 'state-'));
  const tmp = mkdtempSync(join(root, 'tmp-'));
  return { stateDir, tmp, env: { ...process.env, OBS_SANDBOX_STATE_DIR: stateDir, TMPDIR: tmp } };
}

const leftBehind = (dir: string) =>
  existsSync(dir) ? readdirSync(dir).filter((f) => f.startsWith('run-')) : [];

/** An Alertmanager that notes that it was run (a start runs it first, `--version` and all) and fails. */
function tattletale() {
  const dir = mkdtempSync(join(root, 'alertmanager-'));
  const path = join(dir, 'alertmanager');
  writeFileSync(path, `#!/bin/sh\necho "$@" >> ${dir}/ran\nexit 1\n`, { mode: 0o755 });
  return { env: { OBS_SANDBOX_ALERTMANAGER_PATH: path }, ran: () => existsSync(join(dir, 'ran')) };
}

const START = ['start', '--runtime', 'native', '--port', '0', '--port-offset', '6000'];

describe('sandbox start --history, bounded', () => {
  it('stops within 2 s of SIGINT while it simulates a long history, removing its run directory', async () => {
    const { stateDir, tmp, env } = environment();
    // 12h at 1m is within the budget, and takes tens of seconds to simulate.
    const cli = startCli([...START, '--history', '12h', '--interval', '1m'], env);
    // The run directory is made just before the history is simulated.
    const deadline = performance.now() + 45_000;
    while (leftBehind(stateDir).length === 0 && performance.now() < deadline && cli.child.exitCode === null)
      await new Promise((resolve) => setTimeout(resolve, 200));
    await new Promise((resolve) => setTimeout(resolve, 2_000));
    expect(cli.child.exitCode, cli.stderr()).toBeNull();
    expect(leftBehind(stateDir)).toHaveLength(1);
    const sent = performance.now();
    const exited = once(cli.child, 'exit');
    cli.child.kill('SIGINT');
    await exited;
    expect(performance.now() - sent).toBeLessThan(2_000);
    expect(leftBehind(stateDir)).toEqual([]);
    // tsx keeps its compile cache there when the CLI runs from the sources.
    expect(readdirSync(tmp).filter((f) => !f.startsWith('tsx-'))).toEqual([]);
  }, 90_000);

  it.each([
    ['1d', '15s', '', 5760, '15s'],
    ['20h', '5s', '', 4800, '15s'],
    // Refused by the command itself, not by the background process after the command returned.
    ['1d', '15s', '--detach', 5760, '15s'],
  ])(
    'refuses --history %s --interval %s %s over the sample budget in one line, before anything starts',
    (history, interval, detach, scrapes, every) => {
      const { stateDir, env } = environment();
      const alertmanager = tattletale();
      const args = [...START, '--history', history, '--interval', interval];
      const result = runCli(detach ? [...args, detach] : args, 60_000, {
        ...env,
        ...alertmanager.env,
      });
      expect(result.code, result.stderr).toBe(2);
      expect(result.stderr.trim()).toMatch(
        new RegExp(
          `^sandbox: --history ${history} would simulate about [\\d.]+ million samples \\(\\d+ series x ${scrapes} scrapes every ${every}\\), more than the budget of 1\\.00 million; give a shorter --history, a longer --interval, or fewer systems$`,
        ),
      );
      // Refused while it was simulated, the start had already run Alertmanager and said so.
      expect(alertmanager.ran()).toBe(false);
      expect(result.stdout).toBe('');
      expect(readdirSync(stateDir)).toEqual([]);
    },
    90_000,
  );

  it('startSandbox refuses it the same way, before anything starts', async () => {
    const { stateDir } = environment();
    const alertmanager = tattletale();
    const messages: string[] = [];
    vi.stubEnv('OBS_SANDBOX_ALERTMANAGER_PATH', alertmanager.env.OBS_SANDBOX_ALERTMANAGER_PATH);
    const error = await startSandbox({
      history: '1d',
      runtime: 'native',
      stateDir,
      onMessage: (m) => messages.push(m),
    })
      .catch((e: unknown) => e)
      .finally(() => vi.unstubAllEnvs());
    expect(error).toBeInstanceOf(UserError);
    expect((error as Error).message).toMatch(
      /^--history 1d would simulate about .* 5760 scrapes every 15s\), more than the budget/,
    );
    expect(alertmanager.ran()).toBe(false);
    expect(messages).toEqual([]);
    expect(readdirSync(stateDir)).toEqual([]);
  }, 60_000);
});
