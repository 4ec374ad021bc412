import { mkdir, readdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { removeOnExit } from '../cleanup.js';
import { processRuns } from '../process-runs.js';
import type { ServiceStatus } from './native/native-stack.js';
import { identityMismatch, type ProcessIdentity } from './process-identity.js';
import type { RunDirIdentity } from './run-dir.js';

/**
 * What `sandbox status` and `sandbox down` need from another terminal. Holds secrets (the Grafana password,
 * the webhook's secret path, the control token): mode 0600, and never printed whole (see `publicState`).
 * Written before the sandbox creates anything (phase `starting`), again as each service runs, and once
 * it is ready (`running`), so that `down` finds what a killed start-up left.
 */
export interface SandboxState {
  phase: 'starting' | 'running';
  pid: number;
  /** The sandbox process itself, so that `down` never signals another process that got its pid. */
  process?: ProcessIdentity;
  startedAt: string;
  runtime: 'native' | 'docker';
  dataDir: string;
  /** The run directory's identity (marker id, device and inode): `down` removes only what still matches. */
  run?: RunDirIdentity;
  grafana: { user: string; password: string };
  services: ServiceStatus[];
  generators: { job: string; url: string }[];
  /** Where Alertmanager posts notifications; the path holds a secret. */
  webhookUrl?: string;
  /** The control API live replay uses from another terminal (127.0.0.1; the token authorises). */
  control?: { url: string; token: string };
  /** Once running: whether Prometheus has loaded the alert rules yet (after its first scrapes). */
  rules?: 'loading' | 'loaded';
}

/** What may be printed (CI logs keep stdout): no token, no secret path, no process identities. */
export interface PublicSandboxState {
  phase: SandboxState['phase'];
  pid: number;
  startedAt: string;
  runtime: SandboxState['runtime'];
  dataDir: string;
  grafana: SandboxState['grafana'];
  services: Omit<ServiceStatus, 'process'>[];
  generators: SandboxState['generators'];
  control?: { url: string };
  rules?: SandboxState['rules'];
  stateFile: string;
}

/** `dir`: the state directory the sandbox runs in (default: `stateDir()`). */
export function publicState(state: SandboxState, dir = stateDir()): PublicSandboxState {
  return {
    phase: state.phase,
    pid: state.pid,
    startedAt: state.startedAt,
    runtime: state.runtime,
    dataDir: state.dataDir,
    grafana: state.grafana,
    services: state.services.map(({ process: _identity, ...status }) => status),
    generators: state.generators,
    ...(state.control && { control: { url: state.control.url } }),
    ...(state.rules && { rules: state.rules }),
    stateFile: stateFile(dir),
  };
}

/**
 * The CLI's state directory, from the environment. The functions below take the directory itself, so that
 * one process can run sandboxes in several (startSandbox); they default to this one.
 */
export function stateDir(env: NodeJS.ProcessEnv = process.env): string {
  return (
    env.OBS_SANDBOX_STATE_DIR ?? join(env.XDG_STATE_HOME ?? join(homedir(), '.local', 'state'), 'obs-sandbox')
  );
}

export const stateFile = (dir = stateDir()) => join(dir, 'state.json');

/** Written to a temporary name with mode 0600 and renamed, so a reader never sees half a file. */
export async function writeState(state: SandboxState, dir = stateDir()): Promise<void> {
  await mkdir(dir, { recursive: true, mode: 0o700 });
  const temporary = `${stateFile(dir)}.${process.pid}.tmp`;
  // A signal may end the process between the write and the rename: the temporary file goes with it.
  const untrack = removeOnExit(temporary);
  try {
    await writeFile(temporary, `${JSON.stringify(state, null, 2)}\n`, { mode: 0o600 });
    await rename(temporary, stateFile(dir));
  } finally {
    untrack();
  }
}

export async function readState(dir = stateDir()): Promise<SandboxState | undefined> {
  try {
    const state = JSON.parse(await readFile(stateFile(dir), 'utf8')) as SandboxState;
    // A state file from before phases was written once the sandbox ran.
    return { ...state, phase: state.phase ?? 'running', services: state.services ?? [] };
  } catch {
    return undefined;
  }
}

/** A state file's temporary name, `state.json.<pid>.tmp`, with the pid of the process that wrote it. */
const TEMPORARY_STATE = /^state\.json\.(\d+)\.tmp$/;

/**
 * Removes the state file, and the temporary ones left by a writer that was killed between its write and its
 * rename (a SIGKILL runs no exit hook); a temporary file of a process that still runs is its own.
 */
export async function removeState(dir = stateDir()): Promise<void> {
  await rm(stateFile(dir), { force: true });
  const names = await readdir(dir).catch(() => [] as string[]);
  for (const name of names) {
    const pid = TEMPORARY_STATE.exec(name)?.[1];
    if (pid !== undefined && !processRuns(Number(pid))) await rm(join(dir, name), { force: true });
  }
}

/** Whether the sandbox process the state names still runs (the same process, not one that got its pid). */
export function sandboxAlive(state: SandboxState): boolean {
  if (state.process) return identityMismatch(state.process) === undefined;
  return processAlive(state.pid);
}

/**
 * Whether a process this user may signal runs with this pid. Another user's process (EPERM) counts as not
 * alive: a sandbox runs as the user who started it, so such a pid is one reused since (processRuns, for
 * locks, counts it).
 */
export function processAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}
