import { createWriteStream } from 'node:fs';
import { mkdir, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { once } from 'node:events';
import type { History, HistoryEstimateCheck } from '../../generators/live/history.js';
import { estimateShardSeries } from '../../generators/live/series-estimate.js';
import type { SystemDefinition } from '../../generators/model/system.js';
import { UserError } from '../../generators/user-error.js';
import { formatDuration } from '../../generators/model/duration.js';
import { formatNumber } from '../../generators/promtool-tests/series-values.js';
import { resolvePromtool, type Promtool } from '../promtool/promtool-runner.js';
import { runTmpDir } from './run-dir.js';

const escape = (value: string) => value.replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/\n/g, '\\n');

/** The most samples `start --history` may simulate: the default 70m at 15s makes about 0.13 million. */
export const HISTORY_SAMPLE_BUDGET = 1_000_000;

/**
 * The resolution of the simulated history: the scrape interval, but no finer than 15s. History only has to
 * be there when the rules and dashboards look back (rate windows of minutes, an hour's baseline); at a 1s
 * live interval, a 1s history would cost fifteen times the samples for nothing they can see.
 */
export const historyIntervalMs = (scrapeIntervalMs: number) => Math.max(scrapeIntervalMs, 15_000);

/** Refuses a history whose estimated samples exceed HISTORY_SAMPLE_BUDGET, saying how to make it smaller. */
export function historyBudget(historyMs: number, intervalMs: number): HistoryEstimateCheck {
  return ({ samples, series, scrapes }) => {
    if (samples <= HISTORY_SAMPLE_BUDGET) return;
    const millions = (n: number) => `${(n / 1e6).toFixed(2)} million`;
    throw new UserError(
      `--history ${formatDuration(historyMs)} would simulate about ${millions(samples)} samples (${series} series x ` +
        `${scrapes} scrapes every ${formatDuration(intervalMs)}), more than the budget of ${millions(HISTORY_SAMPLE_BUDGET)}; ` +
        'give a shorter --history, a longer --interval, or fewer systems',
    );
  };
}

/**
 * Refuses, before anything starts, a history whose samples would exceed HISTORY_SAMPLE_BUDGET (as
 * historyBudget does, same message): the series of a probe replica run for a few minutes of model time,
 * times the scrapes of the history. Series that traffic creates later are not counted, so historyBudget,
 * checked while the history is simulated, stays the backstop.
 */
export async function checkHistoryBudget(history: {
  systems: readonly SystemDefinition[];
  seed: number | string;
  historyMs: number;
  /** The live scrape interval: the history's own is historyIntervalMs of it. */
  scrapeIntervalMs: number;
}): Promise<void> {
  const { historyMs } = history;
  if (historyMs <= 0) return;
  const intervalMs = historyIntervalMs(history.scrapeIntervalMs);
  const scrapes = Math.ceil(historyMs / intervalMs);
  const { series } = await estimateShardSeries(history.systems, history.seed, Date.now() - historyMs, 1);
  historyBudget(historyMs, intervalMs)({ samples: series * scrapes, series, scrapes });
}

/** The address Prometheus scrapes a job's target (its ordinal among the job's) on. */
export type InstanceOf = (job: string, instance: number) => string;

/**
 * Writes the history as OpenMetrics text (each metric's series together, every sample timestamped, `# EOF`
 * last), with `instance` set to the address Prometheus scrapes each target on.
 */
export async function writeOpenMetrics(history: History, instanceOf: InstanceOf, file: string) {
  // Megabytes of text: written in large pieces, not waiting for the disk every 16 KiB.
  const out = createWriteStream(file, { highWaterMark: 1 << 20 });
  const write = async (text: string) => {
    if (!out.write(text)) await once(out, 'drain');
  };
  const byName = new Map<string, History['series']>();
  for (const s of history.series) {
    const list = byName.get(s.name) ?? [];
    list.push(s);
    byName.set(s.name, list);
  }
  // Every series is sampled at the same times: their text once, not once per sample.
  const stamps = history.timesMs.map((ms) => String(ms / 1000));
  for (const [name, series] of byName) {
    await write(`# TYPE ${name} unknown\n`);
    for (const s of series) {
      const labels = { ...s.labels, instance: instanceOf(s.labels.job ?? '', Number(s.labels.instance)) };
      const text = Object.entries(labels)
        .map(([k, v]) => `${k}="${escape(v)}"`)
        .join(',');
      let chunk = '';
      s.samples.forEach((value, i) => {
        if (typeof value !== 'number') return;
        chunk += `${name}{${text}} ${formatNumber(value)} ${stamps[i]}\n`;
      });
      await write(chunk);
    }
  }
  await write('# EOF\n');
  out.end();
  await once(out, 'finish');
}

/**
 * Turns the history into TSDB blocks in Prometheus' data directory (with `promtool tsdb
 * create-blocks-from openmetrics`), so that Prometheus starts with it; returns how many samples.
 */
export async function writeHistoryBlocks(
  history: History,
  instanceOf: InstanceOf,
  dataDir: string,
  workDir: string,
  promtool: Promtool,
): Promise<number> {
  const file = join(workDir, 'history.om.txt');
  await mkdir(dataDir, { recursive: true });
  try {
    await writeOpenMetrics(history, instanceOf, file);
    const { code, output } = await promtool.run(
      ['tsdb', 'create-blocks-from', 'openmetrics', file, dataDir],
      [file, dataDir],
    );
    if (code !== 0)
      throw new Error(`promtool could not create the history blocks: ${output.trim().split('\n').at(-1)}`);
  } finally {
    await rm(file, { force: true });
  }
  return history.series.reduce((n, s) => n + s.samples.filter((v) => typeof v === 'number').length, 0);
}

/**
 * Writes the generators' simulated history as blocks into `outDir`, for Prometheus to start with. A failure
 * is reported and the sandbox goes on without history. Returns whether the blocks were written.
 */
export async function prepareHistory(
  history: History | undefined,
  instanceOf: InstanceOf,
  outDir: string,
  workDir: string,
  onMessage?: (message: string) => void,
): Promise<boolean> {
  if (!history) return false;
  const started = Date.now();
  try {
    const promtool = await resolvePromtool({ tmpDir: await runTmpDir(workDir) });
    const samples = await writeHistoryBlocks(history, instanceOf, outDir, workDir, promtool);
    // On the interval: the last sample's few seconds past it (when the generators took over) are not news.
    const { timesMs } = history;
    const interval = timesMs.length > 1 ? timesMs[1]! - timesMs[0]! : 1;
    const span = formatDuration(Math.floor((timesMs.at(-1)! - timesMs[0]!) / interval) * interval);
    const took = ((Date.now() - started) / 1000).toFixed(1);
    onMessage?.(`loaded ${span} of simulated history into Prometheus (${samples} samples, ${took}s)`);
    return true;
  } catch (error) {
    onMessage?.(`history not loaded (${(error as Error).message}); Prometheus starts empty`);
    return false;
  }
}
