import { readFileSync } from 'node:fs';
import { InvalidArgumentError } from 'commander';
import { describe, expect, it, vi } from 'vitest';
import { UserError } from '../../generators/user-error.js';
import { COMMAND_MODULES } from '../../sandbox/cli/command-modules.js';
import { COMMANDS } from '../../sandbox/cli/command-table.js';
import { commandWord, createProgram } from '../../sandbox/cli/program.js';
import { runCli } from '../support/cli.js';
import { runCliInProcess } from '../support/cli-in-process.js';

describe("commander's own errors", () => {
  it.each([
    [
      ['generate', '--prot', '5'],
      /^sandbox: unknown option '--prot' \(Did you mean --port\?\); add --help for usage$/,
    ],
    [['strat'], /^sandbox: unknown command 'strat' \(Did you mean start\?\); add --help for usage$/],
    [['faults', '--knobs'], /^sandbox: unknown option '--knobs'; add --help for usage$/],
    [['check', '--rules'], /^sandbox: option '--rules <path>' argument missing; add --help for usage$/],
    [
      ['generate', 'extra'],
      /^sandbox: too many arguments for 'generate'\. Expected 0 arguments but got 1\.; add --help for usage$/,
    ],
  ])('%j: one line, exit 2', async (args, message) => {
    const { code, stderr } = await runCliInProcess(args);
    expect(stderr.trim().split('\n')).toHaveLength(1);
    expect(stderr.trim()).toMatch(message);
    expect(code).toBe(2);
  });

  it('exits 2 from the built CLI too', () => {
    const { code, stderr } = runCli(['generate', '--prot', '5']);
    expect(stderr.trim()).toBe(
      "sandbox: unknown option '--prot' (Did you mean --port?); add --help for usage",
    );
    expect(code).toBe(2);
  }, 120_000);
});

describe('the command table: one command loaded per run', () => {
  it('finds the command past the global options, and the command help asks for', () => {
    expect(commandWord(['--config', 'obs-sandbox.yaml', '--debug', 'replay', 'baseline'])).toBe('replay');
    expect(commandWord(['help', 'check'])).toBe('check');
    expect(commandWord(['--help'])).toBeUndefined();
    expect(commandWord([])).toBeUndefined();
  });

  it.each(COMMANDS.map((c) => [c.name, c] as const))(
    '%s: its module registers the command the table lists, with the same usage and summary',
    async (name, entry) => {
      const program = await createProgram({ out: () => undefined, status: () => undefined }, [name]);
      expect(program.commands.map((c) => c.name())).toEqual([name]);
      const command = program.commands[0]!;
      expect(command.description()).toBe(entry.summary);
      expect(command.usage()).toBe(entry.usage);
    },
  );

  it('lists every command in the help without loading one, and prints the version', async () => {
    let stdout = '';
    const write = vi.spyOn(process.stdout, 'write').mockImplementation((chunk: string | Uint8Array) => {
      stdout += String(chunk);
      return true;
    });
    try {
      expect(await runCliInProcess(['--help'])).toMatchObject({ code: 0 });
      for (const c of COMMANDS) expect(stdout).toMatch(new RegExp(`^  ${c.name} `, 'm'));
      stdout = '';
      expect(await runCliInProcess(['--version'])).toMatchObject({ code: 0 });
      const manifest = JSON.parse(readFileSync('package.json', 'utf8')) as { version: string };
      expect(stdout.trim()).toBe(manifest.version);
    } finally {
      write.mockRestore();
    }
  });
});

describe('errors thrown by an action: one line, never nothing', () => {
  /** Runs `faults` with its action replaced by one that throws `error`. */
  async function failingAction(error: unknown, args: readonly string[] = []) {
    const register = COMMAND_MODULES.faults;
    COMMAND_MODULES.faults = async (program) => {
      program.command('faults').action(async () => {
        await Promise.resolve();
        throw error;
      });
    };
    try {
      return await runCliInProcess(['faults', ...args]);
    } finally {
      COMMAND_MODULES.faults = register;
    }
  }

  it("an option parser's error thrown in the action (commander has not printed it): one line, exit 2", async () => {
    const { code, stderr } = await failingAction(new InvalidArgumentError('must be a port number'));
    expect(stderr).toBe('sandbox: must be a port number; add --help for usage\n');
    expect(code).toBe(2);
  });

  it.each([
    ['an Error', new Error('EACCES: permission denied, open /x'), 'EACCES: permission denied, open /x'],
    ['an Error without a message', new TypeError(''), 'TypeError'],
    ['undefined', undefined, 'undefined'],
    ['a string', 'a string', 'a string'],
  ])('%s: "internal error", exit 1', async (_, error, shown) => {
    const { code, stderr } = await failingAction(error);
    expect(stderr).toBe(`sandbox: internal error: ${shown} (run with --debug for details)\n`);
    expect(code).toBe(1);
  });

  it('--debug adds the stack after the line', async () => {
    const { code, stderr } = await failingAction(new Error('boom'), ['--debug']);
    const lines = stderr.trim().split('\n');
    expect(lines[0]).toBe('sandbox: internal error: boom');
    expect(lines[1]).toBe('Error: boom');
    expect(lines[2]).toMatch(/^ {4}at /);
    expect(code).toBe(1);
  });

  it('a UserError: its line and its exit code, the stack only with --debug', async () => {
    const error = new UserError('nothing to do here; do something else', 3);
    expect(await failingAction(error)).toMatchObject({
      code: 3,
      stderr: 'sandbox: nothing to do here; do something else\n',
    });
    expect((await failingAction(error, ['--debug'])).stderr).toMatch(
      /^sandbox: nothing to do here; do something else\nUserError: nothing to do here/,
    );
  });
});
