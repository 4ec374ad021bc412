import { readFileSync } from 'node:fs';
import { describe, expect, it, vi } from 'vitest';
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
