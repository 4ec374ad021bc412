import { chmodSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { afterAll, describe, expect, it } from 'vitest';
import { requireBinaries } from '../../support/binaries.js';
import { runCliAsync, startCli } from '../../support/cli.js';
import { FakeLoki } from '../../support/fake-loki.js';
import { freePort, waitFor } from '../../support/ports.js';
import { startReceiver } from '../../support/remote-write-receiver.js';

const bins = await requireBinaries(['prometheus', 'alertmanager', 'promtool']);

const dir = mkdtempSync(join(tmpdir(), 'obs-sandbox-start-rw-'));
/** A user, password and query token given in the push URLs: never printed, nor in the state file. */
const urlSecrets = ['rwuser7', 's3cret', 'k3y'];
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function secretFile(name: string, secret: string): string {
  const path = join(dir, name);
  writeFileSync(path, `${secret}\n`);
  chmodSync(path, 0o600);
  return path;
}

describe.skipIf(!bins.available)('sandbox start --remote-write and --loki', () => {
  it('pushes every series to a second Prometheus and the lines to a tenant of a remote Loki, with auth never printed', async () => {
    const stateDir = mkdtempSync(join(dir, 'state-'));
    const receiver = await startReceiver(bins.get('prometheus').path);
    const loki = new FakeLoki();
    const lokiUrl = await loki.listen();
    const rwToken = 'rw-token-8c1f2e';
    const lokiToken = 'loki-token-5d9a7b';
    const cli = startCli(
      [
        'start',
        '--runtime',
        'native',
        '--port',
        '0',
        '--port-offset',
        '5000',
        '--history',
        '0',
        // The start waits for Prometheus' first scrapes, staggered within its interval; pushes have their own.
        '--interval',
        '1s',
        '--remote-write',
        // Prometheus ignores the query; the bearer token's header wins over the URL's basic auth.
        `${receiver.url.replace('http://', 'http://rwuser7:pw-s3cret-91@')}?token=tok-k3y-42`,
        '--remote-write-interval',
        '1s',
        '--remote-write-tenant',
        'staging',
        '--remote-write-bearer-token-file',
        secretFile('rw-token', rwToken),
        '--loki',
        lokiUrl,
        '--loki-tenant',
        'team-a',
        '--loki-bearer-token-file',
        secretFile('loki-token', lokiToken),
        '--loki-header',
        'X-Env=ci',
      ],
      { ...process.env, OBS_SANDBOX_STATE_DIR: stateDir },
    );
    const lines: string[] = [];
    createInterface({ input: cli.child.stdout! }).on('line', (line) => lines.push(line));
    try {
      const running = await waitFor(
        'sandbox running',
        async () =>
          lines.some((l) => /sandbox running/.test(l))
            ? true
            : cli.child.exitCode !== null
              ? false
              : undefined,
        150_000,
      );
      expect(running, cli.stderr()).toBe(true);
      // The secrets stay in their files: not even the 0600 state file holds them.
      const state = readFileSync(join(stateDir, 'state.json'), 'utf8');
      for (const secret of [rwToken, lokiToken, ...urlSecrets]) expect(state).not.toContain(secret);
      const arrived = await waitFor(
        'the generators series in the second Prometheus',
        async () => {
          const series = await receiver.everything(Date.now());
          const jobs = new Set(series.map((s) => s.metric.job));
          return jobs.has('vaultmesh-portal') && series.length > 100 ? series : undefined;
        },
        60_000,
      );
      expect(arrived.some((s) => s.metric.__name__ === 'up')).toBe(false);
      await waitFor(
        'two pushes to Loki',
        async () => (loki.pushHeaders.length >= 2 ? true : undefined),
        60_000,
      );
      for (const headers of loki.pushHeaders)
        expect(headers).toMatchObject({
          'x-scope-orgid': 'team-a',
          authorization: `Bearer ${lokiToken}`,
          'x-env': 'ci',
        });
      const text = lines.join('\n');
      expect(text).toContain(`remote write: every series every 1s to ${receiver.url}`);
      expect(text).toContain(`logs also pushed to Loki at ${lokiUrl}`);
      const env = { ...process.env, OBS_SANDBOX_STATE_DIR: stateDir };
      const status = await runCliAsync(['status'], env);
      expect(status.stdout).toMatch(
        new RegExp(`pushes:\\n  remote write +sent [\\d,]+ queued [\\d,]+ dropped 0  ${receiver.url}\\n`),
      );
      expect(status.stdout).toMatch(new RegExp(`  loki +sent [\\d,]+ queued [\\d,]+ dropped 0  ${lokiUrl}`));
      expect(status.stdout).not.toMatch(/last error/);
      expect(await cli.stop('SIGTERM')).toBe(0);
      const printed = `${lines.join('\n')}\n${cli.stderr()}\n${status.stdout}${status.stderr}`;
      expect(printed).not.toMatch(/not delivered/);
      for (const secret of [rwToken, lokiToken, ...urlSecrets]) expect(printed).not.toContain(secret);
    } finally {
      await cli.stop('SIGKILL');
      await receiver.stop();
      await loki.close();
    }
  }, 300_000);

  it('shows failing pushes with their last error in --json events and `sandbox status`, secrets never', async () => {
    const stateDir = mkdtempSync(join(dir, 'state-'));
    const env = { ...process.env, OBS_SANDBOX_STATE_DIR: stateDir };
    const refusing = createServer((req, res) => {
      req.resume();
      req.on('end', () => res.writeHead(500).end('no way\nsecond line'));
    });
    await new Promise<void>((r) => refusing.listen(0, '127.0.0.1', r));
    const rwUrl = `http://127.0.0.1:${(refusing.address() as AddressInfo).port}/api/v1/write`;
    const lokiUrl = `http://127.0.0.1:${await freePort()}/`;
    const withSecrets = (url: string) =>
      `${url.replace('http://', 'http://rwuser7:pw-s3cret-91@')}?token=tok-k3y-42`;
    const cli = startCli(
      [
        'start',
        '--json',
        '--runtime',
        'native',
        '--port',
        '0',
        '--port-offset',
        '5000',
        '--history',
        '0',
        '--interval',
        '1s',
        '--remote-write',
        withSecrets(rwUrl),
        '--remote-write-interval',
        '1s',
        '--loki',
        withSecrets(lokiUrl),
      ],
      env,
    );
    const lines: string[] = [];
    createInterface({ input: cli.child.stdout! }).on('line', (line) => lines.push(line));
    try {
      const status = await waitFor(
        'both pushes failing in `sandbox status --json`',
        async () => {
          if (cli.child.exitCode !== null) throw new Error(`start exited: ${cli.stderr()}`);
          if (!lines.some((l) => l.includes('"type":"ready"'))) return undefined;
          const answer = await runCliAsync(['status', '--json'], env);
          const outputs = (JSON.parse(answer.stdout) as { outputs: { lastError?: string }[] }).outputs;
          return outputs.length === 2 && outputs.every((o) => o.lastError) ? answer : undefined;
        },
        180_000,
      );
      expect(JSON.parse(status.stdout)).toMatchObject({
        outputs: [
          { name: 'remote write', url: rwUrl, sent: 0, lastError: 'HTTP 500: no way' },
          { name: 'loki', url: lokiUrl, sent: 0, lastError: 'connection refused (ECONNREFUSED)' },
        ],
      });
      const text = await runCliAsync(['status'], env);
      expect(text.stdout).toContain(`  remote write sent 0 queued`);
      expect(text.stdout).toContain('    last error: HTTP 500: no way\n');
      expect(text.stdout).toContain('    last error: connection refused (ECONNREFUSED)\n');
      expect(await cli.stop('SIGTERM')).toBe(0);
      const printed = [
        lines.join('\n'),
        cli.stderr(),
        status.stdout,
        status.stderr,
        text.stdout,
        text.stderr,
      ];
      expect(printed.join('\n')).toMatch(/is unreachable/);
      for (const secret of urlSecrets) expect(printed.join('\n')).not.toContain(secret);
    } finally {
      await cli.stop('SIGKILL');
      refusing.closeAllConnections();
      await new Promise((r) => refusing.close(r));
    }
  }, 300_000);
});
