/** Where a running sandbox's alert rules are: loaded after Prometheus' first scrapes, which come after `ready`. */
export type RulesState = 'loading' | 'loaded' | 'failed';

/**
 * The alert rules of a running sandbox, loading in the background: `ready` does not wait for Prometheus'
 * first scrapes, but everything that judges alerts waits for `loaded`. `stop()` ends the loading at once.
 */
export class RulesLoading {
  private current: RulesState = 'loading';
  private begun = false;
  private readonly abort = new AbortController();
  private settle!: { resolve: () => void; reject: (error: Error) => void };
  /** Resolves once Prometheus has loaded the rules; rejects when it could not (or when stopped first). */
  readonly loaded = new Promise<void>((resolve, reject) => (this.settle = { resolve, reject }));

  constructor() {
    // Whoever judges alerts awaits it; a failure nobody awaits yet must not end the process.
    this.loaded.catch(() => undefined);
  }

  get state(): RulesState {
    return this.current;
  }

  /**
   * `load` waits for the first scrapes and loads the rules (none: there are no rules, `loaded` at once);
   * `onLoaded` runs before `loaded` resolves (the state file says so first).
   */
  begin(
    load: ((signal: AbortSignal) => Promise<void>) | undefined,
    onLoaded: () => Promise<void> = async () => undefined,
  ): void {
    const { signal } = this.abort;
    this.begun = true;
    if (!load || signal.aborted) return this.end(signal.aborted ? undefined : 'loaded');
    load(signal)
      .then(async () => {
        signal.throwIfAborted();
        await onLoaded();
        this.end('loaded');
      })
      .catch((error: unknown) => this.end(undefined, error as Error));
  }

  /** Ends the loading if it still runs, and waits for it to settle. */
  async stop(): Promise<void> {
    this.abort.abort();
    if (!this.begun) this.end();
    await this.loaded.catch(() => undefined);
  }

  private end(state?: 'loaded', error?: Error): void {
    if (state === 'loaded') {
      this.current = 'loaded';
      this.settle.resolve();
      return;
    }
    this.current = 'failed';
    this.settle.reject(
      this.abort.signal.aborted || !error
        ? new Error('the sandbox stopped before its alert rules were loaded')
        : error,
    );
  }
}
