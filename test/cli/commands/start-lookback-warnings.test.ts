import { describe, expect, it } from 'vitest';
import { runCliInProcess } from '../../support/cli-in-process.js';

// A missing dashboards directory stops `start` after its warnings and before it starts anything (exit 2).
const STOP = ['--dashboards', 'test/fixtures/no-such-dashboards'];
const RECEIPT_RATE =
  'ReceiptRateAnomaly looks back 1h5m (rate(vaultmesh_receipts_total[5m])[1h:5m]) but --history is 10m: ' +
  'until 1h5m of samples exist it may be pending or wrong; use --history 1h10m or more';

describe('start: rules that look back further than --history', () => {
  it('are warned of, one plain line each, for --history 10m with the bundled rules', async () => {
    const { code, stdout, stderr } = await runCliInProcess([
      'start',
      '--no-tui',
      '--history',
      '10m',
      ...STOP,
    ]);
    const lines = stdout.trim().split('\n');
    expect(lines).toContainEqual(expect.stringMatching(/^\d\d:\d\d:\d\d /));
    expect(lines.map((l) => l.slice(9))).toContain(RECEIPT_RATE);
    expect(stderr.trim().split('\n')).toEqual([expect.stringMatching(/no-such-dashboards/)]);
    expect(code).toBe(2);
  });

  it('are message events under --json', async () => {
    const { stdout } = await runCliInProcess(['start', '--json', '--history', '10m', ...STOP]);
    const events = stdout
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as { type: string; text: string; time: string });
    expect(events).toContainEqual({ time: expect.any(String), type: 'message', text: RECEIPT_RATE });
  });

  it('are none at the default history', async () => {
    const { code, stdout } = await runCliInProcess(['start', '--no-tui', ...STOP]);
    expect(stdout).toBe('');
    expect(code).toBe(2);
  });
});
