import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { afterAll } from 'vitest';
import { CLI_ENTRY as ENTRY } from './cli-entry.js';
import { startCliReaper, type CliReaper } from './cli-reaper.js';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));

let reaper: CliReaper | undefined;
/**
 * The environment to spawn a CLI with, marked for this file's reaper (started with its first CLI): should
 * the worker be killed outright, the reaper kills its CLIs, whose own reapers remove what they started.
 */
function reaped(env: NodeJS.ProcessEnv): NodeJS.ProcessEnv {
  reaper ??= startCliReaper(ENTRY.at(-1)!, (message) => console.warn(message));
  return { ...env, ...reaper.env };
}

export interface CliResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** Runs the CLI to completion (for commands that exit by themselves). */
export function runCli(
  args: readonly string[],
  timeoutMs = 120_000,
  env: NodeJS.ProcessEnv = process.env,
): CliResult {
  const result = spawnSync(process.execPath, [...ENTRY, ...args], {
    cwd: ROOT,
    encoding: 'utf8',
    timeout: timeoutMs,
    env: reaped(env),
  });
  return { code: result.status, stdout: result.stdout, stderr: stripNpmNoise(result.stderr) };
}

/** Runs the CLI to completion without blocking this process (which may be serving what the CLI calls). */
export async function runCliAsync(
  args: readonly string[],
  env: NodeJS.ProcessEnv = process.env,
): Promise<CliResult> {
  const child = spawn(process.execPath, [...ENTRY, ...args], {
    cwd: ROOT,
    env: reaped(env),
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  started.add(child);
  let stdout = '';
  let stderr = '';
  child.stdout!.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
  child.stderr!.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
  const [code] = (await once(child, 'exit')) as [number | null];
  started.delete(child);
  return { code, stdout, stderr: stripNpmNoise(stderr) };
}

export interface RunningCli {
  child: ChildProcess;
  /** Resolves with the first stdout line. */
  firstLine: Promise<string>;
  stderr(): string;
  /** Sends a signal and resolves with the exit code. */
  stop(signal?: NodeJS.Signals): Promise<number | null>;
}

const started = new Set<ChildProcess>();
/** The environment of each started command, for `sandbox down` after a SIGKILL. */
const environments = new WeakMap<ChildProcess, NodeJS.ProcessEnv>();

/**
 * SIGKILL leaves a sandbox's services running, as it would for a user: clean up as a user would, with
 * `sandbox down` against the same state directory.
 */
async function killAndCleanUp(child: ChildProcess): Promise<number | null> {
  if (child.exitCode !== null || child.signalCode !== null) return child.exitCode;
  const exited = once(child, 'exit');
  child.kill('SIGKILL');
  const [code] = (await exited) as [number | null];
  const env = environments.get(child);
  if (env?.OBS_SANDBOX_STATE_DIR) await runCliAsync(['down'], env);
  return code;
}

// A test that fails before stopping its command must not leave it running: registered in every test file
// that imports this helper, this kills (and cleans up after) whatever that file left behind.
afterAll(async () => {
  await Promise.all([...started].map(killAndCleanUp));
  reaper?.release();
  reaper = undefined;
}, 120_000);

/** Starts a long-running command (generate). */
export function startCli(args: readonly string[], env: NodeJS.ProcessEnv = process.env): RunningCli {
  const child = spawn(process.execPath, [...ENTRY, ...args], {
    cwd: ROOT,
    env: reaped(env),
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stderr = '';
  child.stderr!.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
  const lines = createInterface({ input: child.stdout! });
  const firstLine = new Promise<string>((resolve, reject) => {
    lines.once('line', resolve);
    child.once('exit', (code) =>
      reject(new Error(`exited with ${code} before printing: ${stripNpmNoise(stderr)}`)),
    );
  });
  started.add(child);
  environments.set(child, env);
  child.once('exit', () => started.delete(child));
  // Commands that print nothing before they are stopped must not leave an unhandled rejection.
  firstLine.catch(() => undefined);
  return {
    child,
    firstLine,
    stderr: () => stripNpmNoise(stderr),
    stop: async (signal = 'SIGTERM') => {
      if (child.exitCode !== null) return child.exitCode;
      if (signal === 'SIGKILL') return killAndCleanUp(child);
      const exited = once(child, 'exit');
      child.kill(signal);
      const [code] = (await exited) as [number | null];
      return code;
    },
  };
}

function stripNpmNoise(text: string): string {
  return text
    .split('\n')
    .filter((line) => !line.startsWith('npm warn'))
    .join('\n');
}
