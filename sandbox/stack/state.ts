import { mkdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import { homedir } from 'node:os';
import { join } from 'node:path';
import type { ServiceStatus } from './native/native-stack.js';

/** What `sandbox status` and `sandbox down` need from another terminal. Holds a password: mode 0600. */
export interface SandboxState {
  pid: number;
  startedAt: string;
  runtime: 'native' | 'docker';
  dataDir: string;
  grafana: { user: string; password: string };
  services: ServiceStatus[];
  generators: { job: string; url: string }[];
  webhookUrl: string;
  /** The control API live replay uses from another terminal (127.0.0.1; the token authorises). */
  control?: { url: string; token: string };
}

export function stateDir(env: NodeJS.ProcessEnv = process.env): string {
  return (
    env.OBS_SANDBOX_STATE_DIR ?? join(env.XDG_STATE_HOME ?? join(homedir(), '.local', 'state'), 'obs-sandbox')
  );
}

export const stateFile = (env: NodeJS.ProcessEnv = process.env) => join(stateDir(env), 'state.json');

/** Written to a temporary name with mode 0600 and renamed, so a reader never sees half a file. */
export async function writeState(state: SandboxState): Promise<void> {
  await mkdir(stateDir(), { recursive: true, mode: 0o700 });
  const temporary = `${stateFile()}.${process.pid}.tmp`;
  await writeFile(temporary, `${JSON.stringify(state, null, 2)}\n`, { mode: 0o600 });
  await rename(temporary, stateFile());
}

export async function readState(): Promise<SandboxState | undefined> {
  try {
    return JSON.parse(await readFile(stateFile(), 'utf8')) as SandboxState;
  } catch {
    return undefined;
  }
}

export async function removeState(): Promise<void> {
  await rm(stateFile(), { force: true });
}

export function processAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}
