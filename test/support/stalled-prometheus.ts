import { fileURLToPath } from 'node:url';

const STAND_IN = fileURLToPath(new URL('../fixtures/bin/prometheus-stalled', import.meta.url));

/**
 * A Prometheus that never becomes ready (test/fixtures/bin/prometheus-stalled): it answers `--version` as the
 * real one does, then runs with the arguments it was given (its command line names the state directory, as
 * the real one's does) and opens no port. A start that launches it stays in its "services start" step until
 * a signal undoes it: a test that signals "while the services start" is then sure to, where the real
 * Prometheus, ready in a fraction of a second, could already have let the start finish.
 */
export function stalledPrometheus(realPath: string): { env: Record<string, string>; marker: string } {
  return {
    env: { OBS_SANDBOX_PROMETHEUS_PATH: STAND_IN, STALLED_PROMETHEUS_REAL: realPath },
    marker: 'prometheus-stalled',
  };
}
