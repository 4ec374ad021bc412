import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { prometheusConfig } from '../../../sandbox/stack/configs/prometheus-config.js';
import { nativeAddresses } from '../../../sandbox/stack/stack-topology.js';
import { requireBinaries } from '../../support/binaries.js';
import { startCli, type RunningCli } from '../../support/cli.js';
import { waitFor } from '../../support/ports.js';
import { startPrometheus, type RunningPrometheus } from '../../support/prometheus.js';

const bins = await requireBinaries(['prometheus']);

interface Target {
  labels: { job: string };
  health: string;
}

describe.skipIf(!bins.available)('the real Prometheus scrapes sandbox generate', () => {
  let generators: RunningCli;
  let prometheus: RunningPrometheus;
  let jobs: string[];

  beforeAll(async () => {
    generators = startCli(['generate', '--port', '0', '--json']);
    const { targets } = JSON.parse(await generators.firstLine) as { targets: { job: string; url: string }[] };
    jobs = targets.map((t) => t.job);
    const addresses = nativeAddresses(
      { prometheus: 9090, alertmanager: 9093, grafana: 3000, loki: 3100, jaeger: 16686 },
      targets.map((t) => ({ job: t.job, port: Number(new URL(t.url).port) })),
      0,
    );
    prometheus = await startPrometheus(
      bins.get('prometheus').path,
      prometheusConfig({ addresses, ruleFiles: [], scrapeInterval: '1s' }),
    );
  }, 60_000);

  afterAll(async () => {
    await prometheus?.stop();
    await generators?.stop();
  });

  it('sees every generator target up, and three healthy vaultmesh services', async () => {
    const targets = await waitFor('all generator targets up', async () => {
      const body = (await (await fetch(`${prometheus.api}/api/v1/targets`)).json()) as {
        data: { activeTargets: Target[] };
      };
      const ours = body.data.activeTargets.filter((t) => jobs.includes(t.labels.job));
      return ours.length === jobs.length && ours.every((t) => t.health === 'up') ? ours : undefined;
    });
    expect(targets.map((t) => t.labels.job).sort()).toEqual([...jobs].sort());
    const [result] = await prometheus.query('sum(up{job=~"vaultmesh-.*"})');
    expect(result?.value[1]).toBe('3');
  });

  it('stores the generators series with the seed names', async () => {
    const names = await waitFor('receipts and proofs series', async () => {
      const body = (await (await fetch(`${prometheus.api}/api/v1/label/__name__/values`)).json()) as {
        data: string[];
      };
      return body.data.includes('vaultmesh_receipts_total') && body.data.includes('proofs_generated_total')
        ? body.data
        : undefined;
    });
    expect(names).toContain('vaultmesh_guardian_proofchain_root_info');
    expect(names).toContain('vaultmesh_oracle_query_duration_seconds_bucket');
  });
});
