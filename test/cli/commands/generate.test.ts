import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { payload, post } from '../../support/alertmanager-webhook.js';
import { runCli, startCli } from '../../support/cli.js';
import { runCliInProcess } from '../../support/cli-in-process.js';

const dir = await mkdtemp(join(tmpdir(), 'obs-sandbox-generate-'));
afterAll(() => rm(dir, { recursive: true, force: true }));

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

describe('sandbox generate --webhook-port', () => {
  it('prints where its token is, never the token, and prints the notifications sent to its secret path', async () => {
    const file = join(dir, 'cli.token');
    const cli = startCli([
      'generate',
      '--port',
      '0',
      '--webhook-port',
      '0',
      '--webhook-token-file',
      file,
      '--json',
    ]);
    try {
      const summary = JSON.parse(await cli.firstLine) as { webhook: { url: string; tokenFile: string } };
      const token = (await readFile(file, 'utf8')).trim();
      expect(summary.webhook.tokenFile).toBe(file);
      expect(JSON.stringify(summary)).not.toContain(token);
      const port = Number(/:(\d+)\/alertmanager\/<token>\/<receiver>$/.exec(summary.webhook.url)?.[1]);
      expect(await post(port, '/alertmanager/team', JSON.stringify(payload()))).toBe(404);
      expect(await post(port, `/alertmanager/${token}/team`, JSON.stringify(payload()))).toBe(200);
      await expect
        .poll(() => cli.stderr(), { timeout: 30_000 })
        .toMatch(/notification firing: ReceiptWriteFailure/);
    } finally {
      expect(await cli.stop()).toBe(0);
    }
  }, 180_000);

  it('refuses its webhook flags without --webhook-port, and a secret with --webhook-open', async () => {
    for (const [args, message] of [
      [['--webhook-token-file', join(dir, 'x')], '--webhook-token-file goes with --webhook-port'],
      [['--webhook-open'], '--webhook-open goes with --webhook-port'],
      [
        ['--webhook-port', '0', '--webhook-open', '--webhook-token-file', join(dir, 'x')],
        '--webhook-open takes no secret',
      ],
    ] as const) {
      const { code, stderr } = await runCliInProcess(['generate', ...args]);
      expect(stderr.trim()).toMatch(new RegExp(`^sandbox: ${message}`));
      expect(code).toBe(2);
    }
  }, 120_000);
});
