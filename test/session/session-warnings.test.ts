/**
 * SandboxSession says the start's warnings (`SessionOptions.warnings`) as it starts: one message event each,
 * and the view's one-line message (what the TUI shows), before the sandbox starts; around a fake Sandbox.
 */
import { describe, expect, it, vi } from 'vitest';
import type { SessionEvent } from '../../sandbox/session/session.js';

const start = vi.fn();
vi.mock('../../sandbox/stack/sandbox-stack.js', () => ({ Sandbox: { start } }));
const { SandboxSession } = await import('../../sandbox/session/session.js');

async function startWith(warnings?: string[]) {
  const session = new SandboxSession({ runtime: 'native', warnings });
  const events: (SessionEvent | string)[] = [];
  let messageAtStart: string | undefined;
  session.subscribe((event) => void (event && events.push(event)));
  start.mockReset();
  start.mockImplementation(async () => {
    events.push('<Sandbox.start>');
    messageAtStart = session.view().message;
    throw new Error('no sandbox here');
  });
  await expect(session.start()).rejects.toThrow('no sandbox here');
  return { events, messageAtStart };
}

describe('SandboxSession: the start warnings', () => {
  it('are one message event each, before the sandbox starts, and the view says them', async () => {
    const { events, messageAtStart } = await startWith(['rule A looks back 1h', 'rule B looks back 2h']);
    const texts = events.map((e) => (typeof e === 'string' ? e : e.type === 'message' ? e.text : e.type));
    expect(texts.slice(0, 2)).toEqual(['rule A looks back 1h', 'rule B looks back 2h']);
    expect(texts.filter((t) => /looks back/.test(t))).toHaveLength(2);
    expect(texts.indexOf('<Sandbox.start>')).toBeGreaterThan(1);
    expect(messageAtStart).toBe('2 warnings: rule A looks back 1h; rule B looks back 2h');
  });

  it('one alone is the view message as it is; none says nothing', async () => {
    expect((await startWith(['rule A looks back 1h'])).messageAtStart).toBe('warning: rule A looks back 1h');
    const none = await startWith();
    expect(none.messageAtStart).toBeUndefined();
    expect(none.events.some((e) => typeof e !== 'string' && e.type === 'message')).toBe(false);
  });
});
