import { chmodSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { startCli } from '../../support/cli.js';
import { waitFor } from '../../support/ports.js';
import {
  LOKI_PATH,
  OTLP_PATH,
  PushReceiver,
  TLS_CERT as CERT,
  privateKeyIn,
} from '../../support/push-receiver.js';

const dir = mkdtempSync(join(tmpdir(), 'obs-sandbox-push-auth-tls-'));
const KEY = privateKeyIn(dir);
const TOKEN_FILE = join(dir, 'token');
writeFileSync(TOKEN_FILE, 'tok-9d3b\n');
chmodSync(TOKEN_FILE, 0o600);
const PASSWORD = 'pw-51ae';
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** `generate` pushing to `url` over both outputs, with `each` of them given its flags' suffixes. */
function generate(url: string, each: string[]) {
  const flags = (prefix: string) => each.map((arg) => (arg.startsWith('-') ? `${prefix}${arg}` : arg));
  return startCli(
    ['generate', '--port', '0', '--loki', url, ...flags('--loki'), '--otlp', url, ...flags('--otlp')],
    { ...process.env, SANDBOX_OTLP_PASSWORD: PASSWORD },
  );
}

describe('sandbox generate --loki and --otlp with headers, auth and TLS', () => {
  it('sends the tenant, auth and headers with every Loki push and OTLP export, and prints no secret', async () => {
    const receiver = new PushReceiver();
    const url = await receiver.listen();
    const cli = startCli(
      [
        'generate',
        '--port',
        '0',
        '--loki',
        url,
        '--loki-tenant',
        'team-a',
        '--loki-header',
        'X-Env=ci',
        '--loki-bearer-token-file',
        TOKEN_FILE,
        '--otlp',
        url,
        '--otlp-tenant',
        'team-b',
        '--otlp-header',
        'X-Env=ci',
        '--otlp-user',
        'bob',
      ],
      { ...process.env, SANDBOX_OTLP_PASSWORD: PASSWORD },
    );
    try {
      const first = await cli.firstLine;
      await waitFor(
        'a Loki push and an OTLP export',
        async () =>
          receiver.headersOf(LOKI_PATH).length > 0 && receiver.headersOf(OTLP_PATH).length > 0
            ? true
            : undefined,
        60_000,
      );
      expect(await cli.stop('SIGTERM')).toBe(0);
      for (const headers of receiver.headersOf(LOKI_PATH))
        expect(headers).toMatchObject({
          'x-scope-orgid': 'team-a',
          authorization: 'Bearer tok-9d3b',
          'x-env': 'ci',
        });
      for (const headers of receiver.headersOf(OTLP_PATH))
        expect(headers).toMatchObject({
          'x-scope-orgid': 'team-b',
          authorization: `Basic ${Buffer.from(`bob:${PASSWORD}`).toString('base64')}`,
          'x-env': 'ci',
        });
      expect(`${first}\n${cli.stderr()}`).not.toMatch(/tok-9d3b|pw-51ae/);
    } finally {
      await cli.stop('SIGKILL');
      await receiver.close();
    }
  }, 120_000);

  it.each([
    ['the CA, a client certificate and its key', ['-ca', CERT, '-cert', CERT, '-key', KEY]],
    [
      'a client certificate, without verifying the receiver',
      ['-insecure-skip-verify', '-cert', CERT, '-key', KEY],
    ],
  ])(
    'reaches an https receiver that requires a client certificate with %s',
    async (_, tls) => {
      const receiver = new PushReceiver();
      const cli = generate(await receiver.listen(KEY), tls);
      try {
        await cli.firstLine;
        await waitFor(
          'a Loki push and an OTLP export over TLS',
          async () =>
            receiver.headersOf(LOKI_PATH).length > 0 && receiver.headersOf(OTLP_PATH).length > 0
              ? true
              : undefined,
          60_000,
        );
        expect(await cli.stop('SIGTERM')).toBe(0);
        expect(cli.stderr()).not.toMatch(/unreachable/);
      } finally {
        await cli.stop('SIGKILL');
        await receiver.close();
      }
    },
    120_000,
  );

  it.each([
    ['without a client certificate', ['-ca', CERT], 'CERTIFICATE_REQUIRED'],
    ['without the CA', ['-cert', CERT, '-key', KEY], 'DEPTH_ZERO_SELF_SIGNED_CERT'],
  ])(
    'says Loki and the OTLP receiver are unreachable over https %s, and why',
    async (_, tls, reason) => {
      const receiver = new PushReceiver();
      const url = await receiver.listen(KEY);
      const cli = generate(url, tls);
      try {
        await cli.firstLine;
        await waitFor(
          'both outputs unreachable',
          async () =>
            /OTLP endpoint https:.* is unreachable/.test(cli.stderr()) &&
            /Loki at https:.* is unreachable/.test(cli.stderr())
              ? true
              : undefined,
          60_000,
        );
        expect(cli.stderr()).toMatch(new RegExp(`Loki at ${url} is unreachable \\(\\w*${reason}\\)`));
        expect(cli.stderr()).toMatch(new RegExp(`OTLP endpoint ${url} is unreachable \\(\\w*${reason}\\)`));
        expect(await cli.stop('SIGTERM')).toBe(0);
        expect(receiver.pushes).toEqual([]);
      } finally {
        await cli.stop('SIGKILL');
        await receiver.close();
      }
    },
    120_000,
  );
});
