import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { requireBinaries } from './support/binaries.js';
import { startCli, type RunningCli } from './support/cli.js';
import { freePort, waitFor } from './support/ports.js';

const bins = await requireBinaries(['prometheus']);

interface Target {
  labels: { job: string };
  health: string;
  lastError: string;
}

describe.skipIf(!bins.available)('the real Prometheus scrapes sandbox generate', () => {
  let dir: string;
  let generators: RunningCli;
  let prometheus: ChildProcess;
  let api: string;
  let jobs: string[];

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'obs-sandbox-prom-'));
    generators = startCli(['generate', '--port', '0', '--json']);
    const { targets } = JSON.parse(await generators.firstLine) as { targets: { job: string; url: string }[] };
    jobs = targets.map((t) => t.job);
    const scrapeConfigs = targets.map(({ job, url }) => {
      const { host, pathname } = new URL(url);
      return `  - job_name: ${job}\n    metrics_path: ${pathname}\n    static_configs: [{ targets: ['${host}'] }]`;
    });
    await writeFile(
      join(dir, 'prometheus.yml'),
      `global:\n  scrape_interval: 1s\n  evaluation_interval: 1s\nscrape_configs:\n${scrapeConfigs.join('\n')}\n`,
    );
    const port = await freePort();
    api = `http://127.0.0.1:${port}`;
    prometheus = spawn(
      bins.get('prometheus').path,
      [
        `--config.file=${join(dir, 'prometheus.yml')}`,
        `--storage.tsdb.path=${join(dir, 'data')}`,
        `--web.listen-address=127.0.0.1:${port}`,
      ],
      { stdio: 'ignore' },
    );
  }, 60_000);

  afterAll(async () => {
    prometheus?.kill('SIGTERM');
    await generators?.stop();
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  it('sees every target up, and three healthy vaultmesh services', async () => {
    const targets = await waitFor('all targets up', async () => {
      const body = (await (await fetch(`${api}/api/v1/targets`)).json()) as {
        data: { activeTargets: Target[] };
      };
      const active = body.data.activeTargets;
      return active.length === jobs.length && active.every((t) => t.health === 'up') ? active : undefined;
    });
    expect(targets.map((t) => t.labels.job).sort()).toEqual([...jobs].sort());
    const query = encodeURIComponent('sum(up{job=~"vaultmesh-.*"})');
    const result = (await (await fetch(`${api}/api/v1/query?query=${query}`)).json()) as {
      data: { result: { value: [number, string] }[] };
    };
    expect(result.data.result[0]?.value[1]).toBe('3');
  });

  it('stores the generators series with the seed names', async () => {
    const names = await waitFor('receipts and proofs series', async () => {
      const body = (await (await fetch(`${api}/api/v1/label/__name__/values`)).json()) as { data: string[] };
      return body.data.includes('vaultmesh_receipts_total') && body.data.includes('proofs_generated_total')
        ? body.data
        : undefined;
    });
    expect(names).toContain('vaultmesh_guardian_proofchain_root_info');
    expect(names).toContain('vaultmesh_oracle_query_duration_seconds_bucket');
  });
});
