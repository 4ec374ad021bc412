// Node's typings give each process event its own overload; the generic emitter's methods take them all.
const emitter: NodeJS.EventEmitter = process;

export type ListenerSnapshot = ReadonlyMap<string, readonly unknown[]>;

/** The process' listeners of these events now, to undo what a test file adds (undoListenersSince). */
export function listenersNow(events: readonly string[]): ListenerSnapshot {
  return new Map(events.map((event) => [event, emitter.listeners(event)]));
}

/**
 * Removes the listeners added since the snapshot. The exit hooks among them (sandbox/cleanup.ts: kill the
 * children it tracks, remove its temporary directories, start the Docker run reaper) are run first, as the
 * file's own process exiting would have run them.
 */
export function undoListenersSince(before: ListenerSnapshot): void {
  const failures: unknown[] = [];
  for (const [event, listeners] of before) {
    for (const listener of emitter.listeners(event)) {
      if (listeners.includes(listener)) continue;
      emitter.off(event, listener as (...args: unknown[]) => void);
      if (event !== 'exit') continue;
      try {
        (listener as (code: number) => void)(0);
      } catch (error) {
        failures.push(error);
      }
    }
  }
  if (failures.length > 0) throw new AggregateError(failures, "the file's exit hooks failed");
}
