import { setImmediate as nextTurn } from 'node:timers/promises';
import type { Simulation } from '../model/simulation.js';

/** Wall time the model may hold the event loop before signals, timers and I/O get their turn. */
export const SLICE_MS = 40;

/** Ticks run between two looks at the wall clock: a tick takes well under a millisecond at sane rates. */
const TICKS_PER_LOOK = 4;

/**
 * Drives the model in slices of wall time, so that however much model time a command asks for, Ctrl-C,
 * SIGTERM and the targets' scrapes are served within about SLICE_MS. The model itself never reads the
 * wall clock: only this adapter does.
 */
export class WorkSlicer {
  private sliceStart = performance.now();

  /** `sliceMs`: the wall time `advance` holds the event loop between two turns of it. */
  constructor(private readonly sliceMs = SLICE_MS) {}

  /** Whether the current slice is used up. */
  get due(): boolean {
    return this.dueAfter(this.sliceMs);
  }

  private dueAfter(sliceMs: number): boolean {
    return performance.now() - this.sliceStart >= sliceMs;
  }

  /** Lets the event loop run, then starts a new slice. */
  async pause(): Promise<void> {
    await nextTurn();
    this.sliceStart = performance.now();
  }

  /** Pauses if the current slice is used up. */
  async pauseIfDue(): Promise<void> {
    if (this.due) await this.pause();
  }

  /** Advances the simulation to `time`, pausing between slices. */
  async advance(simulation: Simulation, time: number): Promise<void> {
    while (!simulation.advanceTowards(time, TICKS_PER_LOOK)) await this.pauseIfDue();
  }

  /**
   * Advances the simulation towards `time` for at most `sliceMs` of wall time from now, without pausing;
   * returns whether it got there (if not, the model lags behind and catches up on the next call).
   */
  advanceForOneSlice(simulation: Simulation, time: number, sliceMs = SLICE_MS): boolean {
    this.sliceStart = performance.now();
    while (!simulation.advanceTowards(time, TICKS_PER_LOOK)) if (this.dueAfter(sliceMs)) return false;
    return true;
  }
}
