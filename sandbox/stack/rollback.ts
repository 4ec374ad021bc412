/**
 * What a start has done so far, each with how to undo it: on failure everything is undone in reverse, each
 * undo attempted even when an earlier one fails.
 */
export class Rollback {
  private readonly undo: { step: string; run: () => Promise<unknown> | unknown }[] = [];

  /** Runs a named step; `undo` (given what it returned) takes it back. */
  async step<T>(
    step: string,
    run: () => Promise<T>,
    undo?: (result: T) => Promise<unknown> | unknown,
  ): Promise<T> {
    const result = await run();
    if (undo) this.undo.push({ step, run: () => undo(result) });
    return result;
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
}
