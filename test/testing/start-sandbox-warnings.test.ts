/**
 * startSandbox says what `sandbox start` warns of (rules that look back further than the history) through
 * its onMessage, once each, before the sandbox starts; around a fake Sandbox that refuses to start.
 */
import { describe, expect, it, vi } from 'vitest';

const start = vi.fn();
vi.mock('../../sandbox/stack/sandbox-stack.js', () => ({ Sandbox: { start } }));
vi.mock('../../sandbox/stack/choose-runtime.js', () => ({ chooseRuntime: async () => 'native' }));
vi.mock('../../sandbox/stack/reaper.js', () => ({ startReaper: () => () => undefined }));
let port = 21_000;
vi.mock('../../sandbox/testing/free-port.js', () => ({ freePort: async () => port++ }));

const { startSandbox } = await import('../../sandbox/testing/start-sandbox.js');

const RECEIPT_RATE =
  'ReceiptRateAnomaly looks back 1h5m (rate(vaultmesh_receipts_total[5m])[1h:5m]) but history is 10m: ' +
  'until 1h5m of samples exist it may be pending or wrong; use history 1h10m or more';

/** The messages startSandbox gave before Sandbox.start was called (which then refuses). */
async function messagesBeforeStart(options: Parameters<typeof startSandbox>[0]): Promise<string[]> {
  const messages: string[] = [];
  start.mockReset();
  start.mockImplementation(async () => {
    messages.push('<Sandbox.start>');
    throw new Error('no sandbox here');
  });
  await expect(startSandbox({ ...options, onMessage: (m) => messages.push(m) })).rejects.toThrow(
    'no sandbox here',
  );
  return messages;
}

describe('startSandbox: rules that look back further than the history', () => {
  it('are said through onMessage once each, before the sandbox starts', async () => {
    const messages = await messagesBeforeStart({ history: '10m' });
    expect(messages.filter((m) => m === RECEIPT_RATE)).toHaveLength(1);
    expect(messages.indexOf(RECEIPT_RATE)).toBeLessThan(messages.indexOf('<Sandbox.start>'));
  });

  it('are none at the default history, nor without the bundled rules', async () => {
    expect((await messagesBeforeStart({})).filter((m) => /looks back/.test(m))).toEqual([]);
    const unbundled = await messagesBeforeStart({ history: '10m', bundledRules: false });
    expect(unbundled.filter((m) => /looks back/.test(m))).toEqual([]);
  });
});
