import { spawn, type ChildProcess } from 'node:child_process';
import { rmSync } from 'node:fs';
import { constants } from 'node:os';

const tempDirs = new Set<string>();
const children = new Set<ChildProcess>();
let installed = false;

function install(): void {
  if (installed) return;
  installed = true;
  // 'exit' handlers must be synchronous: remove what is left, kill what still runs.
  process.on('exit', () => {
    for (const child of children) child.kill('SIGKILL');
    for (const dir of tempDirs) rmSync(dir, { recursive: true, force: true });
  });
}

/** Removes the file or directory when the process exits, however it exits (unless it is untracked first). */
export function removeOnExit(dir: string): () => void {
  install();
  tempDirs.add(dir);
  return () => tempDirs.delete(dir);
}

/** Kills the child when the process exits before the child does. */
export function trackChild(child: ChildProcess): void {
  install();
  children.add(child);
  child.once('exit', () => children.delete(child));
}

/** The signals that end a command: Ctrl-C, `kill`, and the terminal being closed. */
export const SHUTDOWN_SIGNALS: readonly NodeJS.Signals[] = ['SIGINT', 'SIGTERM', 'SIGHUP'];

/** The shell's exit status for a death by this signal (130 for SIGINT). */
export const signalExitCode = (signal: NodeJS.Signals) => 128 + (constants.signals[signal] ?? 0);

/** Calls `handler` on any shutdown signal; returns a function that removes it. */
export function onSignals(handler: (signal: NodeJS.Signals) => void): () => void {
  for (const signal of SHUTDOWN_SIGNALS) process.on(signal, handler);
  return () => {
    for (const signal of SHUTDOWN_SIGNALS) process.off(signal, handler);
  };
}

/**
 * For commands without their own shutdown: a signal exits at once, running the exit cleanup, unless
 * something registered with unwindOnSignals is to be undone first (that handler exits when it is).
 */
export function exitOnSignals(): () => void {
  return onSignals((signal) => {
    if (unwinds.size === 0 && !unwinding) process.exit(signalExitCode(signal));
  });
}

const unwinds = new Set<(signal: NodeJS.Signals) => Promise<unknown>>();
let unwinding = false;
let removeUnwindHandler: (() => void) | undefined;
/** How long a signal waits for the undoing before it exits anyway (the exit hooks still run). */
const UNWIND_TIMEOUT_MS = 30_000;

function unwindThenExit(signal: NodeJS.Signals): void {
  if (unwinding) process.exit(signalExitCode(signal));
  unwinding = true;
  const timeout = new Promise((resolve) => setTimeout(resolve, UNWIND_TIMEOUT_MS).unref());
  const undone = Promise.allSettled([...unwinds].map((undo) => undo(signal)));
  void Promise.race([undone, timeout]).then(() => process.exit(signalExitCode(signal)));
}

/**
 * Until the returned function is called, a shutdown signal first runs `undo` (with every other one
 * registered, for at most 30 s) and then exits with the signal's status; a second signal exits at once.
 * The exit hooks run either way, for what the undoing did not reach.
 */
export function unwindOnSignals(undo: (signal: NodeJS.Signals) => Promise<unknown>): () => void {
  unwinds.add(undo);
  removeUnwindHandler ??= onSignals(unwindThenExit);
  return () => {
    unwinds.delete(undo);
    // While unwinding, the handler stays: a second signal exits at once.
    if (unwinds.size > 0 || unwinding) return;
    removeUnwindHandler?.();
    removeUnwindHandler = undefined;
  };
}

const dockerRuns = new Set<string>();
/** When the detached reaper sweeps a Docker run's objects, in ms after this process exited. */
const DOCKER_SWEEPS_MS = [1_000, 3_000, 8_000];

/**
 * Removes the containers and networks of the given runs with the docker CLI, after a moment: it runs
 * detached, after this process has exited (see trackDockerRun). It sweeps again later: a request this
 * process sent just before it exited (a network or container being created) may be carried out by a busy
 * engine seconds afterwards, when one sweep would already have found nothing (seen in CI: a network created
 * after its run had been unwound, never removed).
 */
const REAPER = `
const { spawnSync } = require('node:child_process');
const list = (args) => (spawnSync('docker', args, { encoding: 'utf8' }).stdout || '').split('\\n').filter(Boolean);
const sweep = () => {
  for (const run of process.argv.slice(1)) {
    const filter = 'label=org.obs-sandbox.run=' + run;
    for (let pass = 0; pass < 2; pass++) {
      const ids = list(['ps', '-aq', '--filter', filter]);
      if (ids.length) spawnSync('docker', ['rm', '-f', ...ids], { stdio: 'ignore' });
    }
    const networks = list(['network', 'ls', '-q', '--filter', filter]);
    if (networks.length) spawnSync('docker', ['network', 'rm', ...networks], { stdio: 'ignore' });
  }
};
for (const ms of ${JSON.stringify(DOCKER_SWEEPS_MS)}) setTimeout(sweep, ms);
`;

/**
 * Removes the containers and network of a Docker run when the process exits before stopping them. Like
 * Testcontainers' Ryuk, the removal outlives this process: a detached reaper does it, because while this
 * process is still exiting its open connections (a copy into a container half done) can keep the engine
 * from removing the container, and a container whose creation was under way appears only afterwards.
 * `sandbox down` covers a crash of the CLI too.
 */
export function trackDockerRun(runId: string): () => void {
  install();
  if (dockerRuns.size === 0) {
    process.on('exit', () => {
      if (dockerRuns.size === 0) return;
      spawn(process.execPath, ['-e', REAPER, ...dockerRuns], { detached: true, stdio: 'ignore' }).unref();
    });
  }
  dockerRuns.add(runId);
  return () => dockerRuns.delete(runId);
}
