import { describe, expect, it, vi } from 'vitest';
import { UserError } from '../../../generators/user-error.js';

// The warnings come through the session as it starts; here a fake Sandbox then refuses to start (exit 2), so
// nothing runs. The reaper and the runtime's choice are faked too: a unit test spawns nothing.
const start = vi.fn(async () => {
  throw new UserError('no sandbox here');
});
vi.mock('../../../sandbox/stack/sandbox-stack.js', () => ({ Sandbox: { start } }));
vi.mock('../../../sandbox/stack/choose-runtime.js', () => ({ chooseRuntime: async () => 'native' }));
vi.mock('../../../sandbox/stack/reaper.js', () => ({ startReaper: () => () => undefined }));

const { runCliInProcess } = await import('../../support/cli-in-process.js');

const RECEIPT_RATE =
  'ReceiptRateAnomaly looks back 1h5m (rate(vaultmesh_receipts_total[5m])[1h:5m]) but --history is 10m: ' +
  'until 1h5m of samples exist it may be pending or wrong; use --history 1h10m or more';

describe('start: rules that look back further than --history', () => {
  it('are said once each, one plain line each, for --history 10m with the bundled rules', async () => {
    const { code, stdout, stderr } = await runCliInProcess(['start', '--no-tui', '--history', '10m']);
    const lines = stdout.trim().split('\n');
    for (const line of lines) expect(line).toMatch(/^\d\d:\d\d:\d\d /);
    expect(lines.map((l) => l.slice(9)).filter((l) => l === RECEIPT_RATE)).toHaveLength(1);
    expect(stderr.trim().split('\n')).toEqual([expect.stringMatching(/no sandbox here/)]);
    expect(code).toBe(2);
  });

  it('are message events under --json, once each', async () => {
    const { stdout } = await runCliInProcess(['start', '--json', '--history', '10m']);
    const events = stdout
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as { type: string; text: string; time: string });
    const warned = events.filter((e) => e.type === 'message' && e.text === RECEIPT_RATE);
    expect(warned).toEqual([{ time: expect.any(String), type: 'message', text: RECEIPT_RATE }]);
  });

  it('are none at the default history', async () => {
    const { code, stdout } = await runCliInProcess(['start', '--no-tui']);
    expect(stdout).not.toMatch(/looks back/);
    expect(code).toBe(2);
  });
});
