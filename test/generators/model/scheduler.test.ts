import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { Scheduler } from '../../../generators/model/scheduler.js';

describe('Scheduler', () => {
  it('runs events in time order, ties in the order they were scheduled', () => {
    fc.assert(
      fc.property(fc.array(fc.integer({ min: 0, max: 20 }), { maxLength: 60 }), (times) => {
        const scheduler = new Scheduler();
        const ran: { at: number; id: number }[] = [];
        times.forEach((at, id) => scheduler.schedule(at, (when) => ran.push({ at: when, id })));
        scheduler.runUntil(20);
        const expected = times.map((at, id) => ({ at, id })).sort((a, b) => a.at - b.at || a.id - b.id);
        expect(ran).toEqual(expected);
        expect(scheduler.size).toBe(0);
      }),
    );
  });

  it('stops at the given time and keeps later events for the next call', () => {
    const scheduler = new Scheduler();
    const ran: number[] = [];
    for (const at of [5, 10, 15]) scheduler.schedule(at, (when) => ran.push(when));
    scheduler.runUntil(10);
    expect(ran).toEqual([5, 10]);
    expect(scheduler.size).toBe(1);
    scheduler.runUntil(9);
    expect(ran).toEqual([5, 10]);
    scheduler.runUntil(15);
    expect(ran).toEqual([5, 10, 15]);
  });

  it('runs events that events schedule, when they fall due in the same call', () => {
    const scheduler = new Scheduler();
    const ran: number[] = [];
    const tick = (at: number) => {
      ran.push(at);
      scheduler.schedule(at + 3, tick);
    };
    scheduler.schedule(0, tick);
    scheduler.runUntil(10);
    expect(ran).toEqual([0, 3, 6, 9]);
    expect(scheduler.size).toBe(1);
  });
});
