import { onSignals } from '../cleanup.js';

/**
 * Runs `stop` once on SIGINT, SIGTERM or SIGHUP and exits when it is done; a second signal exits at once. Returns
 * a function that removes the handlers.
 */
export function onShutdown(
  stop: (signal: NodeJS.Signals) => Promise<void>,
  log: (line: string) => void,
): () => void {
  let stopping = false;
  const handler = (signal: NodeJS.Signals) => {
    if (stopping) {
      log(`received ${signal} again; exiting without cleanup`);
      process.exit(130);
    }
    stopping = true;
    stop(signal).then(
      () => process.exit(0),
      (error: unknown) => {
        log(`error while stopping: ${error instanceof Error ? error.message : String(error)}`);
        process.exit(1);
      },
    );
  };
  return onSignals(handler);
}
