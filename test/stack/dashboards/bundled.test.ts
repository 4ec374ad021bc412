import { parser as logql } from '@grafana/lezer-logql';
import { parser as promql } from '@prometheus-io/lezer-promql';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { defaultSystems, ruleFilesOf } from '../../../generators/systems/index.js';
import { bundledDashboards } from '../../../sandbox/stack/dashboards/bundled.js';
import { prometheusConfig } from '../../../sandbox/stack/configs/prometheus-config.js';
import { nativeAddresses } from '../../../sandbox/stack/stack-topology.js';
import { collectRuleFiles } from '../../../sandbox/rules/rule-files.js';
import { requireBinaries } from '../../support/binaries.js';
import { startCli, type RunningCli } from '../../support/cli.js';
import { waitFor } from '../../support/ports.js';
import { startPrometheus, type RunningPrometheus } from '../../support/prometheus.js';

interface Query {
  dashboard: string;
  panel: string;
  expr: string;
  datasource: string;
}

const queries: Query[] = Object.entries(bundledDashboards(defaultSystems())).flatMap(([file, d]) =>
  (d.panels as { title: string; targets: { expr: string; datasource: { type: string } }[] }[]).flatMap((p) =>
    p.targets
      .filter((t) => t.expr !== '')
      .map((t) => ({ dashboard: file, panel: p.title, expr: t.expr, datasource: t.datasource.type })),
  ),
);
const promqlQueries = queries.filter((q) => q.datasource === 'prometheus');
const logqlQueries = queries.filter((q) => q.datasource === 'loki');

const parses = (p: typeof promql | typeof logql, expr: string) => {
  let ok = true;
  p.parse(expr).iterate({ enter: (n) => void (n.type.isError && (ok = false)) });
  return ok;
};

describe('bundled dashboards', () => {
  it('have PromQL and LogQL queries, every one of which parses', () => {
    expect(promqlQueries.length).toBeGreaterThan(30);
    expect(logqlQueries.map((q) => q.expr)).toContain('{job="vaultmesh-guardian"} |= "anchor"');
    for (const q of promqlQueries)
      expect(parses(promql, q.expr), `${q.dashboard} / ${q.panel}: ${q.expr}`).toBe(true);
    for (const q of logqlQueries)
      expect(parses(logql, q.expr), `${q.dashboard} / ${q.panel}: ${q.expr}`).toBe(true);
  });
});

const bins = await requireBinaries(['prometheus']);

describe.skipIf(!bins.available)(
  'every dashboard PromQL query returns data from the running generators',
  () => {
    let generators: RunningCli;
    let prometheus: RunningPrometheus;

    beforeAll(async () => {
      // Anchors every 20s and a proof every 2s, so that hour-long panels have something within a minute.
      generators = startCli([
        'generate',
        '--port',
        '0',
        '--json',
        '--fault',
        'emergency',
        '--knob',
        'anchor_interval=20s',
        '--knob',
        'proof_rate=30',
      ]);
      const { targets } = JSON.parse(await generators.firstLine) as {
        targets: { job: string; url: string }[];
      };
      const addresses = nativeAddresses(
        { prometheus: 9090, alertmanager: 9093, grafana: 3000, loki: 3100, jaeger: 16686 },
        targets.map((t) => ({ job: t.job, port: Number(new URL(t.url).port) })),
        0,
      );
      const config = prometheusConfig({
        addresses,
        ruleFiles: await collectRuleFiles([], ruleFilesOf(defaultSystems())),
        scrapeInterval: '1s',
        evaluationInterval: '1s',
      });
      prometheus = await startPrometheus(bins.get('prometheus').path, config);
    }, 60_000);

    afterAll(async () => {
      await prometheus?.stop();
      await generators?.stop();
    });

    it('answers every query with at least one series', async () => {
      const pending = await waitFor(
        'every dashboard query to return data',
        async () => {
          const empty: string[] = [];
          for (const q of promqlQueries)
            if ((await prometheus.query(q.expr)).length === 0)
              empty.push(`${q.dashboard} / ${q.panel}: ${q.expr}`);
          return empty.length === 0 ? empty : undefined;
        },
        120_000,
      ).catch(async (error: Error) => {
        const empty: string[] = [];
        for (const q of promqlQueries)
          if ((await prometheus.query(q.expr)).length === 0)
            empty.push(`${q.dashboard} / ${q.panel}: ${q.expr}`);
        throw new Error(`${error.message}; still empty: ${empty.join(' | ')}`);
      });
      expect(pending).toEqual([]);
    }, 150_000);
  },
);
