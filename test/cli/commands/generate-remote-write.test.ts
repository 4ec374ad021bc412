import { createServer, type IncomingHttpHeaders, type IncomingMessage } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createInterface } from 'node:readline';
import { describe, expect, it } from 'vitest';
import {
  decodeWriteRequest,
  type TimeSeries,
} from '../../../generators/outputs/remote-write/write-request.js';
import { startCli } from '../../support/cli.js';
import { waitFor } from '../../support/ports.js';

describe('sandbox generate --remote-write', () => {
  it('pushes its shard of the scaled system with the tenant, auth and headers asked for, and stops on SIGTERM', async () => {
    const pushes: { headers: IncomingHttpHeaders; series: TimeSeries[] }[] = [];
    const receiver = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        pushes.push({ headers: req.headers, series: decodeWriteRequest(Buffer.concat(chunks)) });
        res.writeHead(204).end();
      });
    });
    await new Promise<void>((r) => receiver.listen(0, '127.0.0.1', r));
    const url = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/api/v1/write`;
    try {
      const cli = startCli(
        [
          'generate',
          '--json',
          '--no-scrape',
          '--scale',
          '2',
          '--shard',
          '1/2',
          '--remote-write',
          url,
          '--remote-write-interval',
          '1s',
          '--remote-write-tenant',
          'team-a',
          '--remote-write-user',
          'bob',
          '--remote-write-header',
          'X-Env=ci',
        ],
        { ...process.env, SANDBOX_REMOTE_WRITE_PASSWORD: 'pw' },
      );
      const summary = JSON.parse(await cli.firstLine) as {
        targets: unknown[];
        remoteWrite: { series: number };
      };
      expect(summary.targets).toEqual([]);
      expect(summary.remoteWrite.series).toBeGreaterThan(100);
      await waitFor('two pushes', async () => (pushes.length >= 2 ? true : undefined), 60_000);
      expect(await cli.stop('SIGTERM')).toBe(0);
      expect(cli.stderr()).not.toMatch(/pw|not delivered/);
      expect(pushes[0]!.headers).toMatchObject({
        'x-scope-orgid': 'team-a',
        authorization: `Basic ${Buffer.from('bob:pw').toString('base64')}`,
        'x-env': 'ci',
        'content-encoding': 'snappy',
      });
      const labels = pushes
        .flatMap((p) => p.series)
        .map((s) => Object.fromEntries(s.labels.map((l) => [l.name, l.value])));
      // Shard 1 of 2 holds the second half of the 8 targets: replica 1's.
      expect(new Set(labels.map((l) => l.replica))).toEqual(new Set(['1']));
      expect(new Set(labels.map((l) => l.job)).size).toBe(4);
      expect(labels.every((l) => l.instance === `${l.job}-0`)).toBe(true);
    } finally {
      receiver.closeAllConnections();
      await new Promise((r) => receiver.close(r));
    }
  }, 120_000);

  it.each([
    { answer: 204, json: true },
    { answer: 500, json: false },
  ])(
    'never shows the user, password or query of a push URL (receivers answering $answer)',
    async ({ answer, json }) => {
      const requests: IncomingMessage[] = [];
      const receiver = createServer((req, res) => {
        requests.push(req);
        req.resume();
        req.on('end', () => res.writeHead(answer).end(answer === 204 ? '' : 'no way\nsecond line'));
      });
      await new Promise<void>((r) => receiver.listen(0, '127.0.0.1', r));
      const base = `http://rwuser7:pw-s3cret-91@127.0.0.1:${(receiver.address() as AddressInfo).port}`;
      const secrets = ['rwuser7', 's3cret', 'k3y'];
      try {
        const cli = startCli([
          'generate',
          ...(json ? ['--json'] : []),
          '--no-scrape',
          '--remote-write',
          `${base}/api/v1/write?token=tok-k3y-42`,
          '--remote-write-interval',
          '1s',
          '--loki',
          `${base}/base?token=tok-k3y-42`,
        ]);
        const stdout: string[] = [];
        createInterface({ input: cli.child.stdout! }).on('line', (line) => stdout.push(line));
        const paths = () => new Set(requests.map((r) => r.url));
        await waitFor(
          'pushes to both receivers',
          async () =>
            paths().has('/api/v1/write?token=tok-k3y-42') &&
            paths().has('/base/loki/api/v1/push?token=tok-k3y-42') &&
            (answer === 204 || /remote write to .* failed/.test(cli.stderr()))
              ? true
              : undefined,
          90_000,
        );
        const auth = `Basic ${Buffer.from('rwuser7:pw-s3cret-91').toString('base64')}`;
        for (const req of requests) expect(req.headers.authorization).toBe(auth);
        expect(await cli.stop('SIGTERM')).toBe(0);
        const printed = `${stdout.join('\n')}\n${cli.stderr()}`;
        expect(printed).toContain('127.0.0.1');
        for (const secret of secrets) expect(printed).not.toContain(secret);
        if (answer === 500) {
          expect(cli.stderr()).toMatch(/remote write to http:\/\/127\.0\.0\.1:\d+\/api\/v1\/write failed/);
          expect(cli.stderr()).toContain('HTTP 500: no way');
          expect(stdout.join('\n')).toMatch(/pushed to Loki at http:\/\/127\.0\.0\.1:\d+\/base\n/);
        }
      } finally {
        receiver.closeAllConnections();
        await new Promise((r) => receiver.close(r));
      }
    },
    150_000,
  );
});
