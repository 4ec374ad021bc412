/**
 * What a start has done so far, each with how to undo it: on failure (or a signal) everything is undone in
 * reverse, each undo attempted even when an earlier one fails.
 */
export class Rollback {
  private readonly undo: { step: string; run: () => Promise<unknown> | unknown }[] = [];
  private interrupted = false;
  private unwound = false;
  /** The step under way, settled either way. */
  private current: Promise<unknown> = Promise.resolve();

  /**
   * Runs a named step; `undo` (given what it returned) takes it back. Once interrupted, a step never
   * settles: the process is exiting, and the start must neither go on nor report a failure of its own.
   */
  async step<T>(
    step: string,
    run: () => Promise<T>,
    undo?: (result: T) => Promise<unknown> | unknown,
  ): Promise<T> {
    if (this.interrupted) return never();
    const running = run();
    this.current = running.catch(() => undefined);
    let result: T;
    try {
      result = await running;
    } catch (error) {
      if (this.interrupted) return never();
      throw error;
    }
    if (undo && this.unwound) {
      // Finished after an interruption stopped waiting for it: undone at once, as the unwinding would have.
      await Promise.resolve()
        .then(() => undo(result))
        .catch(() => undefined);
    } else if (undo) this.undo.push({ step, run: () => undo(result) });
    return this.interrupted ? never() : result;
  }

  /** Undoes every step done, last first; one that fails is reported, and the next still runs. */
  async unwind(report?: (message: string) => void): Promise<void> {
    for (const { step, run } of this.undo.splice(0).reverse()) {
      try {
        await run();
      } catch (error) {
        report?.(`could not undo "${step}": ${(error as Error).message}`);
      }
    }
  }

  /**
   * Stops the start: waits for the step under way to end, then undoes it and every earlier one. The wait is
   * short (`waitMs`), enough for a quick step (a file, a listening socket) on a loaded machine: a long one,
   * such as starting the services or simulating hours of history, must not hold up Ctrl-C, which has a
   * second in all. What such a step makes afterwards is undone as it ends (see `step`), or, once the
   * process has exited, removed by the exit hooks it registers.
   */
  async interrupt(report?: (message: string) => void, waitMs = 100): Promise<void> {
    this.interrupted = true;
    let timer: NodeJS.Timeout | undefined;
    const waited = new Promise((resolve) => (timer = setTimeout(resolve, waitMs)));
    await Promise.race([this.current, waited]);
    clearTimeout(timer);
    this.unwound = true;
    await this.unwind(report);
  }
}

const never = <T>() => new Promise<T>(() => undefined);
