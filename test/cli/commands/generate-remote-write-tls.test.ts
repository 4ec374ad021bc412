import { spawn, type ChildProcess } from 'node:child_process';
import { chmodSync, copyFileSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { request } from 'node:https';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { requireBinaries } from '../../support/binaries.js';
import { startCli } from '../../support/cli.js';
import { freePort, waitFor } from '../../support/ports.js';
import { reapedRun, type ReapedRun } from '../../support/reaped-run.js';

const bins = await requireBinaries(['prometheus']);
/** A self-signed certificate for 127.0.0.1: the receiver's, the CA both sides trust, and the client's. */
const FIXTURE = join(import.meta.dirname, '../../fixtures/remote-write-tls');

/**
 * The real Prometheus as a remote-write receiver behind TLS that requires a client certificate (its
 * --web.config.file), as a Mimir or a gateway with mutual TLS would.
 */
describe.skipIf(!bins.available)(
  'sandbox generate --remote-write over mutual TLS into the real Prometheus',
  () => {
    const dir = mkdtempSync(join(tmpdir(), 'obs-sandbox-rw-tls-'));
    const cert = join(FIXTURE, 'cert.pem');
    const key = join(dir, 'client-key.pem');
    let prometheus: ChildProcess | undefined;
    let run: ReapedRun | undefined;
    let base = '';

    /** GET from Prometheus' API with the client certificate (it asks every client for one). */
    function get(path: string): Promise<{ status: number; body: string }> {
      return new Promise((resolve, reject) => {
        const req = request(
          `${base}${path}`,
          { ca: readFileSync(cert), cert: readFileSync(cert), key: readFileSync(key) },
          (res) => {
            let body = '';
            res.setEncoding('utf8').on('data', (c: string) => (body += c));
            res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
          },
        );
        req.on('error', reject);
        req.end();
      });
    }

    beforeAll(async () => {
      copyFileSync(join(FIXTURE, 'key.pem'), key);
      chmodSync(key, 0o600);
      writeFileSync(join(dir, 'prometheus.yml'), 'global:\n  scrape_interval: 1h\n');
      writeFileSync(
        join(dir, 'web.yml'),
        `tls_server_config:\n  cert_file: ${cert}\n  key_file: ${key}\n  client_auth_type: RequireAndVerifyClientCert\n  client_ca_file: ${cert}\n`,
      );
      const port = await freePort();
      base = `https://127.0.0.1:${port}`;
      // Should the worker be killed, the reaper kills it (it is known by the run's TMPDIR).
      run = await reapedRun('obs-sandbox-rw-tls-run-');
      prometheus = spawn(
        bins.get('prometheus').path,
        [
          `--config.file=${join(dir, 'prometheus.yml')}`,
          `--storage.tsdb.path=${join(dir, 'data')}`,
          `--web.listen-address=127.0.0.1:${port}`,
          `--web.config.file=${join(dir, 'web.yml')}`,
          '--web.enable-remote-write-receiver',
        ],
        { stdio: 'ignore', env: run.env },
      );
      await waitFor('Prometheus ready over TLS', async () =>
        (await get('/-/ready')).status === 200 ? true : undefined,
      );
    }, 90_000);

    afterAll(async () => {
      if (prometheus && prometheus.exitCode === null) {
        prometheus.kill('SIGTERM');
        await new Promise((r) => prometheus!.once('exit', r));
      }
      await run?.release();
      rmSync(dir, { recursive: true, force: true });
    });

    const push = (extra: string[]) =>
      startCli([
        'generate',
        '--no-scrape',
        '--remote-write',
        `${base}/api/v1/write`,
        '--remote-write-interval',
        '1s',
        '--remote-write-ca',
        cert,
        ...extra,
      ]);

    it('delivers the series with the client certificate and key', async () => {
      const cli = push(['--remote-write-cert', cert, '--remote-write-key', key]);
      const count = await waitFor(
        'the portal series in Prometheus',
        async () => {
          const { body } = await get(
            `/api/v1/query?query=${encodeURIComponent('count({job="vaultmesh-portal"})')}`,
          );
          const result = (JSON.parse(body) as { data: { result: { value: [number, string] }[] } }).data
            .result;
          return result.length > 0 ? Number(result[0]!.value[1]) : undefined;
        },
        90_000,
      );
      expect(count).toBeGreaterThan(10);
      expect(await cli.stop('SIGTERM')).toBe(0);
      expect(cli.stderr()).not.toMatch(/failed/);
    }, 120_000);

    it('is refused without one, and says why', async () => {
      const cli = push([]);
      await waitFor(
        'the refusal',
        async () => (/remote write to .* failed/.test(cli.stderr()) ? true : undefined),
        90_000,
      );
      expect(await cli.stop('SIGTERM')).toBe(0);
      const refusal = cli
        .stderr()
        .split('\n')
        .find((line) => line.includes('failed'));
      expect(refusal).toMatch(
        /remote write to https:\/\/127\.0\.0\.1:\d+\/api\/v1\/write failed \(.*certificate required.*\) after \d+ attempts; dropping that batch$/,
      );
    }, 120_000);
  },
);
