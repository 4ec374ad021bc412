import { spawn, type ChildProcess } from 'node:child_process';
import { readFile, stat, writeFile } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { alertmanagerCommand } from '../../../../sandbox/stack/native/alertmanager-templates.js';
import { requireBinaries } from '../../../support/binaries.js';
import { runCliAsync, startCli, type RunningCli } from '../../../support/cli.js';
import { freePort, waitFor } from '../../../support/ports.js';
import { reapedRun, type ReapedRun } from '../../../support/reaped-run.js';

const bins = await requireBinaries(['prometheus', 'alertmanager']);

const RULES = `groups:
  - name: remote-test
    interval: 1s
    rules:
      - alert: NodeUnhealthyFast
        expr: vaultmesh_mesh_node_healthy == 0
        for: 2s
        labels: { severity: warning, node: "{{ $labels.node_id }}" }
      - alert: NeverFires
        expr: vaultmesh_mesh_node_healthy == 7
        labels: { severity: warning }
`;

const ALERTMANAGER = `route:
  receiver: default
  group_wait: 1s
  group_interval: 1s
  routes:
    - matchers: ['alertname="NodeUnhealthyFast"']
      receiver: team-a
receivers:
  - name: default
  - name: team-a
`;

const scenario = (
  name: string,
  expect: string,
  timing: { faultAt: string; duration: string },
) => `name: ${name}
description: node-fra-02 reports itself unhealthy ${timing.faultAt} in
duration: ${timing.duration}
steps:
  - at: ${timing.faultAt}
    name: fault
    fault: node_unhealthy
    params: { node: node-fra-02 }
expect:
${expect}`;

// With the rules' 1s interval and for: 2s the alert fires about 4s after the fault: 15s is ample margin, and
// the 20s run polls the rules often enough for the header checks.
const PASSING = scenario(
  'remote-fires',
  `  - alert: NodeUnhealthyFast
    silent: { to: 5s }
  - alert: NodeUnhealthyFast
    labels: { node: node-fra-02 }
    fires: { after: fault, within: 15s }
    notifies: team-a
`,
  { faultAt: '5s', duration: '20s' },
);

// A rule that cannot fire fails however long the wait: a short one decides it 4s in.
const FAILING = scenario(
  'remote-cannot-fire',
  `  - alert: NeverFires
    fires: { after: fault, within: 3s }
`,
  { faultAt: '1s', duration: '5s' },
);

function spawnService(binary: string, args: string[], env: NodeJS.ProcessEnv): ChildProcess {
  return spawn(binary, args, { stdio: 'ignore', env });
}

async function stopService(child: ChildProcess | undefined): Promise<void> {
  if (!child || child.exitCode !== null) return;
  child.kill('SIGTERM');
  await new Promise((r) => child.once('exit', r));
}

/** A proxy in front of Prometheus that records the headers of each request, as a gateway would see them. */
function headerRecorder(upstream: () => string, seen: Record<string, string | undefined>[]): Server {
  return createServer((req, res) => {
    seen.push({
      path: req.url,
      tenant: req.headers['x-scope-orgid'] as string | undefined,
      team: req.headers['x-team'] as string | undefined,
      authorization: req.headers.authorization,
    });
    fetch(`${upstream()}${req.url}`)
      .then(async (r) => res.writeHead(r.status, { 'content-type': 'application/json' }).end(await r.text()))
      .catch(() => res.writeHead(502).end());
  });
}

describe.skipIf(!bins.available)(
  'replay --mode live against a Prometheus and Alertmanager of your own',
  () => {
    let dir: string;
    let run: ReapedRun | undefined;
    let generator: RunningCli;
    let controlUrl: string;
    let prometheus: ChildProcess | undefined;
    let alertmanager: ChildProcess | undefined;
    let proxy: Server;
    let proxyUrl: string;
    let alertmanagerUrl: string;
    const seen: Record<string, string | undefined>[] = [];
    const tokenFile = () => join(dir, 'control.token');

    beforeAll(async () => {
      // Should the worker be killed, the reaper kills what runs in it (services spawned with its env).
      run = await reapedRun('obs-sandbox-remote-');
      dir = run.dir;
      generator = startCli([
        'generate',
        '--port',
        '0',
        '--json',
        '--control-port',
        '0',
        '--control-token-file',
        tokenFile(),
      ]);
      const summary = JSON.parse(await generator.firstLine) as {
        targets: { url: string }[];
        control: { urls: string[] };
      };
      controlUrl = summary.control.urls[0]!;
      const targets = summary.targets.map((t) => `'${new URL(t.url).host}'`).join(', ');
      const [amPort, promPort] = [await freePort(), await freePort()];
      alertmanagerUrl = `http://127.0.0.1:${amPort}`;
      await writeFile(join(dir, 'alertmanager.yml'), ALERTMANAGER);
      const binary = bins.get('alertmanager');
      // Debian's build reads its templates from /usr/share: run it as the native stack does.
      const command = await alertmanagerCommand(
        binary.path,
        [
          `--config.file=${join(dir, 'alertmanager.yml')}`,
          `--storage.path=${join(dir, 'am')}`,
          `--web.listen-address=127.0.0.1:${amPort}`,
          '--cluster.listen-address=',
        ],
        binary.assetsDir,
        dir,
      );
      if ('unavailable' in command) throw new Error(command.unavailable);
      alertmanager = spawnService(command.command, command.args, run.env);
      await writeFile(join(dir, 'rules.yml'), RULES);
      await writeFile(
        join(dir, 'prometheus.yml'),
        `global: { scrape_interval: 1s, evaluation_interval: 1s }
rule_files: [${JSON.stringify(join(dir, 'rules.yml'))}]
alerting: { alertmanagers: [{ static_configs: [{ targets: ['127.0.0.1:${amPort}'] }] }] }
scrape_configs: [{ job_name: generators, static_configs: [{ targets: [${targets}] }] }]
`,
      );
      // Behind a path prefix, as Mimir's ruler serves its API under /prometheus.
      prometheus = spawnService(
        bins.get('prometheus').path,
        [
          `--config.file=${join(dir, 'prometheus.yml')}`,
          `--storage.tsdb.path=${join(dir, 'tsdb')}`,
          `--web.listen-address=127.0.0.1:${promPort}`,
          '--web.route-prefix=/prometheus',
          `--web.external-url=http://127.0.0.1:${promPort}/prometheus`,
        ],
        run.env,
      );
      proxy = headerRecorder(() => `http://127.0.0.1:${promPort}`, seen);
      await new Promise<void>((resolve) => proxy.listen(0, '127.0.0.1', resolve));
      proxyUrl = `http://127.0.0.1:${(proxy.address() as { port: number }).port}/prometheus`;
      await waitFor(
        'Prometheus ready',
        async () => ((await fetch(`${proxyUrl}/-/ready`)).ok ? true : undefined),
        60_000,
      );
      await waitFor(
        'Alertmanager ready',
        async () => ((await fetch(`${alertmanagerUrl}/-/ready`)).ok ? true : undefined),
        60_000,
      );
      await waitFor(
        'the generators scraped',
        async () => {
          const r = await fetch(`${proxyUrl}/api/v1/query?query=count(vaultmesh_mesh_node_healthy)`);
          const body = (await r.json()) as { data: { result: unknown[] } };
          return body.data.result.length > 0 ? true : undefined;
        },
        60_000,
      );
    }, 180_000);

    afterAll(async () => {
      await generator?.stop();
      await Promise.all([stopService(prometheus), stopService(alertmanager)]);
      await new Promise((r) => (proxy ? proxy.close(r) : r(undefined)));
      await run?.release();
    }, 60_000);

    const environment = () => [
      '--mode',
      'live',
      '--prometheus',
      proxyUrl,
      '--alertmanager',
      alertmanagerUrl,
      '--generators',
      controlUrl,
      '--generators-token-file',
      tokenFile(),
    ];

    it('made the control token file 0600', async () => {
      expect((await stat(tokenFile())).mode & 0o777).toBe(0o600);
    });

    it('passes when the rule fires and Alertmanager routes it to the expected receiver; sends the tenant, header and bearer token', async () => {
      await writeFile(join(dir, 'fires.yaml'), PASSING);
      await writeFile(join(dir, 'bearer'), 's3cret-token\n');
      const junit = join(dir, 'fires.xml');
      const run = await runCliAsync([
        'replay',
        join(dir, 'fires.yaml'),
        ...environment(),
        '--tenant',
        'team-a',
        '--prometheus-header',
        'X-Team=blue',
        '--prometheus-auth',
        `bearer-file:${join(dir, 'bearer')}`,
        '--junit',
        junit,
      ]);
      expect(run.stderr).not.toMatch(/Error:|at .*\.js/);
      expect(run.code, run.stdout + run.stderr).toBe(0);
      expect(run.stdout).toMatch(/PASS/);
      expect(run.stdout).toContain(proxyUrl);
      expect(run.stdout).toContain(alertmanagerUrl);
      expect(run.stdout).toMatch(/notified via team-a/);
      const xml = await readFile(junit, 'utf8');
      expect(xml).toContain(proxyUrl);
      expect(xml + run.stdout + run.stderr).not.toContain('s3cret-token');
      const rules = seen.filter((s) => s.path?.startsWith('/prometheus/api/v1/rules'));
      expect(rules.length).toBeGreaterThan(10);
      expect(rules.every((s) => s.tenant === 'team-a' && s.team === 'blue')).toBe(true);
      expect(rules.every((s) => s.authorization === 'Bearer s3cret-token')).toBe(true);
      // The fault was put back in the generator after the run.
      const state = (await (
        await fetch(`${controlUrl}/v1/state`, {
          headers: {
            authorization: `Bearer ${(await readFile(tokenFile(), 'utf8')).trim()}`,
          },
        })
      ).json()) as { faults: unknown[] };
      expect(state.faults).toEqual([]);
    }, 240_000);

    it('fails (exit 1) when the rule cannot fire', async () => {
      await writeFile(join(dir, 'cannot.yaml'), FAILING);
      const run = await runCliAsync(['replay', join(dir, 'cannot.yaml'), ...environment(), '--json']);
      expect(run.code, run.stderr).toBe(1);
      const [result] = JSON.parse(run.stdout) as { passed: boolean; notes: string[] }[];
      expect(result?.passed).toBe(false);
      expect(result?.notes.join('\n')).toContain(proxyUrl);
    }, 240_000);

    it('refuses an alert the evaluator has no rule for, with did-you-mean (exit 2)', async () => {
      await writeFile(join(dir, 'typo.yaml'), PASSING.replace(/NodeUnhealthyFast/g, 'NodeUnhealthyFsat'));
      const run = await runCliAsync(['replay', join(dir, 'typo.yaml'), ...environment()]);
      expect(run.code).toBe(2);
      expect(run.stderr.trim()).toMatch(
        /typo\.yaml:\d+:\d+: .*no loaded rule defines alert "NodeUnhealthyFsat" \(did you mean NodeUnhealthyFast\?\)/,
      );
      expect(run.stderr.trim().split('\n')).toHaveLength(1);
    }, 120_000);
  },
);
