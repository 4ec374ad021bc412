/**
 * `sandbox start --no-tui --json`, native runtime, built CLI: time from launch to its `ready` event, with the
 * default history (1h10m simulated and loaded into Prometheus) and with `--history 0`, against, in the same
 * run, Prometheus alone (its own binary, an empty configuration, launch to /-/ready answering) and a bare
 * `node -e 0`. Goal: ready <= 2 s with history. Also prints when the alert rules were loaded (after `ready`,
 * once Prometheus has scraped every generator target), when the CLI's first event came (its modules loaded
 * and the project read) and when Alertmanager and Prometheus reported running, to show where the time goes.
 *
 * Every sandbox is stopped with SIGTERM and must leave no service process behind; its state directory is a
 * fresh temporary one, removed afterwards. Needs `npm run build` first and the native binaries
 * (`sandbox install`).
 *
 *   npx tsx bench/start-ready.ts [launches]      (default 3)
 *
 * BENCH_BASELINE_CLI=/path/to/worktree/dist/sandbox/cli/main.js also launches that build's CLI, interleaved
 * with this one's: a before/after comparison on the same machine at the same moments.
 */
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { createInterface } from 'node:readline';
import { ensureBinary } from '../sandbox/binaries/index.js';
import { freePort } from '../test/support/ports.js';
import { isMain, percentile } from './support.js';
import { processesUsing } from '../test/support/processes.js';

const CLI = 'dist/sandbox/cli/main.js';
/** Another build's CLI (an earlier commit's, built in a worktree), launched interleaved with this one's. */
const BASELINE = process.env.BENCH_BASELINE_CLI;
// Another run of the bench (or a test) may hold the default: BENCH_PORT_OFFSET moves it.
const PORT_OFFSET = Number(process.env.BENCH_PORT_OFFSET ?? 15000);
const median = (values: readonly number[]) => percentile(values, 50);
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const seconds = (ms: number) => `${(ms / 1000).toFixed(2)} s`;

interface Launch {
  /** ms from spawn to the first JSON event: the CLI loaded, the project and systems read, the stack starting. */
  firstEventMs: number;
  /** ms from spawn to the history message (undefined with --history 0). */
  historyMs?: number;
  alertmanagerMs: number;
  prometheusMs: number;
  readyMs: number;
  /** CPU time (user + system) the CLI's process had used at `ready`: less inflated by a busy machine. */
  readyCpuMs: number;
  /** ms from spawn to the `rules` event saying Prometheus has the alert rules (after its first scrapes). */
  rulesMs: number;
}

/** CPU time a process has used so far, from /proc (Linux): utime + stime, in clock ticks of 10 ms. */
function cpuMsOf(pid: number): number {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return (Number(fields[11]) + Number(fields[12])) * 10;
}

/** One `sandbox start --no-tui --json`, stopped with SIGTERM once the rules are loaded. */
async function launchCli(cli: string, extra: readonly string[]): Promise<Launch> {
  const stateDir = mkdtempSync(join(tmpdir(), 'obs-sandbox-bench-start-'));
  const args = ['start', '--no-tui', '--json', '--runtime', 'native', '--port', '0'];
  const started = performance.now();
  const child = spawn(process.execPath, [cli, ...args, '--port-offset', String(PORT_OFFSET), ...extra], {
    env: { ...process.env, OBS_SANDBOX_STATE_DIR: stateDir },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stderr = '';
  child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  const times: Partial<Launch> = {};
  try {
    const lines = createInterface({ input: child.stdout });
    for await (const line of lines) {
      const at = performance.now() - started;
      const event = JSON.parse(line) as {
        type: string;
        text?: string;
        state?: string;
        status?: { service: string; state: string };
      };
      times.firstEventMs ??= at;
      if (event.type === 'message' && /history/.test(event.text ?? '')) times.historyMs ??= at;
      if (event.type === 'service' && event.status?.state === 'running') {
        if (event.status.service === 'prometheus') times.prometheusMs = at;
        if (event.status.service === 'alertmanager') times.alertmanagerMs = at;
      }
      if (event.type === 'ready') {
        times.readyMs = at;
        times.readyCpuMs = cpuMsOf(child.pid!);
      }
      if (event.type === 'rules' && event.state !== 'loading') {
        times.rulesMs = at;
        break;
      }
    }
    if (times.rulesMs === undefined) throw new Error(`no rules event; stderr:\n${stderr.slice(-1500)}`);
  } finally {
    child.kill('SIGTERM');
    const code = await Promise.race([exited, sleep(30_000).then(() => 'timeout' as const)]);
    if (code === 'timeout') {
      console.log('  (the sandbox did not exit 30 s after SIGTERM: killing it)');
      child.kill('SIGKILL');
    }
    let leftovers = processesUsing(stateDir);
    for (let i = 0; leftovers.length > 0 && i < 50; i++) {
      await sleep(200);
      leftovers = processesUsing(stateDir);
    }
    if (leftovers.length > 0) console.log(`  LEFT BEHIND:\n    ${leftovers.join('\n    ')}`);
    rmSync(stateDir, { recursive: true, force: true });
  }
  return times as Launch;
}

/** Prometheus alone: launch to /-/ready answering 200, with an empty configuration and a fresh TSDB. */
async function prometheusAlone(binary: string): Promise<number> {
  const dir = mkdtempSync(join(tmpdir(), 'obs-sandbox-bench-prometheus-'));
  const config = join(dir, 'prometheus.yml');
  writeFileSync(config, 'global:\n  scrape_interval: 15s\n');
  const address = `127.0.0.1:${await freePort()}`;
  const started = performance.now();
  const child = spawn(
    binary,
    [
      `--config.file=${config}`,
      `--storage.tsdb.path=${join(dir, 'data')}`,
      `--web.listen-address=${address}`,
    ],
    { stdio: 'ignore' },
  );
  const exited = new Promise((resolve) => child.once('exit', resolve));
  try {
    for (;;) {
      const ok = await fetch(`http://${address}/-/ready`).then(
        (r) => r.ok,
        () => false,
      );
      if (ok) return performance.now() - started;
      if (child.exitCode !== null) throw new Error(`prometheus exited with ${child.exitCode}`);
      await sleep(10);
    }
  } finally {
    child.kill('SIGTERM');
    await exited;
    rmSync(dir, { recursive: true, force: true });
  }
}

function bareNode(): number {
  const started = performance.now();
  spawnSync(process.execPath, ['-e', '0']);
  return performance.now() - started;
}

export async function main(launches = 3) {
  if (!existsSync(CLI)) throw new Error(`${CLI} is missing: run npm run build first`);
  if (BASELINE && !existsSync(BASELINE)) throw new Error(`BENCH_BASELINE_CLI ${BASELINE} is missing`);
  const prometheus = (await ensureBinary('prometheus')).path;
  const clis = { '': CLI, ...(BASELINE ? { 'baseline ': BASELINE } : {}) };
  const runs: Record<string, Launch[]> = {};
  const alone: number[] = [];
  const node: number[] = [];
  // Interleaved, so that a busy moment of the machine spreads over every kind of launch.
  for (let i = 0; i < launches; i++) {
    node.push(bareNode());
    alone.push(await prometheusAlone(prometheus));
    for (const [label, cli] of Object.entries(clis)) {
      (runs[`${label}history`] ??= []).push(await launchCli(cli, []));
      (runs[`${label}none`] ??= []).push(await launchCli(cli, ['--history', '0']));
    }
  }
  const nodeMs = median(node);
  const aloneMs = median(alone);
  console.log(
    `start --no-tui (native) to ready, medians of ${launches}; bare node -e 0 ${nodeMs.toFixed(0)} ms, ` +
      `Prometheus alone (launch to /-/ready) ${aloneMs.toFixed(0)} ms`,
  );
  const result: Record<string, number> = { nodeMs, prometheusAloneMs: aloneMs };
  for (const [name, list] of Object.entries(runs)) {
    const m = (pick: (l: Launch) => number | undefined) => median(list.map((l) => pick(l) ?? NaN));
    const ready = m((l) => l.readyMs);
    const history = name.endsWith('history');
    const label = name.startsWith('baseline ') ? `baseline ${BASELINE}, ` : '';
    console.log(
      `  ${label}${history ? 'default history (1h10m)' : '--history 0'}: ready ${seconds(ready)}` +
        ` (CLI CPU ${seconds(m((l) => l.readyCpuMs))})` +
        `${history ? ' (goal <= 2 s)' : ''}, rules loaded ${seconds(m((l) => l.rulesMs))}; ` +
        `first event ${seconds(m((l) => l.firstEventMs))}` +
        `${history ? `, history loaded ${seconds(m((l) => l.historyMs))}` : ''}` +
        `, Alertmanager running ${seconds(m((l) => l.alertmanagerMs))}` +
        `, Prometheus running ${seconds(m((l) => l.prometheusMs))}`,
    );
    const key = name.replace(' ', '-');
    result[`${key}ReadyMs`] = ready;
    result[`${key}ReadyCpuMs`] = m((l) => l.readyCpuMs);
    result[`${key}RulesMs`] = m((l) => l.rulesMs);
  }
  return result;
}

if (isMain(import.meta.url)) await main(Number(process.argv[2] ?? 3));
