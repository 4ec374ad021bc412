/**
 * The rules load after Prometheus' first scrape of every generator target: against a stand-in for its API,
 * then in a native sandbox where the loaded history meets the live scrapes (ready before the rules, no alert
 * pending there, a baseline's live replay asked for at ready starting once the rules are loaded, and passing).
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import type { ScenarioResult } from '../../sandbox/replay/replay-scenarios.js';
import { queryVector } from '../../sandbox/stack/prometheus-api.js';
import { loadRulesAfterFirstScrape } from '../../sandbox/stack/rules-after-first-scrape.js';
import { Sandbox } from '../../sandbox/stack/sandbox-stack.js';
import { readState } from '../../sandbox/stack/state.js';
import { requireBinaries } from '../support/binaries.js';
import { freePort } from '../support/ports.js';
import { reapedStateDir, type ReapedStateDir } from '../support/reaped-state-dir.js';

const NEVER = '0001-01-01T00:00:00Z';
const BASE = 'http://prometheus.test';

/** Prometheus' targets and runtime info as the API gives them; `scrape` and `reload` move it on. */
class FakePrometheus {
  readonly targets: { job: string; lastScrape: string }[];
  reloadOk = true;
  lastConfigMs = Date.now() - 60_000;
  /** Looks at the targets so far. */
  looks = 0;

  constructor(jobs: string[]) {
    this.targets = jobs.map((job) => ({ job, lastScrape: NEVER }));
  }

  scrape(job: string) {
    for (const t of this.targets.filter((x) => x.job === job)) t.lastScrape = new Date().toISOString();
  }

  fetch = async (url: string) => {
    const path = url.slice(BASE.length);
    const data = path.startsWith('/api/v1/targets')
      ? (this.looks++,
        {
          activeTargets: this.targets.map((t, i) => ({
            labels: { job: t.job, instance: `127.0.0.1:${9470 + i}` },
            lastScrape: t.lastScrape,
          })),
        })
      : {
          reloadConfigSuccess: this.reloadOk,
          lastConfigTime: new Date(Math.floor(this.lastConfigMs / 1000) * 1000).toISOString(),
        };
    return new Response(JSON.stringify({ status: 'success', data }));
  };
}

const start = (prometheus: FakePrometheus, load: () => Promise<void>, waitMs?: number) => {
  vi.stubGlobal('fetch', prometheus.fetch);
  const messages: string[] = [];
  const done = loadRulesAfterFirstScrape({
    prometheusUrl: BASE,
    targets: [{ job: 'portal' }, { job: 'ledger' }, { job: 'ledger' }],
    load,
    intervalMs: 15_000,
    pollMs: 5,
    waitMs,
    onMessage: (m) => messages.push(m),
  });
  return { done, messages };
};

const until = async (condition: () => boolean) => {
  while (!condition()) await new Promise((r) => setTimeout(r, 2));
};

afterEach(() => {
  vi.unstubAllGlobals();
});

describe('loadRulesAfterFirstScrape', () => {
  it('loads the rules once every generator target has been scraped, and resolves once Prometheus reloaded', async () => {
    const prometheus = new FakePrometheus(['portal', 'ledger', 'ledger', 'prometheus']);
    const scrapedAtLoad: string[] = [];
    let reloaded = false;
    const { done, messages } = start(prometheus, async () => {
      scrapedAtLoad.push(...prometheus.targets.filter((t) => t.lastScrape !== NEVER).map((t) => t.job));
      setTimeout(() => {
        prometheus.lastConfigMs = Date.now();
        reloaded = true;
      }, 50);
    });
    const settled = vi.fn();
    void done.then(settled);
    await until(() => prometheus.looks >= 3);
    prometheus.scrape('portal');
    await until(() => prometheus.looks >= 6);
    expect(scrapedAtLoad).toEqual([]);
    prometheus.scrape('ledger');
    await done;
    expect(reloaded).toBe(true);
    expect(scrapedAtLoad).toEqual(['portal', 'ledger', 'ledger']);
    expect(messages).toHaveLength(1);
    expect(messages.at(-1)).toMatch(
      /^alert rules loaded after the first scrape of every generator target \(\d+s\)$/,
    );
  });

  it('waits for the last target of a job, not only the first', async () => {
    const prometheus = new FakePrometheus(['portal', 'ledger']);
    let loaded = false;
    const { done } = start(
      prometheus,
      async () => {
        loaded = true;
        prometheus.lastConfigMs = Date.now();
      },
      // Far longer than ten looks take on a busy machine: the bounded wait must not be what ends it.
      120_000,
    );
    prometheus.scrape('portal');
    prometheus.scrape('ledger');
    await until(() => prometheus.looks >= 10);
    // Prometheus lists one ledger target of the two.
    expect(loaded).toBe(false);
    // The second one scraped: now they load.
    prometheus.targets.push({ job: 'ledger', lastScrape: new Date().toISOString() });
    await done;
    expect(loaded).toBe(true);
  });

  it('loads them anyway after the bounded wait, naming what was not scraped', async () => {
    const prometheus = new FakePrometheus(['portal', 'ledger', 'ledger']);
    prometheus.scrape('portal');
    let loaded = false;
    const { done, messages } = start(
      prometheus,
      async () => {
        loaded = true;
        prometheus.lastConfigMs = Date.now();
      },
      300,
    );
    await done;
    expect(loaded).toBe(true);
    expect(messages.at(-1)).toBe(
      'Prometheus had not scraped ledger after 1s: loading the alert rules anyway (until it does, rules over its series see no live sample)',
    );
  });

  it('ends at once when its signal is aborted, loading nothing', async () => {
    const prometheus = new FakePrometheus(['portal', 'ledger', 'ledger']);
    vi.stubGlobal('fetch', prometheus.fetch);
    const abort = new AbortController();
    const load = vi.fn(async () => undefined);
    const done = loadRulesAfterFirstScrape({
      prometheusUrl: BASE,
      targets: [{ job: 'portal' }],
      load,
      intervalMs: 15_000,
      pollMs: 60_000,
      signal: abort.signal,
    });
    await until(() => prometheus.looks >= 1);
    const aborted = Date.now();
    abort.abort();
    await expect(done).rejects.toThrow(/abort/i);
    expect(Date.now() - aborted).toBeLessThan(1000);
    expect(load).not.toHaveBeenCalled();
  });

  it('fails when Prometheus rejects the rule files', async () => {
    const prometheus = new FakePrometheus(['portal', 'ledger', 'ledger']);
    prometheus.scrape('portal');
    prometheus.scrape('ledger');
    const { done } = start(prometheus, async () => {
      prometheus.reloadOk = false;
    });
    await expect(done).rejects.toThrow('Prometheus could not load the rule files (its log says why)');
  });
});

const bins = await requireBinaries(['prometheus', 'alertmanager']);
/** A short interval: the first scrapes come within seconds of the start, and the rules run every 2s. */
const INTERVAL = '2s';
const WATCH_MS = 30_000;

interface TargetsBody {
  data: { activeTargets: { labels: Record<string, string>; scrapeUrl: string; lastScrape: string }[] };
}
interface RulesBody {
  data: {
    groups: { lastEvaluation: string; rules: { name: string; health: string; lastEvaluation: string }[] }[];
  };
}
interface AlertsBody {
  data: { alerts: { labels: Record<string, string>; state: string }[] };
}

const getJson = async <T>(api: string, path: string) => (await (await fetch(`${api}${path}`)).json()) as T;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/**
 * From Prometheus' start: the rule groups it had then, when it first scraped each generator target (the
 * stack's own jobs carry `sandbox="stack"`), and when it first evaluated a rule group. Polled well within
 * the interval, so the first values seen are the first ones.
 */
async function watchFirstScrapesAndEvaluation(api: string) {
  const firstScrapes = new Map<string, number>();
  let groupsAtStart: number | undefined;
  let firstEvaluation: number | undefined;
  const seen = (time: string) => (Date.parse(time) > 0 ? Date.parse(time) : undefined);
  const end = Date.now() + 60_000;
  while (Date.now() < end && (firstEvaluation === undefined || firstScrapes.size < 4)) {
    try {
      const groups = (await getJson<RulesBody>(api, '/api/v1/rules')).data.groups;
      groupsAtStart ??= groups.length;
      for (const g of groups) {
        const at = seen(g.lastEvaluation);
        if (at !== undefined) firstEvaluation = Math.min(firstEvaluation ?? at, at);
      }
      for (const t of (await getJson<TargetsBody>(api, '/api/v1/targets')).data.activeTargets) {
        const at = seen(t.lastScrape);
        if (!t.labels.sandbox && at !== undefined && !firstScrapes.has(t.scrapeUrl))
          firstScrapes.set(t.scrapeUrl, at);
      }
    } catch {
      // Not answering yet.
    }
    await sleep(100);
  }
  return { groupsAtStart, firstScrapes: [...firstScrapes.values()], firstEvaluation };
}

/**
 * ReceiptRateAnomaly's alerts in Prometheus, every 2s from ready on, and how many distinct evaluations of its
 * rule that saw (so that a rule never evaluated cannot pass for a quiet one).
 */
async function watchReceiptRateAnomaly(api: string) {
  const seen: string[] = [];
  const evaluations = new Set<string>();
  const end = Date.now() + WATCH_MS;
  while (Date.now() < end) {
    const alerts = await getJson<AlertsBody>(api, '/api/v1/alerts');
    for (const a of alerts.data.alerts.filter((x) => x.labels.alertname === 'ReceiptRateAnomaly'))
      seen.push(`${a.state} ${JSON.stringify(a.labels)}`);
    const rules = await getJson<RulesBody>(api, '/api/v1/rules?type=alert');
    const rule = rules.data.groups.flatMap((g) => g.rules).find((r) => r.name === 'ReceiptRateAnomaly');
    if (rule?.health === 'ok') evaluations.add(rule.lastEvaluation);
    await sleep(2_000);
  }
  return { seen, evaluations: evaluations.size };
}

/** scenarios/baseline.yaml, 30 seconds long: none of its alerts may fire (nor go pending, for 10m rules). */
const baseline = readFileSync(join(import.meta.dirname, '..', '..', 'scenarios', 'baseline.yaml'), 'utf8')
  .replace(/^name: baseline$/m, 'name: baseline-seam')
  .replace(/^duration: 6h$/m, 'duration: 30s');

describe.skipIf(!bins.available)('a native sandbox where the loaded history meets the live scrapes', () => {
  let reaped: ReapedStateDir | undefined;
  let stateDir: string;
  let sandbox: Sandbox;
  const messages: string[] = [];
  let firstScrapesAndEvaluation: ReturnType<typeof watchFirstScrapesAndEvaluation> | undefined;
  let receiptRateAnomaly: ReturnType<typeof watchReceiptRateAnomaly>;
  let replay: Promise<ScenarioResult>;
  let atReady: { rules: string; stateRules?: string };
  let rulesLoadedAt: Promise<number>;
  let scenarioStartedAt: number | undefined;

  beforeAll(async () => {
    // Started here, not through startSandbox (which returns only once the rules are loaded): a reaper of
    // its own removes it should the worker be killed.
    reaped = reapedStateDir('obs-sandbox-seam-');
    stateDir = reaped.path;
    sandbox = await Sandbox.start({
      runtime: 'native',
      stateDir,
      interval: INTERVAL,
      generatorPort: 0,
      ports: { prometheus: await freePort(), alertmanager: await freePort(), grafana: await freePort() },
      onMessage: (m) => messages.push(m),
      onStatus: (status) => {
        if (status.service !== 'prometheus' || status.state !== 'running' || !status.url) return;
        firstScrapesAndEvaluation = watchFirstScrapesAndEvaluation(status.url);
        firstScrapesAndEvaluation.catch(() => undefined);
      },
    });
    atReady = { rules: sandbox.rules, stateRules: (await readState(stateDir))?.rules };
    rulesLoadedAt = sandbox.rulesLoaded.then(() => Date.now());
    rulesLoadedAt.catch(() => undefined);
    receiptRateAnomaly = watchReceiptRateAnomaly(sandbox.control.prometheusUrl);
    receiptRateAnomaly.catch(() => undefined);
    // Started at ready, before the rules are loaded: it must wait for them.
    replay = sandbox.scenarios.run(sandbox.scenarios.parse('baseline-seam.yaml', baseline), {
      onEvent: (event) => {
        if (event.type === 'started') scenarioStartedAt ??= Date.now();
      },
    });
    replay.catch(() => undefined);
  }, 120_000);

  afterAll(async () => {
    try {
      await sandbox?.stop();
    } finally {
      reaped?.release();
    }
  });

  it('is ready before the rules load, then loads them only once Prometheus has scraped every generator target', async () => {
    expect(atReady).toEqual({ rules: 'loading', stateRules: 'loading' });
    await sandbox.rulesLoaded;
    expect(sandbox.rules).toBe('loaded');
    expect((await readState(stateDir))?.rules).toBe('loaded');
    const { groupsAtStart, firstScrapes, firstEvaluation } = await firstScrapesAndEvaluation!;
    expect(groupsAtStart).toBe(0);
    expect(firstScrapes).toHaveLength(4);
    expect(firstEvaluation).toBeGreaterThan(Math.max(...firstScrapes));
    expect(messages).toContainEqual(
      expect.stringMatching(/^alert rules loaded after the first scrape of every generator target \(\d+s\)$/),
    );
  }, 90_000);

  it(
    'shows ReceiptRateAnomaly inactive (not even pending) from ready on',
    async () => {
      const api = sandbox.control.prometheusUrl;
      // The rule had a full band to judge by: every receipt series has an hour of 5m rates.
      const bands = await queryVector(api, 'stddev_over_time(rate(vaultmesh_receipts_total[5m])[1h:5m]) > 0');
      expect(bands).toHaveLength(12);
      const { seen, evaluations } = await receiptRateAnomaly;
      expect(seen).toEqual([]);
      expect(evaluations).toBeGreaterThanOrEqual(4);
    },
    WATCH_MS + 60_000,
  );

  it(
    'starts a live replay of the baseline asked for at ready once the rules are loaded, and passes it',
    async () => {
      const result = await replay;
      expect(scenarioStartedAt).toBeGreaterThanOrEqual(await rulesLoadedAt);
      expect(result.failures).toEqual([]);
      expect(result.unexpected.map((u) => u.expectation)).toEqual([]);
      expect(result.fired ?? []).toEqual([]);
      expect(result.passed).toBe(true);
    },
    WATCH_MS + 90_000,
  );
});
