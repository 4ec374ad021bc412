import { setTimeout as sleep } from 'node:timers/promises';
import { formatDuration } from '../../generators/model/duration.js';

export interface RulesAfterFirstScrapeOptions {
  prometheusUrl: string;
  /** The generator targets Prometheus scrapes, by job. */
  targets: readonly { job: string }[];
  /** Writes the rule files and has Prometheus reload them. */
  load: () => Promise<void>;
  /** Prometheus' scrape interval: it staggers a target's first scrape anywhere within it. */
  intervalMs: number;
  onMessage?: (message: string) => void;
  /** Wall time between two looks at Prometheus (default 250ms). */
  pollMs?: number;
  /** The longest wait for the first scrapes (default: `rulesWaitMs(intervalMs)`). */
  waitMs?: number;
  /** Aborting it ends the wait (and the loading) at once: the promise rejects (an AbortError). */
  signal?: AbortSignal;
}

/** The longest wait for the first scrapes: 20s for discovery and a busy machine, and two intervals. */
export const rulesWaitMs = (intervalMs: number) => 20_000 + 2 * intervalMs;

interface ApiTarget {
  labels: Record<string, string>;
  lastScrape: string;
}

async function get<T>(base: string, path: string, signal?: AbortSignal): Promise<T> {
  const timeout = AbortSignal.timeout(5000);
  const response = await fetch(`${base}${path}`, {
    signal: signal ? AbortSignal.any([signal, timeout]) : timeout,
  });
  const body = (await response.json()) as { status: string; data: T; error?: string };
  if (body.status !== 'success') throw new Error(`Prometheus ${path}: ${body.error ?? response.status}`);
  return body.data;
}

/** The generator targets Prometheus has not scraped yet (all of them while it cannot be asked), by job. */
async function unscraped(
  base: string,
  targets: readonly { job: string }[],
  signal?: AbortSignal,
): Promise<string[]> {
  const jobs = new Set(targets.map((t) => t.job));
  const active = await get<{ activeTargets: ApiTarget[] }>(base, '/api/v1/targets?state=active', signal)
    .then((d) => d.activeTargets.filter((t) => jobs.has(t.labels.job ?? '')))
    .catch(() => []);
  const scraped = active.filter((t) => Date.parse(t.lastScrape) > 0).map((t) => t.labels.job!);
  const left = targets.map((t) => t.job);
  for (const job of scraped) if (left.includes(job)) left.splice(left.indexOf(job), 1);
  return left;
}

/** Whether Prometheus' last reload succeeded, and when it last loaded its configuration (and rules). */
async function reloadState(base: string, signal?: AbortSignal): Promise<{ ok: boolean; atMs: number }> {
  return get<{ lastConfigTime: string; reloadConfigSuccess: boolean }>(
    base,
    '/api/v1/status/runtimeinfo',
    signal,
  )
    .then((d) => ({ ok: d.reloadConfigSuccess, atMs: Date.parse(d.lastConfigTime) }))
    .catch(() => ({ ok: true, atMs: 0 }));
}

const seconds = (ms: number) => formatDuration(Math.ceil(ms / 1000) * 1000);

/**
 * Loads the rules into a Prometheus started without them, once it has scraped every generator target once
 * (its owner says it waits: `rulesWaitMs`); after a bounded wait it loads them anyway, and says so. Between the last sample of the loaded history and
 * the first live scrape there are no samples (Prometheus sends its first targets to scraping after 5s and
 * staggers each first scrape within the interval), and a rule evaluated then would see a rate extrapolated
 * from the history alone, too low by up to a sixth; once every target has a live sample, a rate whose window
 * spans the gap is right. Resolves once Prometheus has reloaded.
 */
export async function loadRulesAfterFirstScrape(options: RulesAfterFirstScrapeOptions): Promise<void> {
  const { prometheusUrl: base, targets, onMessage, signal } = options;
  const pollMs = options.pollMs ?? 250;
  const budgetMs = options.waitMs ?? rulesWaitMs(options.intervalMs);
  const begun = Date.now();
  let left = await unscraped(base, targets, signal);
  while (left.length > 0 && Date.now() - begun < budgetMs) {
    await sleep(pollMs, undefined, { signal });
    left = await unscraped(base, targets, signal);
  }
  signal?.throwIfAborted();
  if (left.length > 0)
    onMessage?.(
      `Prometheus had not scraped ${[...new Set(left)].join(', ')} after ${seconds(budgetMs)}: loading the alert ` +
        'rules anyway (until it does, rules over its series see no live sample)',
    );
  const loadedAt = Date.now();
  await options.load();
  for (;;) {
    signal?.throwIfAborted();
    const reload = await reloadState(base, signal);
    if (!reload.ok) throw new Error('Prometheus could not load the rule files (its log says why)');
    // It gives a reload's time in whole seconds.
    if (reload.atMs >= Math.floor(loadedAt / 1000) * 1000) break;
    if (Date.now() - loadedAt > 30_000) throw new Error('Prometheus did not reload its rules within 30s');
    await sleep(pollMs, undefined, { signal });
  }
  if (left.length === 0)
    onMessage?.(
      `alert rules loaded after the first scrape of every generator target (${seconds(Date.now() - begun)})`,
    );
}
