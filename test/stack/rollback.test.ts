/** A start's rollback: undone in reverse, on failure and on an interruption (a signal) mid-step. */
import { describe, expect, it, vi } from 'vitest';
import { Rollback } from '../../sandbox/stack/rollback.js';

const tick = () => new Promise((resolve) => setTimeout(resolve, 5));

describe('Rollback', () => {
  it('undoes every step done, last first, even when one undo fails', async () => {
    const rollback = new Rollback();
    const undone: string[] = [];
    const reports: string[] = [];
    await rollback.step(
      'a',
      async () => 'A',
      (r) => void undone.push(r),
    );
    await rollback.step(
      'b',
      async () => 'B',
      () => {
        throw new Error('gone already');
      },
    );
    await rollback.step(
      'c',
      async () => 'C',
      (r) => void undone.push(r),
    );
    await rollback.unwind((m) => reports.push(m));
    expect(undone).toEqual(['C', 'A']);
    expect(reports).toEqual(['could not undo "b": gone already']);
    await rollback.unwind();
    expect(undone).toEqual(['C', 'A']);
  });

  it('on an interruption, waits for the step under way, undoes it and the earlier ones in reverse', async () => {
    const rollback = new Rollback();
    const undone: string[] = [];
    await rollback.step(
      'first',
      async () => 'first',
      (r) => void undone.push(r),
    );
    let finish!: () => void;
    const settled: string[] = [];
    void rollback
      .step(
        'slow',
        () => new Promise<string>((resolve) => (finish = () => resolve('slow'))),
        (r) => void undone.push(r),
      )
      .then(() => settled.push('slow'));
    const interrupted = rollback.interrupt();
    await tick();
    expect(undone).toEqual([]);
    finish();
    await interrupted;
    expect(undone).toEqual(['slow', 'first']);
    // The interrupted start neither goes on nor fails: the process is exiting.
    let ran = false;
    void rollback.step('next', async () => (ran = true)).then(() => settled.push('next'));
    await tick();
    expect(ran).toBe(false);
    expect(settled).toEqual([]);
  });

  it('on an interruption, stops waiting for a long step after a moment, and undoes it once it ends', async () => {
    const rollback = new Rollback();
    const undone: string[] = [];
    await rollback.step(
      'first',
      async () => 'first',
      (r) => void undone.push(r),
    );
    let finish!: () => void;
    void rollback.step(
      'simulate hours of history',
      () => new Promise<string>((resolve) => (finish = () => resolve('long'))),
      (r) => void undone.push(r),
    );
    const began = performance.now();
    await rollback.interrupt(undefined, 50);
    expect(performance.now() - began).toBeLessThan(5_000);
    expect(undone).toEqual(['first']);
    finish();
    await tick();
    await tick();
    expect(undone).toEqual(['first', 'long']);
  });

  it('on an interruption, waits a tenth of a second at most for a step under way (a signal has a second in all)', async () => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] });
    // Everything the unwinding awaits that is not a timer settles before a real setImmediate.
    const settle = () => new Promise((resolve) => setImmediate(resolve));
    try {
      const rollback = new Rollback();
      const undone: string[] = [];
      await rollback.step(
        'first',
        async () => 'first',
        (r) => void undone.push(r),
      );
      void rollback.step('start the services', () => new Promise<string>(() => undefined));
      let done = false;
      const interrupted = rollback.interrupt().then(() => (done = true));
      await vi.advanceTimersByTimeAsync(99);
      await settle();
      expect({ done, undone }).toEqual({ done: false, undone: [] });
      await vi.advanceTimersByTimeAsync(1);
      await settle();
      expect({ done, undone }).toEqual({ done: true, undone: ['first'] });
      await interrupted;
    } finally {
      vi.useRealTimers();
    }
  });

  it('on an interruption, a step under way that fails does not fail the start', async () => {
    const rollback = new Rollback();
    const outcome: string[] = [];
    let fail!: () => void;
    void rollback
      .step('failing', () => new Promise<void>((_, reject) => (fail = () => reject(new Error('killed')))))
      .then(
        () => outcome.push('resolved'),
        () => outcome.push('rejected'),
      );
    const interrupted = rollback.interrupt();
    fail();
    await interrupted;
    await tick();
    expect(outcome).toEqual([]);
  });
});
