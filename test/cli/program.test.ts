import { describe, expect, it } from 'vitest';
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
