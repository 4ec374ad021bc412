import { spawn, type ChildProcess } from 'node:child_process';
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { requireBinaries } from '../../../support/binaries.js';
import { runCliAsync, startCli, type RunningCli } from '../../../support/cli.js';
import { freePort, waitFor } from '../../../support/ports.js';
import { reapedRun, type ReapedRun } from '../../../support/reaped-run.js';

const bins = await requireBinaries(['prometheus']);

const RULES = `groups:
  - name: scaled-test
    interval: 1s
    rules:
      - alert: NodeUnhealthyFast
        expr: vaultmesh_mesh_node_healthy == 0
        for: 2s
        labels: { severity: warning, node: "{{ $labels.node_id }}" }
`;

/**
 * The alert must fire in both replicas: each is in its own shard, so both shards must have been switched. With
 * 1s pushes, the rules' 1s interval and for: 2s it fires about 5s after the fault: 15s is ample margin.
 */
const SCENARIO = `name: scaled-shards-fire
description: node-fra-02 reports itself unhealthy 5s in, in every replica of every shard
duration: 20s
steps:
  - at: 5s
    name: fault
    fault: node_unhealthy
    params: { node: node-fra-02 }
expect:
  - alert: NodeUnhealthyFast
    silent: { to: 5s }
  - alert: NodeUnhealthyFast
    labels: { node: node-fra-02, replica: "0" }
    fires: { after: fault, within: 15s }
  - alert: NodeUnhealthyFast
    labels: { node: node-fra-02, replica: "1" }
    fires: { after: fault, within: 15s }
`;

interface Summary {
  control: { urls: string[] };
  shard: string;
}

describe.skipIf(!bins.available)(
  'replay --mode live against two shards of generate --scale 2 pushing into Prometheus',
  () => {
    let dir: string;
    let run: ReapedRun | undefined;
    let prometheus: ChildProcess | undefined;
    let promUrl: string;
    const shards: RunningCli[] = [];
    const controlUrls: string[] = [];
    const tokenFile = () => join(dir, 'control.token');
    const token = async () => (await readFile(tokenFile(), 'utf8')).trim();
    const state = async (url: string) =>
      (await (
        await fetch(`${url}/v1/state`, { headers: { authorization: `Bearer ${await token()}` } })
      ).json()) as { faults: unknown[]; replicas: string[] };

    beforeAll(async () => {
      // Should the worker be killed, the reaper kills the Prometheus spawned with its env.
      run = await reapedRun('obs-sandbox-remote-scaled-');
      dir = run.dir;
      const port = await freePort();
      promUrl = `http://127.0.0.1:${port}`;
      await writeFile(join(dir, 'rules.yml'), RULES);
      await writeFile(
        join(dir, 'prometheus.yml'),
        `global: { scrape_interval: 1h, evaluation_interval: 1s }\nrule_files: [${JSON.stringify(join(dir, 'rules.yml'))}]\n`,
      );
      prometheus = spawn(
        bins.get('prometheus').path,
        [
          `--config.file=${join(dir, 'prometheus.yml')}`,
          `--storage.tsdb.path=${join(dir, 'tsdb')}`,
          `--web.listen-address=127.0.0.1:${port}`,
          '--web.enable-remote-write-receiver',
        ],
        { stdio: 'ignore', env: run.env },
      );
      await waitFor(
        'Prometheus ready',
        async () => ((await fetch(`${promUrl}/-/ready`)).ok ? true : undefined),
        60_000,
      );
      // One after the other: the first makes the token file, the second reads it.
      for (const shard of ['0/2', '1/2']) {
        const cli = startCli([
          'generate',
          '--json',
          '--no-scrape',
          '--scale',
          '2',
          '--shard',
          shard,
          '--remote-write',
          `${promUrl}/api/v1/write`,
          '--remote-write-interval',
          '1s',
          '--control-port',
          '0',
          '--control-token-file',
          tokenFile(),
        ]);
        shards.push(cli);
        const summary = JSON.parse(await cli.firstLine) as Summary;
        controlUrls.push(summary.control.urls[0]!);
      }
      await waitFor(
        'both replicas pushed',
        async () => {
          const query = encodeURIComponent('count by (replica) (vaultmesh_mesh_node_healthy)');
          const body = (await (await fetch(`${promUrl}/api/v1/query?query=${query}`)).json()) as {
            data: { result: unknown[] };
          };
          return body.data.result.length === 2 ? true : undefined;
        },
        60_000,
      );
    }, 180_000);

    afterAll(async () => {
      for (const cli of shards) await cli.stop();
      if (prometheus && prometheus.exitCode === null) {
        prometheus.kill('SIGTERM');
        await new Promise((r) => prometheus!.once('exit', r));
      }
      await run?.release();
    }, 60_000);

    it('each shard simulates its own replica', async () => {
      expect((await state(controlUrls[0]!)).replicas).toEqual(['0']);
      expect((await state(controlUrls[1]!)).replicas).toEqual(['1']);
    });

    it('switches the fault in every shard, sees the alert fire in both replicas, and puts the fault back', async () => {
      await writeFile(join(dir, 'scaled.yaml'), SCENARIO);
      const run = await runCliAsync([
        'replay',
        join(dir, 'scaled.yaml'),
        '--mode',
        'live',
        '--prometheus',
        promUrl,
        '--generators',
        controlUrls.join(','),
        '--generators-token-file',
        tokenFile(),
      ]);
      expect(run.code, run.stdout + run.stderr).toBe(0);
      expect(run.stdout).toMatch(/PASS/);
      for (const url of controlUrls) expect((await state(url)).faults).toEqual([]);
    }, 240_000);
  },
);
