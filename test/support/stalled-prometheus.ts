import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/**
 * A Prometheus that never becomes ready: it answers `--version` as the real one does, then runs with the
 * arguments it was given (its command line names the state directory, as the real one's does) and opens no
 * port. A start that launches it stays in its "services start" step until a signal undoes it: a test that
 * signals "while the services start" is then sure to, where the real Prometheus, ready in a fraction of a
 * second, could already have let the start finish.
 */
export function stalledPrometheus(realPath: string): {
  env: Record<string, string>;
  /** Its processes (under the state directory given), once launched. */
  marker: string;
  remove: () => void;
} {
  const dir = mkdtempSync(join(tmpdir(), 'obs-sandbox-stalled-'));
  const path = join(dir, 'prometheus-stalled');
  writeFileSync(
    path,
    [
      `#!${process.execPath}`,
      `if (process.argv.includes('--version')) {`,
      `  process.stdout.write(require('node:child_process').execFileSync(${JSON.stringify(realPath)}, ['--version']));`,
      `} else setInterval(() => undefined, 60_000);`,
      '',
    ].join('\n'),
    { mode: 0o755 },
  );
  return {
    env: { OBS_SANDBOX_PROMETHEUS_PATH: path },
    marker: 'prometheus-stalled',
    remove: () => rmSync(dir, { recursive: true, force: true }),
  };
}
