/**
 * Runs fuzz cases of the CLI one after the other in this one process (a process per case would cost the
 * suite minutes): `node cli-fuzz-runner.ts CASES.json PROGRAM_MODULE`, with a private $TMPDIR. Reports each
 * case to the parent over IPC before it starts and when it ends; a case still running after the limit is
 * reported as hung and this process exits (the parent starts a new one for the rest).
 */
import { readFileSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { pathToFileURL } from 'node:url';
import { CASE_LIMIT_MS, type FuzzCase, type FuzzResult, type RunnerMessage } from './fuzz-case.js';

type RunCli = (
  argv: readonly string[],
  io: { out(l: string): void; status(l: string): void },
) => Promise<number>;

const [casesFile, programModule] = process.argv.slice(2);
const cases = JSON.parse(readFileSync(casesFile!, 'utf8')) as FuzzCase[];
const { runCli } = (await import(pathToFileURL(programModule!).href)) as { runCli: RunCli };

const send = (message: RunnerMessage) =>
  new Promise<void>((resolve) => process.send!(message, () => resolve()));

const SIGNALS = ['SIGINT', 'SIGTERM', 'SIGHUP'] as const;
/**
 * Made once per process and removed when it exits, which this runner does not do between cases (the test
 * checks a real CLI process removes them): tsx's compile cache (when the CLI runs from the sources), the
 * PrometheusRule groups extracted for promtool.
 */
const PER_PROCESS = /^(tsx-|obs-sandbox-prometheus-rules-)/;
const EXIT_MARKER = 'fuzz runner: process.exit called';

async function runCase(c: FuzzCase): Promise<FuzzResult> {
  const tmp = tmpdir();
  const tmpBefore = new Set(readdirSync(tmp));
  const listeners = new Map(SIGNALS.map((s) => [s, process.listeners(s)]));
  let stdout = '';
  let stderr = '';
  let exitCalled: number | undefined;
  const writeOut = process.stdout.write;
  const writeErr = process.stderr.write;
  const exit = process.exit;
  process.stdout.write = ((chunk: string | Uint8Array) => (
    (stdout += String(chunk)),
    true
  )) as typeof writeOut;
  process.stderr.write = ((chunk: string | Uint8Array) => (
    (stderr += String(chunk)),
    true
  )) as typeof writeErr;
  // Commands that end the process themselves (a signal handler, start) must not end the runner.
  process.exit = ((code?: number) => {
    exitCalled = code ?? 0;
    throw new Error(EXIT_MARKER);
  }) as typeof exit;
  process.exitCode = undefined;
  const rssBefore = process.memoryUsage().rss;
  const maxRssBefore = process.resourceUsage().maxRSS * 1024;
  let peak = rssBefore;
  const sampler = setInterval(() => (peak = Math.max(peak, process.memoryUsage().rss)), 50);
  const started = performance.now();
  let timer: NodeJS.Timeout | undefined;
  const hung = new Promise<'hung'>((resolve) => (timer = setTimeout(() => resolve('hung'), CASE_LIMIT_MS)));
  const io = {
    out: (line: string) => (stdout += `${line}\n`),
    status: (line: string) => (stderr += `sandbox: ${line}\n`),
  };
  const outcome = await Promise.race([runCli(c.argv, io), hung]);
  const wallMs = performance.now() - started;
  clearTimeout(timer);
  clearInterval(sampler);
  process.stdout.write = writeOut;
  process.stderr.write = writeErr;
  process.exit = exit;
  const maxRss = process.resourceUsage().maxRSS * 1024;
  if (maxRss > maxRssBefore) peak = Math.max(peak, maxRss);
  peak = Math.max(peak, process.memoryUsage().rss);
  for (const signal of SIGNALS) {
    for (const listener of process.listeners(signal)) {
      if (!listeners.get(signal)!.includes(listener)) process.off(signal, listener);
    }
  }
  const code =
    exitCalled ?? (outcome === 'hung' ? -1 : outcome !== 0 ? outcome : Number(process.exitCode ?? 0));
  process.exitCode = undefined;
  if (exitCalled !== undefined) {
    stderr = stderr
      .split('\n')
      .filter((line) => !line.includes(EXIT_MARKER))
      .join('\n');
  }
  return {
    id: c.id,
    code,
    stdout: stdout.slice(0, 4000),
    stderr: stderr.slice(0, 4000),
    wallMs: Math.round(wallMs),
    rssGrowthMb: Math.round((peak - rssBefore) / 1024 / 1024),
    tmpLeft: readdirSync(tmp).filter((name) => !tmpBefore.has(name) && !PER_PROCESS.test(name)),
    ...(outcome === 'hung' ? { hung: true } : {}),
  };
}

for (const c of cases) {
  await send({ type: 'start', id: c.id });
  const result = await runCase(c);
  await send({ type: 'done', result });
  if (result.hung) process.exit(3);
}
process.exit(0);
