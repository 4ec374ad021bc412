import { spawn, type ChildProcess } from 'node:child_process';
import { closeSync, openSync } from 'node:fs';
import { readProcessIdentity, type ProcessIdentity } from '../process-identity.js';

export interface ProcessSpec {
  name: string;
  command: string;
  args: readonly string[];
  logFile: string;
  cwd?: string;
  env?: NodeJS.ProcessEnv;
}

const live = new Set<ManagedProcess>();
let hooked = false;

/** Kills every supervised process group when the sandbox exits, however it exits. */
function hookExit(): void {
  if (hooked) return;
  hooked = true;
  process.on('exit', () => {
    for (const p of live) p.killGroup('SIGKILL');
  });
}

/**
 * A service run as a child process in its own process group (so that its children go with it), its output
 * in a log file. An unexpected exit is reported.
 */
export class ManagedProcess {
  private child: ChildProcess | undefined;
  private stopping = false;
  /** When the child started (read at once: the clock ticks never change, unlike the command line at exec). */
  private startTicks: number | undefined;

  constructor(
    readonly spec: ProcessSpec,
    private readonly onCrash: (name: string, code: number | null, signal: NodeJS.Signals | null) => void,
  ) {}

  get pid(): number | undefined {
    return this.child?.pid;
  }

  start(): void {
    hookExit();
    const log = openSync(this.spec.logFile, 'a');
    this.stopping = false;
    const child = spawn(this.spec.command, [...this.spec.args], {
      cwd: this.spec.cwd,
      env: this.spec.env ?? process.env,
      detached: true,
      stdio: ['ignore', log, log],
    });
    closeSync(log);
    this.child = child;
    this.startTicks = child.pid === undefined ? undefined : readProcessIdentity(child.pid)?.startTicks;
    live.add(this);
    child.once('exit', (code, signal) => {
      live.delete(this);
      if (!this.stopping) this.onCrash(this.spec.name, code, signal);
    });
    child.once('error', () => undefined);
  }

  /**
   * Its identity for `sandbox down` (call it once the service runs: its command line is final after exec),
   * undefined when the process under its pid is no longer the one spawned.
   */
  identity(): ProcessIdentity | undefined {
    if (!this.running() || this.child?.pid === undefined) return undefined;
    const now = readProcessIdentity(this.child.pid);
    return now && now.startTicks === this.startTicks ? now : undefined;
  }

  running(): boolean {
    return this.child !== undefined && this.child.exitCode === null && this.child.signalCode === null;
  }

  /** SIGTERM to the whole group, SIGKILL after the grace period. */
  async stop(graceMs = 5000): Promise<void> {
    const child = this.child;
    if (!child || !this.running()) return;
    this.stopping = true;
    const exited = new Promise((resolve) => child.once('exit', resolve));
    this.killGroup('SIGTERM');
    const timer = setTimeout(() => this.killGroup('SIGKILL'), graceMs);
    await exited;
    clearTimeout(timer);
  }

  /** Sends a signal to the service itself (SIGHUP: reload its configuration). */
  signal(signal: NodeJS.Signals): void {
    if (this.running()) this.child!.kill(signal);
  }

  killGroup(signal: NodeJS.Signals): void {
    if (this.child?.pid === undefined) return;
    try {
      process.kill(-this.child.pid, signal);
    } catch {
      // Already gone.
    }
  }
}
