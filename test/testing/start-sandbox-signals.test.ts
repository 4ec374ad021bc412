/**
 * startSandbox's signal handling and teardown, around a fake Sandbox: a shutdown signal at any moment of the
 * start is handled (never dropped between one handler and the next), the handle stops once however often it
 * is asked to, and `await using` stops it when the block throws.
 */
import { existsSync } from 'node:fs';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';

const start = vi.fn();
vi.mock('../../sandbox/stack/sandbox-stack.js', () => ({ Sandbox: { start } }));
vi.mock('../../sandbox/stack/choose-runtime.js', () => ({ chooseRuntime: async () => 'native' }));
vi.mock('../../sandbox/stack/reaper.js', () => ({ startReaper: () => () => undefined }));
vi.mock('../../sandbox/testing/sandbox-options.js', () => ({
  startOptionsOf: async () => ({ forScale: 1 }),
}));
let port = 20_000;
vi.mock('../../sandbox/testing/free-port.js', () => ({ freePort: async () => port++ }));

const SIGNALS = ['SIGINT', 'SIGTERM', 'SIGHUP'] as const;

/** A sandbox as startSandbox sees it: Prometheus and Alertmanager run; the rules load when `rules` settles. */
function fakeSandbox(rules: Promise<void> = Promise.resolve()) {
  let stopRules = () => undefined as void;
  const rulesLoaded = new Promise<void>((resolve, reject) => {
    rules.then(resolve, reject);
    stopRules = () => reject(new Error('the sandbox stopped before its alert rules were loaded'));
  });
  rulesLoaded.catch(() => undefined);
  return {
    rulesLoaded,
    stop: vi.fn(async () => stopRules()),
    stack: { running: () => true, services: () => [], service: () => undefined, statuses: new Map() },
    control: { setForScale: vi.fn() },
  };
}

/** Whether `check` holds within `ms` (polled on timers, so that the event loop reads the signals meanwhile). */
async function within(ms: number, check: () => boolean): Promise<boolean> {
  const deadline = Date.now() + ms;
  while (!check()) {
    if (Date.now() > deadline) return false;
    await new Promise((r) => setTimeout(r, 10));
  }
  return true;
}

const stateDirOf = () => (start.mock.calls[0]![0] as { stateDir: string }).stateDir;

let exit: ReturnType<typeof vi.spyOn>;
let saved: Map<string, NodeJS.SignalsListener[]>;
/** The moments a shutdown signal had no listener left (Node then drops one already caught). */
let unguarded: string[];
const noteUnguarded = (event: string | symbol) => {
  if (SIGNALS.includes(event as never) && process.listenerCount(event) === 0) unguarded.push(String(event));
};

beforeEach(() => {
  // A fresh cleanup.js each time: a signal leaves its handler installed (a second signal exits at once).
  vi.resetModules();
  start.mockReset();
  // The worker's own listeners would keep Node's signal watchers alive and hide a drop: this process is a
  // test process with none of its own.
  saved = new Map(SIGNALS.map((s) => [s, process.listeners(s)]));
  for (const s of SIGNALS) process.removeAllListeners(s);
  exit = vi.spyOn(process, 'exit').mockImplementation((() => undefined) as never);
  unguarded = [];
  process.on('removeListener', noteUnguarded);
});

afterEach(() => {
  process.off('removeListener', noteUnguarded);
  exit.mockRestore();
  for (const s of SIGNALS) {
    process.removeAllListeners(s);
    for (const listener of saved.get(s)!) process.on(s, listener);
  }
});

const startSandbox = async () => (await import('../../sandbox/testing/start-sandbox.js')).startSandbox;

describe('startSandbox and a shutdown signal', () => {
  it.each([
    ['SIGTERM', 143],
    ['SIGINT', 130],
  ] as const)('a %s caught as the sandbox becomes ready stops it and exits with %i', async (signal, code) => {
    const sandbox = fakeSandbox();
    start.mockImplementation(async () => {
      // Caught now, dispatched once the event loop next polls: after startSandbox has moved on.
      process.kill(process.pid, signal);
      return sandbox;
    });
    await (
      await startSandbox()
    )({});
    expect(await within(1_000, () => exit.mock.calls.length > 0)).toBe(true);
    expect(exit.mock.calls).toEqual([[code]]);
    expect(sandbox.stop).toHaveBeenCalledTimes(1);
    expect(existsSync(stateDirOf())).toBe(false);
  });

  it('always has a listener for every shutdown signal, from the call until the sandbox is stopped', async () => {
    let resolveRules!: () => void;
    const sandbox = fakeSandbox(new Promise((resolve) => (resolveRules = resolve)));
    start.mockResolvedValue(sandbox);
    const starting = (await startSandbox())({});
    await within(1_000, () => start.mock.calls.length > 0);
    resolveRules();
    const handle = await starting;
    expect(unguarded).toEqual([]);
    await handle.stop();
    expect(SIGNALS.map((s) => process.listenerCount(s))).toEqual([0, 0, 0]);
  });

  it('a signal while the rules load stops the sandbox once, exits, and fails the start', async () => {
    const sandbox = fakeSandbox(new Promise(() => undefined));
    start.mockResolvedValue(sandbox);
    const starting = (await startSandbox())({});
    starting.catch(() => undefined);
    await within(1_000, () => start.mock.calls.length > 0);
    process.kill(process.pid, 'SIGTERM');
    expect(await within(1_000, () => exit.mock.calls.length > 0)).toBe(true);
    expect(exit.mock.calls).toEqual([[143]]);
    await expect(starting).rejects.toThrow(/stopped before its alert rules were loaded/);
    expect(sandbox.stop).toHaveBeenCalledTimes(1);
    expect(existsSync(stateDirOf())).toBe(false);
  });

  it('a start that fails removes its state directory and every signal listener', async () => {
    start.mockRejectedValue(new Error('no Prometheus'));
    await expect((await startSandbox())({})).rejects.toThrow('no Prometheus');
    expect(existsSync(stateDirOf())).toBe(false);
    expect(SIGNALS.map((s) => process.listenerCount(s))).toEqual([0, 0, 0]);
  });
});

describe('stopping a test sandbox', () => {
  it('stops once when stop() is called twice, both calls waiting for the same end', async () => {
    const sandbox = fakeSandbox();
    start.mockResolvedValue(sandbox);
    const handle = await (await startSandbox())({});
    const [first, second] = [handle.stop(), handle.stop()];
    expect(second).toBe(first);
    await Promise.all([first, second, handle.stop()]);
    expect(sandbox.stop).toHaveBeenCalledTimes(1);
    expect(existsSync(stateDirOf())).toBe(false);
    expect(SIGNALS.map((s) => process.listenerCount(s))).toEqual([0, 0, 0]);
  });

  it('`await using` stops it when the block throws, and the error is what comes out', async () => {
    const sandbox = fakeSandbox();
    start.mockResolvedValue(sandbox);
    const run = await startSandbox();
    const block = async () => {
      await using handle = await run({});
      expect(handle.sandbox).toBe(sandbox);
      throw new Error('the test failed');
    };
    await expect(block()).rejects.toThrow('the test failed');
    expect(sandbox.stop).toHaveBeenCalledTimes(1);
    expect(existsSync(stateDirOf())).toBe(false);
    expect(SIGNALS.map((s) => process.listenerCount(s))).toEqual([0, 0, 0]);
  });

  it('a signal during stop() waits for that stop and exits, without stopping twice', async () => {
    let finish!: () => void;
    const sandbox = fakeSandbox();
    sandbox.stop.mockImplementation(() => new Promise<void>((resolve) => (finish = resolve)));
    start.mockResolvedValue(sandbox);
    const handle = await (await startSandbox())({});
    const stopping = handle.stop();
    process.kill(process.pid, 'SIGINT');
    await new Promise((r) => setTimeout(r, 50));
    expect(exit).not.toHaveBeenCalled();
    finish();
    await stopping;
    expect(await within(1_000, () => exit.mock.calls.length > 0)).toBe(true);
    expect(exit.mock.calls).toEqual([[130]]);
    expect(sandbox.stop).toHaveBeenCalledTimes(1);
  });
});
