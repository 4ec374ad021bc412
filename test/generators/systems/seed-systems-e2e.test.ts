import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bundledDashboards } from '../../../sandbox/stack/dashboards/bundled.js';
import { prometheusConfig } from '../../../sandbox/stack/configs/prometheus-config.js';
import { nativeAddresses } from '../../../sandbox/stack/stack-topology.js';
import { collectRuleFiles } from '../../../sandbox/rules/rule-files.js';
import { loadSystemCatalogue, type SystemCatalogue } from '../../../sandbox/systems/system-catalogue.js';
import { requireBinaries } from '../../support/binaries.js';
import { startCli, type RunningCli } from '../../support/cli.js';
import { waitFor } from '../../support/ports.js';
import { startPrometheus, type RunningPrometheus } from '../../support/prometheus.js';

/** The three seed systems declared only as system files, served live and scraped by the real Prometheus. */
const SEED_SYSTEMS = ['vex-lens', 'lexecon', 'sankofa-phoenix'];
const bins = await requireBinaries(['prometheus']);

interface Rule {
  name: string;
  health: string;
  lastError?: string;
  type: string;
}

/** A query as Grafana runs it with every template variable at "All" (`.*`) and its interval macros set. */
const withVariablesAll = (expr: string) =>
  expr.replace(/\$\{?(\w+)\}?/g, (_m, name: string) => (name.startsWith('__') ? '1m' : '.*'));

interface RuleGroup {
  file: string;
  name: string;
  interval: number;
  rules: Rule[];
}

describe.skipIf(!bins.available)('the declared seed systems against the real Prometheus', () => {
  let catalogue: SystemCatalogue;
  let generators: RunningCli;
  let prometheus: RunningPrometheus;
  const seed = () => catalogue.systems.filter((s) => SEED_SYSTEMS.includes(s.name));

  beforeAll(async () => {
    catalogue = await loadSystemCatalogue({ systems: SEED_SYSTEMS });
    generators = startCli([
      'generate',
      '--port',
      '0',
      '--json',
      ...SEED_SYSTEMS.flatMap((s) => ['--system', s]),
    ]);
    const { targets } = JSON.parse(await generators.firstLine) as {
      targets: { job: string; url: string; instance?: number }[];
    };
    const addresses = nativeAddresses(
      { prometheus: 9090, alertmanager: 9093, grafana: 3000, loki: 3100, jaeger: 16686 },
      targets.map((t) => ({ job: t.job, port: Number(new URL(t.url).port) })),
      0,
    );
    const config = prometheusConfig({
      addresses,
      ruleFiles: await collectRuleFiles([], catalogue.ruleFiles),
      scrapeInterval: '1s',
      evaluationInterval: '1s',
    });
    prometheus = await startPrometheus(bins.get('prometheus').path, config);
  }, 90_000);

  afterAll(async () => {
    await prometheus?.stop();
    await generators?.stop();
  });

  it('scrapes every target of every seed system, several per job where declared', async () => {
    const expected = seed().flatMap((s) =>
      Object.values(s.jobs).map((job) => [job, s.instances?.[job] ?? 1] as const),
    );
    expect(expected.some(([, n]) => n > 1)).toBe(true);
    await waitFor(
      'every seed target up',
      async () => {
        for (const [job, count] of expected) {
          const up = await prometheus.query(`up{job="${job}"} == 1`);
          if (up.length !== count) return undefined;
        }
        return true;
      },
      60_000,
    );
  }, 90_000);

  it('serves every declared metric with its declared labels', async () => {
    const missing = await waitFor(
      'every declared metric',
      async () => {
        const problems: string[] = [];
        for (const metric of seed().flatMap((s) => s.metrics)) {
          const name =
            metric.type === 'histogram' || metric.type === 'summary' ? `${metric.name}_count` : metric.name;
          const series = await prometheus.query(`{__name__="${name}"}`);
          if (series.length === 0) {
            problems.push(`${metric.name}: no series`);
            continue;
          }
          const labels = new Set(Object.keys(series[0]!.metric));
          const absent = metric.labelNames.filter((l) => !labels.has(l));
          if (absent.length > 0) problems.push(`${metric.name}: no ${absent.join(', ')}`);
        }
        return problems.length === 0 ? problems : undefined;
      },
      60_000,
    ).catch((error: Error) => {
      throw new Error(error.message);
    });
    expect(missing).toEqual([]);
  }, 90_000);

  it('loads their rules, and evaluates every one without an error', async () => {
    const expectedRules = await collectRuleFiles([], catalogue.ruleFiles);
    expect(expectedRules.length).toBeGreaterThanOrEqual(3);
    const seedGroups = async () => {
      const body = (await (await fetch(`${prometheus.api}/api/v1/rules`)).json()) as {
        data: { groups: RuleGroup[] };
      };
      return body.data.groups.filter((g) => SEED_SYSTEMS.some((s) => g.file.includes(`/${s}/`)));
    };
    // A group evaluates first at an offset within its interval: Sankofa's hourly group may not have yet.
    const frequent = (g: RuleGroup) => g.interval <= 60;
    const groups = await waitFor(
      'rules evaluated',
      async () => {
        const all = await seedGroups();
        const ready = all
          .filter(frequent)
          .flatMap((g) => g.rules)
          .every((r) => r.health !== 'unknown');
        return all.length > 0 && ready ? all : undefined;
      },
      60_000,
    );
    expect(groups.flatMap((g) => g.rules).filter((r) => r.type === 'alerting').length).toBeGreaterThanOrEqual(
      21,
    );
    const unhealthy = groups.flatMap((g) =>
      g.rules
        .filter((r) => (frequent(g) ? r.health !== 'ok' : r.health === 'err'))
        .map((r) => `${r.name}: ${r.health} ${r.lastError ?? ''}`),
    );
    expect(unhealthy).toEqual([]);
  }, 90_000);

  it('answers every query of their dashboards, their own and the generated ones, with data', async () => {
    const dashboards = bundledDashboards(seed());
    // The sandbox's own overview is the bundled dashboards' test's.
    delete dashboards['sandbox-overview.json'];
    const queries = Object.entries(dashboards).flatMap(([file, d]) =>
      (
        (d.panels ?? []) as { title: string; targets?: { expr?: string; datasource?: { type?: string } }[] }[]
      ).flatMap((p) =>
        (p.targets ?? [])
          .filter((t) => t.expr && t.datasource?.type !== 'loki' && t.datasource?.type !== 'jaeger')
          .map((t) => ({ where: `${file} / ${p.title}`, expr: withVariablesAll(t.expr!) })),
      ),
    );
    expect(queries.length).toBeGreaterThan(60);
    const empty = async () => {
      const out: string[] = [];
      for (const q of queries) {
        if ((await prometheus.query(q.expr)).length === 0) out.push(`${q.where}: ${q.expr}`);
      }
      return out;
    };
    const still = await waitFor(
      'every dashboard query to return data',
      async () => {
        const out = await empty();
        return out.length === 0 ? out : undefined;
      },
      120_000,
    ).catch(async (error: Error) => {
      throw new Error(`${error.message}; still empty: ${(await empty()).join(' | ')}`);
    });
    expect(still).toEqual([]);
  }, 180_000);
});
