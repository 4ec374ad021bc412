import { fork } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { createRequire } from 'node:module';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { CLI_ENTRY } from './cli-entry.js';
import { CASE_LIMIT_MS, type FuzzCase, type FuzzResult, type RunnerMessage } from './fuzz-case.js';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const RUNNER = fileURLToPath(new URL('./cli-fuzz-runner.ts', import.meta.url));
/** The built program when the build is current (as the CLI the tests spawn), else the sources. */
const PROGRAM = CLI_ENTRY[0]!.endsWith('main.js')
  ? join(ROOT, 'dist', 'sandbox', 'cli', 'program.js')
  : join(ROOT, 'sandbox', 'cli', 'program.ts');
/** tsx by its path: the runner's working directory is outside the project. */
const TSX = pathToFileURL(createRequire(import.meta.url).resolve('tsx')).href;
/** How long past the case limit a runner may stay silent (stuck without serving its own timer). */
const SILENCE_MS = CASE_LIMIT_MS + 15_000;

interface RunOptions {
  /** Where the cases file goes. */
  dir: string;
  cwd: string;
  env: NodeJS.ProcessEnv;
}

/** One runner for `cases`, until it ends: the results it reported, and the case it was in when it stopped. */
function runOnce(cases: readonly FuzzCase[], options: RunOptions, batch: number) {
  const file = join(options.dir, `cases-${batch}.json`);
  writeFileSync(file, JSON.stringify(cases));
  const child = fork(RUNNER, [file, PROGRAM], {
    cwd: options.cwd,
    env: options.env,
    execArgv: ['--import', TSX],
    stdio: ['ignore', 'pipe', 'pipe', 'ipc'],
  });
  let output = '';
  child.stdout!.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr!.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const results: FuzzResult[] = [];
  let current: string | undefined;
  let silence: NodeJS.Timeout | undefined;
  let silent = false;
  return new Promise<{ results: FuzzResult[]; stoppedIn?: FuzzResult; output: string }>((resolve) => {
    child.on('message', (message: RunnerMessage) => {
      clearTimeout(silence);
      if (message.type === 'start') {
        current = message.id;
        silence = setTimeout(() => {
          silent = true;
          child.kill('SIGKILL');
        }, SILENCE_MS);
      } else {
        current = undefined;
        results.push(message.result);
      }
    });
    child.on('exit', (code, signal) => {
      clearTimeout(silence);
      const last = results.at(-1);
      if (current === undefined)
        return resolve({ results, stoppedIn: last?.hung ? last : undefined, output });
      const what = silent
        ? `no word from the runner for ${SILENCE_MS / 1000}s (stuck)`
        : `runner exited (${code ?? signal})`;
      const stoppedIn: FuzzResult = {
        id: current,
        code: -2,
        stdout: '',
        stderr: `${what}: ${output.slice(-2000)}`,
        wallMs: SILENCE_MS,
        rssGrowthMb: 0,
        tmpLeft: [],
        hung: true,
      };
      resolve({ results: [...results, stoppedIn], stoppedIn, output });
    });
  });
}

/**
 * Runs the cases in one child process (a new one after a case that hung or killed it, for the rest) and
 * returns a result per case, in order.
 */
export async function runFuzzCases(cases: readonly FuzzCase[], options: RunOptions): Promise<FuzzResult[]> {
  const results: FuzzResult[] = [];
  let rest = [...cases];
  for (let batch = 0; rest.length > 0; batch++) {
    const run = await runOnce(rest, options, batch);
    results.push(...run.results);
    rest = rest.slice(run.results.length);
    if (!run.stoppedIn && rest.length > 0) {
      // The runner ended without a word about the rest: report them rather than loop.
      for (const c of rest)
        results.push({
          id: c.id,
          code: -3,
          stdout: '',
          stderr: `never run; the runner said: ${run.output.slice(-1000)}`,
          wallMs: 0,
          rssGrowthMb: 0,
          tmpLeft: [],
        });
      break;
    }
  }
  return results;
}
