import { execFileSync, spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { afterAll } from 'vitest';
import { CLI_ENTRY } from './cli-entry.js';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));

/** Whether tmux can run the terminal tests: in CI (CI=true) a missing tmux fails the file, elsewhere they skip. */
export function requireTmux(): { available: boolean } {
  if (spawnSync('tmux', ['-V']).status === 0) return { available: true };
  if (process.env.CI === 'true') throw new Error('tmux is required in CI for the terminal UI tests');
  console.warn('[tmux] skipping the terminal UI tests: tmux is not installed (apt-get install tmux)');
  return { available: false };
}

const sessions = new Set<string>();
afterAll(() => {
  for (const name of sessions) spawnSync('tmux', ['kill-session', '-t', name]);
});

/** A command in a detached tmux session of a fixed size: a real terminal whose screen can be read and typed into. */
export class TmuxTerminal {
  private constructor(readonly name: string) {}

  static start(args: readonly string[], env: Record<string, string>, columns = 100, rows = 30): TmuxTerminal {
    const name = `obs-sandbox-test-${process.pid}-${sessions.size}`;
    // As in a user's terminal: with CI set, the CLI prints plain lines instead of the UI.
    const command = [
      'env',
      '-u',
      'CI',
      '-u',
      'CONTINUOUS_INTEGRATION',
      process.execPath,
      ...CLI_ENTRY,
      ...args,
    ]
      .map((a) => `'${a.replaceAll("'", "'\\''")}'`)
      .join(' ');
    const envArgs = Object.entries(env).flatMap(([k, v]) => ['-e', `${k}=${v}`]);
    execFileSync('tmux', [
      'new-session',
      '-d',
      '-s',
      name,
      '-x',
      String(columns),
      '-y',
      String(rows),
      '-c',
      ROOT,
      ...envArgs,
      `${command}; echo "[exit $?]"; sleep 600`,
    ]);
    sessions.add(name);
    return new TmuxTerminal(name);
  }

  /** The screen as text, one string per row. */
  screen(): string {
    return execFileSync('tmux', ['capture-pane', '-p', '-t', this.name], { encoding: 'utf8' });
  }

  /** tmux key names: 'Enter', 'Tab', 'Up', 'q', ...; one at a time, as typed (not as one pasted chunk). */
  async press(...keys: string[]): Promise<void> {
    for (const key of keys) {
      execFileSync('tmux', ['send-keys', '-t', this.name, key]);
      await new Promise((r) => setTimeout(r, 150));
    }
  }

  async waitFor(pattern: RegExp, timeoutMs = 30_000): Promise<string> {
    const deadline = Date.now() + timeoutMs;
    let screen = '';
    while (Date.now() < deadline) {
      screen = this.screen();
      if (pattern.test(screen)) return screen;
      await new Promise((r) => setTimeout(r, 200));
    }
    throw new Error(`timed out after ${timeoutMs} ms waiting for ${pattern} on the screen:\n${screen}`);
  }

  kill(): void {
    spawnSync('tmux', ['kill-session', '-t', this.name]);
    sessions.delete(this.name);
  }
}
