import { chmodSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { afterAll, describe, expect, it } from 'vitest';
import { requireBinaries } from '../../support/binaries.js';
import { startCli } from '../../support/cli.js';
import { FakeLoki } from '../../support/fake-loki.js';
import { waitFor } from '../../support/ports.js';
import { startReceiver } from '../../support/remote-write-receiver.js';

const bins = await requireBinaries(['prometheus', 'alertmanager', 'promtool']);

const dir = mkdtempSync(join(tmpdir(), 'obs-sandbox-start-rw-'));
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
        '24200',
        '--history',
        '0',
        '--remote-write',
        receiver.url,
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
      for (const secret of [rwToken, lokiToken]) expect(state).not.toContain(secret);
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
      expect(text).toContain(`logs also pushed to Loki at ${lokiUrl}/`);
      expect(await cli.stop('SIGTERM')).toBe(0);
      const printed = `${lines.join('\n')}\n${cli.stderr()}`;
      expect(printed).not.toMatch(/not delivered/);
      for (const secret of [rwToken, lokiToken]) expect(printed).not.toContain(secret);
    } finally {
      await cli.stop('SIGKILL');
      await receiver.stop();
      await loki.close();
    }
  }, 300_000);
});
