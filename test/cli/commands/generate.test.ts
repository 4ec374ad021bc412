import { describe, expect, it } from 'vitest';
import { runCli } from '../../support/cli.js';
import { runCliInProcess } from '../../support/cli-in-process.js';

describe('generate', () => {
  it('refuses a --port that leaves no room for every target, before starting anything', async () => {
    const { code, stderr } = await runCliInProcess(['generate', '--port', '65535']);
    expect(stderr.trim()).toBe(
      'sandbox: --port 65535 leaves no room for the 4 scrape targets: they need ports 65535-65538, past 65535; give --port 65532 or lower (0: any free ports)',
    );
    expect(code).toBe(2);
  });

  it('counts the targets of every loaded system', async () => {
    const { code, stderr } = await runCliInProcess(['generate', '--system', 'lexecon', '--port', '65530']);
    expect(stderr.trim()).toMatch(
      /^sandbox: --port 65530 leaves no room for the \d+ scrape targets: .*give --port \d+ or lower/,
    );
    expect(code).toBe(2);
  });

  it('points its --knob help at `sandbox faults`, which lists the knobs', async () => {
    const help = runCli(['generate', '--help']);
    expect(help.stdout).not.toContain('--knobs');
    expect(help.stdout).toMatch(
      /--knob <name=value>\s+set a traffic knob \(repeatable;\s+`sandbox faults`\s+lists\s+the knobs\)/,
    );
    const faults = await runCliInProcess(['faults']);
    expect(faults.stdout).toMatch(/^Traffic knobs \(set with --knob name=value\):$/m);
    expect(faults.stdout).toMatch(/^ +receipt_rate=8 /m);
  }, 120_000);
});
