/**
 * The terminal UI of the built `sandbox start` (native runtime), run in a pseudo-terminal made by util-linux
 * `script` (there is no node-pty), at a fixed size (BENCH_TUI_SIZE, default 80x24):
 *
 * - first frame: time from spawning the CLI until the UI's first real frame (its start-up view, with the
 *   Services panel; not the splash line before it) is on the terminal, over a bare `node -e` in the same PTY
 *   (goal <= 300 ms), and until the dashboard shows (every service ready), median of 5 launches; the time
 *   the PTY wrapper itself takes (script, shell, stty) is printed beside it, and the CLI's CPU time at its
 *   first frame against bare node's at its output (a loaded machine inflates it less than the wall time);
 * - CPU: the CLI process's CPU time (utime + stime from /proc) over the same window once running, with the
 *   TUI and with --no-tui in the same terminal; the generators and the session's polling run in that process
 *   too, so the difference is the TUI's cost (goal <= 5% of one core at the default refresh rate).
 *
 * Every sandbox is quit (q, or SIGTERM without the TUI) and must leave no service process behind; its state
 * directory is a fresh temporary one, removed afterwards. CI and CONTINUOUS_INTEGRATION are removed from the
 * child's environment, as ink draws nothing but the last frame in CI. Needs `npm run build` first and the
 * native binaries (`sandbox install`).
 *
 *   npx tsx bench/tui.ts [seconds]        (CPU window, default BENCH_TUI_SECONDS or 60; 0: first frames only)
 */
import { execFileSync, spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { isMain, percentile } from './support.js';
import { processesUsing } from '../test/support/processes.js';

const CLI = 'dist/sandbox/cli/main.js';
const LAUNCHES = 5;
// BENCH_TUI_PORT_OFFSET: another offset, for a run beside other sandboxes.
const PORT_OFFSET = Number(process.env.BENCH_TUI_PORT_OFFSET ?? 32000);
const SETTLE_MS = 2000;
const [COLUMNS, ROWS] = (process.env.BENCH_TUI_SIZE ?? '80x24').split('x').map(Number) as [number, number];

/** A frame's markers: every ink frame on a TTY is wrapped in synchronized-output escapes. */
const FRAME = '\x1b[?2026h';
const CLEAR = '\x1b[2J';
/** In the TUI: a panel title of the start-up view and of the dashboard; only the dashboard has Traffic. */
const FIRST_FRAME = ' Services ';
/** The line drawn before the UI's modules load (sandbox/cli/splash.ts). */
const SPLASH = ' obs-sandbox ';
const TUI_READY = ' Traffic ';
const PLAIN_READY = 'sandbox running (pid';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const median = (values: readonly number[]) => percentile(values, 50);
const quote = (s: string) => `'${s.replace(/'/g, `'\\''`)}'`;
const CLK_TCK = Number(execFileSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).trim());

function childEnv(extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...process.env, TERM: process.env.TERM || 'xterm-256color', ...extra };
  delete env.CI;
  delete env.CONTINUOUS_INTEGRATION;
  return env;
}

/** `command` in a fresh pseudo-terminal of COLUMNS x ROWS; the shell execs it, so it is script's child. */
function inPty(command: string[], env: NodeJS.ProcessEnv): ChildProcessWithoutNullStreams {
  const line = `stty rows ${ROWS} cols ${COLUMNS}; exec ${command.map(quote).join(' ')}`;
  return spawn('script', ['-qfec', line, '/dev/null'], { env, stdio: 'pipe' });
}

/** utime + stime of a process (ms), if it is still there. */
function cpuMsOf(pid: number | undefined): number | undefined {
  try {
    return pid === undefined ? undefined : cpuSeconds(pid) * 1000;
  } catch {
    return undefined;
  }
}

/** utime + stime of a process, in seconds. */
function cpuSeconds(pid: number): number {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return (Number(fields[11]) + Number(fields[12])) / CLK_TCK;
}

/** The CLI's node process (or another command's): the child of `script` that the shell exec'd into. */
function cliPid(scriptPid: number, commandPart = CLI): number | undefined {
  if (!existsSync(`/proc/${scriptPid}/task`)) return undefined;
  for (const task of readdirSync(`/proc/${scriptPid}/task`)) {
    let children: string[];
    try {
      children = readFileSync(`/proc/${scriptPid}/task/${task}/children`, 'utf8').trim().split(/\s+/);
    } catch {
      continue;
    }
    for (const pid of children.filter(Boolean)) {
      try {
        if (readFileSync(`/proc/${pid}/cmdline`, 'utf8').includes(commandPart)) return Number(pid);
      } catch {
        // gone
      }
    }
  }
  return undefined;
}

interface Run {
  child: ChildProcessWithoutNullStreams;
  stateDir: string;
  tui: boolean;
  /** ms from spawn to the first output containing the marker (one of those given to launch). */
  seen: (marker: string, timeoutMs?: number) => Promise<number>;
  /** The CLI process's CPU time (ms) when the marker was first seen; the machine's load inflates it less. */
  cpuMsAt: (marker: string) => number | undefined;
  exited: Promise<number | null>;
  /** Terminal output so far: bytes, frames, full-screen clears. */
  counts: { bytes: number; frames: number; clears: number };
  /** The last of the output, without escapes, for error messages. */
  tail: () => string;
}

function launch(tui: boolean, markers: string[]): Run {
  const stateDir = mkdtempSync(join(tmpdir(), 'obs-sandbox-bench-tui-'));
  const args = ['start', '--runtime', 'native', '--port', '0', '--port-offset', String(PORT_OFFSET)];
  const started = performance.now();
  const child = inPty(
    [process.execPath, CLI, ...args, ...(tui ? [] : ['--no-tui'])],
    childEnv({ OBS_SANDBOX_STATE_DIR: stateDir }),
  );
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  child.stdin.on('error', () => undefined); // q to a sandbox that has already exited
  const counts = { bytes: 0, frames: 0, clears: 0 };
  const times = new Map<string, number>();
  const cpuAt = new Map<string, number | undefined>();
  const waiting = new Set<() => void>();
  let last = '';
  let stderr = '';
  child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr = (stderr + chunk).slice(-2000)));
  child.stdout.setEncoding('utf8').on('data', (chunk: string) => {
    const at = performance.now() - started;
    // Markers split between chunks: look at the end of the previous output too, short of a whole marker.
    const around = (s: string) => last.slice(Math.max(0, last.length - s.length + 1)) + chunk;
    const count = (s: string) => around(s).split(s).length - 1;
    counts.bytes += Buffer.byteLength(chunk);
    counts.frames += count(FRAME);
    counts.clears += count(CLEAR);
    for (const marker of markers)
      if (!times.has(marker) && around(marker).includes(marker)) {
        times.set(marker, at);
        cpuAt.set(marker, cpuMsOf(cliPid(child.pid!)));
      }
    last = (last + chunk).slice(-4000);
    for (const check of waiting) check();
  });
  const tail = () =>
    `${stderr}${last}`
      .slice(-1500)
      .replace(/\x1b\[[0-9;?]*[A-Za-z]/g, '') // eslint-disable-line no-control-regex
      .trim();
  const seen = (marker: string, timeoutMs = 60_000) =>
    new Promise<number>((resolve, reject) => {
      const timer = setTimeout(
        () => done(new Error(`no ${JSON.stringify(marker)} after ${timeoutMs} ms`)),
        timeoutMs,
      );
      const check = () => times.has(marker) && done();
      const done = (error?: Error) => {
        clearTimeout(timer);
        waiting.delete(check);
        if (error) reject(new Error(`${error.message}; output:\n${tail()}`));
        else resolve(times.get(marker)!);
      };
      waiting.add(check);
      check();
      void exited.then(() =>
        setTimeout(
          () => waiting.has(check) && done(new Error(`exited before ${JSON.stringify(marker)}`)),
          50,
        ),
      );
    });
  return { child, stateDir, tui, seen, cpuMsAt: (marker) => cpuAt.get(marker), exited, counts, tail };
}

function signal(pid: number | undefined, name: NodeJS.Signals): void {
  try {
    if (pid !== undefined) process.kill(pid, name);
  } catch {
    // already gone
  }
}

/** Quits the sandbox (q in the TUI, SIGTERM without), waits for it and its services to be gone. */
async function quit(run: Run): Promise<{ code: number | null; ms: number; leftovers: string[] }> {
  const started = performance.now();
  const pid = cliPid(run.child.pid!);
  if (run.tui) run.child.stdin.write('q');
  else signal(pid, 'SIGTERM');
  let code = await Promise.race([run.exited, sleep(30_000).then(() => 'timeout' as const)]);
  if (code === 'timeout') {
    console.log(`  (the sandbox did not exit 30 s after ${run.tui ? 'q' : 'SIGTERM'}: killing it)`);
    signal(pid, 'SIGTERM');
    code = await Promise.race([run.exited, sleep(10_000).then(() => null)]);
    run.child.kill('SIGKILL');
  }
  const ms = performance.now() - started;
  let leftovers = processesUsing(run.stateDir);
  for (let i = 0; leftovers.length > 0 && i < 50; i++) {
    await sleep(200);
    leftovers = processesUsing(run.stateDir);
  }
  run.child.stdin.end();
  rmSync(run.stateDir, { recursive: true, force: true });
  return { code, ms, leftovers };
}

async function reportQuit(run: Run): Promise<number> {
  const { code, ms, leftovers } = await quit(run);
  if (code !== 0) console.log(`  (exit code ${code})`);
  if (leftovers.length > 0)
    console.log(`  LEFT BEHIND ${leftovers.length} process(es):\n    ${leftovers.join('\n    ')}`);
  return ms;
}

/**
 * ms from spawn to the first output of `command` in the same kind of PTY, and the CPU time (ms) of its
 * process then, found by `commandPart` in its command line (it must outlive its output a little).
 */
async function ptyBaseline(command: string[], commandPart?: string): Promise<{ ms: number; cpuMs: number }> {
  const samples: number[] = [];
  const cpu: number[] = [];
  for (let i = 0; i < LAUNCHES; i++) {
    const started = performance.now();
    const child = inPty(command, childEnv());
    const first = await new Promise<number>((resolve) =>
      child.stdout.once('data', () => {
        const ms = performance.now() - started;
        if (commandPart) cpu.push(cpuMsOf(cliPid(child.pid!, commandPart)) ?? NaN);
        resolve(ms);
      }),
    );
    await new Promise((resolve) => child.once('exit', resolve));
    samples.push(first);
  }
  return { ms: median(samples), cpuMs: cpu.length > 0 ? median(cpu) : NaN };
}

async function firstFrames() {
  const splash: number[] = [];
  const first: number[] = [];
  const firstCpu: number[] = [];
  const ready: number[] = [];
  const teardown: number[] = [];
  for (let i = 0; i < LAUNCHES; i++) {
    const run = launch(true, [SPLASH, FIRST_FRAME, TUI_READY]);
    try {
      splash.push(await run.seen(SPLASH));
      const firstMs = await run.seen(FIRST_FRAME);
      const readyMs = await run.seen(TUI_READY);
      first.push(firstMs);
      firstCpu.push(run.cpuMsAt(FIRST_FRAME) ?? NaN);
      ready.push(readyMs);
    } finally {
      teardown.push(await reportQuit(run));
    }
    console.log(
      `  launch ${i + 1}: splash ${splash.at(-1)!.toFixed(0)} ms, first UI frame ${first.at(-1)!.toFixed(0)} ms (CPU ${firstCpu.at(-1)!.toFixed(0)} ms), dashboard ${(ready.at(-1)! / 1000).toFixed(2)} s, ` +
        `quit in ${(teardown.at(-1)! / 1000).toFixed(2)} s`,
    );
  }
  return {
    splashMs: median(splash),
    firstFrameMs: median(first),
    firstFrameCpuMs: median(firstCpu),
    readyMs: median(ready),
    quitMs: median(teardown),
  };
}

async function cpuWindow(tui: boolean, seconds: number) {
  const run = launch(tui, [tui ? TUI_READY : PLAIN_READY]);
  try {
    await run.seen(tui ? TUI_READY : PLAIN_READY);
    await sleep(SETTLE_MS);
    const pid = cliPid(run.child.pid!);
    if (pid === undefined) throw new Error('the CLI process was not found under script');
    const before = { cpu: cpuSeconds(pid), at: performance.now(), ...run.counts };
    await sleep(seconds * 1000);
    const elapsed = (performance.now() - before.at) / 1000;
    const cpu = cpuSeconds(pid) - before.cpu;
    return {
      cpuPercent: (cpu / elapsed) * 100,
      framesPerSecond: (run.counts.frames - before.frames) / elapsed,
      clearsPerSecond: (run.counts.clears - before.clears) / elapsed,
      kbPerSecond: (run.counts.bytes - before.bytes) / 1024 / elapsed,
    };
  } finally {
    await reportQuit(run);
  }
}

export async function main(seconds = 60) {
  if (!existsSync(CLI)) throw new Error(`${CLI} is missing: run npm run build first`);
  const wrapperMs = (await ptyBaseline(['printf', 'x'])).ms;
  const bareNode = [process.execPath, '-e', "process.stdout.write('x'); setTimeout(() => undefined, 300)"];
  const { ms: nodeMs, cpuMs: nodeCpuMs } = await ptyBaseline(bareNode, '-e');
  const frames = await firstFrames();
  console.log(
    `TUI splash line ${frames.splashMs.toFixed(0)} ms after launch; first real frame (the UI's start-up view, ` +
      `its Services panel) ${frames.firstFrameMs.toFixed(0)} ms, +${(frames.firstFrameMs - nodeMs).toFixed(0)} ms ` +
      `over bare node (goal <= 300 ms); medians of ${LAUNCHES}; PTY ${COLUMNS}x${ROWS} wrapper alone ` +
      `${wrapperMs.toFixed(0)} ms, bare node -e ${nodeMs.toFixed(0)} ms`,
  );
  console.log(
    `CPU time of the CLI process at its first real frame ${frames.firstFrameCpuMs.toFixed(0)} ms, ` +
      `+${(frames.firstFrameCpuMs - nodeCpuMs).toFixed(0)} ms over bare node's at its output (${nodeCpuMs.toFixed(0)} ms); ` +
      `less inflated by a loaded machine than the wall time, medians`,
  );
  console.log(
    `TUI dashboard (all services ready) ${(frames.readyMs / 1000).toFixed(2)} s after launch; ` +
      `quit (q) to exit ${(frames.quitMs / 1000).toFixed(2)} s, medians`,
  );
  if (seconds === 0) return { ...frames, wrapperMs, nodeMs, nodeCpuMs };
  const withTui = await cpuWindow(true, seconds);
  const without = await cpuWindow(false, seconds);
  const overhead = withTui.cpuPercent - without.cpuPercent;
  console.log(
    `CLI process CPU over ${seconds} s once running: with TUI ${withTui.cpuPercent.toFixed(1)}%, ` +
      `--no-tui ${without.cpuPercent.toFixed(1)}% of one core`,
  );
  console.log(`TUI overhead ${overhead.toFixed(1)}% of one core (goal <= 5%)`);
  console.log(
    `TUI output: ${withTui.framesPerSecond.toFixed(1)} frames/s, ${withTui.kbPerSecond.toFixed(1)} KB/s, ` +
      `${withTui.clearsPerSecond.toFixed(1)} full-screen clears/s`,
  );
  return { ...frames, wrapperMs, nodeMs, nodeCpuMs, seconds, withTui, without, overheadPercent: overhead };
}

if (isMain(import.meta.url)) await main(Number(process.argv[2] ?? process.env.BENCH_TUI_SECONDS ?? 60));
