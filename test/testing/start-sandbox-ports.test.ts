/**
 * startSandbox chooses every port free, and another program may take one before its service binds it: a start
 * that fails on a port in use is tried again on fresh ports, a few times, and any other failure is not.
 * Around a fake Sandbox.
 */
import { describe, expect, it, vi } from 'vitest';
import { PortInUseError } from '../../sandbox/stack/native/native-stack.js';

const start = vi.fn();
vi.mock('../../sandbox/stack/sandbox-stack.js', () => ({ Sandbox: { start } }));
vi.mock('../../sandbox/stack/choose-runtime.js', () => ({ chooseRuntime: async () => 'native' }));
vi.mock('../../sandbox/stack/reaper.js', () => ({ startReaper: () => () => undefined }));
let port = 22_000;
vi.mock('../../sandbox/testing/free-port.js', () => ({ freePort: async () => port++ }));

const { startSandbox } = await import('../../sandbox/testing/start-sandbox.js');

/** The Prometheus port of each Sandbox.start call, each call failing as `failures` says in turn. */
async function attempts(failures: Error[]): Promise<{ ports: number[]; error: unknown }> {
  const ports: number[] = [];
  start.mockReset();
  start.mockImplementation(async (options: { ports: Record<string, Record<string, number>> }) => {
    ports.push(options.ports.prometheus!.http!);
    throw failures[ports.length - 1] ?? new Error('no more failures given');
  });
  const error = await startSandbox({ history: '0' }).catch((e: unknown) => e);
  return { ports, error };
}

describe('startSandbox on ports taken after they were chosen', () => {
  it('tries again on fresh ports when a port is in use', async () => {
    const last = new Error('no sandbox here');
    const { ports, error } = await attempts([
      new PortInUseError('port 1 in use'),
      new PortInUseError('port 2 in use'),
      last,
    ]);
    expect(error).toBe(last);
    expect(ports).toHaveLength(3);
    expect(new Set(ports).size).toBe(3);
  });

  it('gives up after three tries, with the last refusal', async () => {
    const third = new PortInUseError('port 3 in use');
    const { ports, error } = await attempts([
      new PortInUseError('port 1 in use'),
      new PortInUseError('port 2 in use'),
      third,
    ]);
    expect(error).toBe(third);
    expect(ports).toHaveLength(3);
  });

  it('does not try again on any other failure', async () => {
    const other = new Error('no sandbox here');
    const { ports, error } = await attempts([other]);
    expect(error).toBe(other);
    expect(ports).toHaveLength(1);
  });
});
