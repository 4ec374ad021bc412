/** The session's warnings (SessionOptions.warnings): said once each as it starts, and in the view's message. */
import { describe, expect, it, vi } from 'vitest';

const start = vi.fn();
vi.mock('../../sandbox/stack/sandbox-stack.js', () => ({ Sandbox: { start } }));

const { SandboxSession } = await import('../../sandbox/session/session.js');
const { plainPrinter } = await import('../../sandbox/cli/commands/start-output.js');

describe('SandboxSession warnings', () => {
  it('are message events once each, in order, before the sandbox starts, and the view says them all', async () => {
    const order: string[] = [];
    start.mockImplementation(async () => {
      order.push('<Sandbox.start>');
      throw new Error('no sandbox here');
    });
    const session = new SandboxSession({ warnings: ['A looks back 1h', 'B looks back 2h'] });
    const printed: string[] = [];
    const print = plainPrinter({ out: (line) => printed.push(line.slice(9)), status: () => undefined });
    session.subscribe((event) => {
      print(event);
      if (event?.type === 'message') order.push(event.text);
    });
    await expect(session.start()).rejects.toThrow('no sandbox here');
    expect(order).toEqual(['A looks back 1h', 'B looks back 2h', '<Sandbox.start>']);
    expect(printed).toEqual(['A looks back 1h', 'B looks back 2h']);
    expect(session.view().message).toBe('2 warnings: A looks back 1h; B looks back 2h');
  });

  it('are none without warnings', async () => {
    start.mockRejectedValue(new Error('no sandbox here'));
    const session = new SandboxSession({ warnings: [] });
    const events: unknown[] = [];
    session.subscribe((event) => void (event && events.push(event)));
    await expect(session.start()).rejects.toThrow();
    expect(events).toEqual([]);
    expect(session.view().message).toBeUndefined();
  });
});
