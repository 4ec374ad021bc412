import { chmodSync, copyFileSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:https';
import type { IncomingHttpHeaders } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { afterAll, describe, expect, it } from 'vitest';
import { requireBinaries } from '../../support/binaries.js';
import { runCliAsync, startCli } from '../../support/cli.js';
import { waitFor } from '../../support/ports.js';

const bins = await requireBinaries(['prometheus', 'alertmanager']);

/** A self-signed certificate for 127.0.0.1: the receiver's, the CA the sandbox trusts, and its client's. */
const FIXTURE = join(import.meta.dirname, '../../fixtures/remote-write-tls');
const CERT = join(FIXTURE, 'cert.pem');
const dir = mkdtempSync(join(tmpdir(), 'obs-sandbox-start-push-tls-'));
const KEY = join(dir, 'client-key.pem');
copyFileSync(join(FIXTURE, 'key.pem'), KEY);
chmodSync(KEY, 0o600);
const TOKEN = 'tok-loki-6e2f';
const TOKEN_FILE = join(dir, 'token');
writeFileSync(TOKEN_FILE, `${TOKEN}\n`);
chmodSync(TOKEN_FILE, 0o600);
const PASSWORD = 'pw-otlp-31c7';
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** Loki and an OTLP receiver in one https server that requires a client certificate: every push, by path. */
async function httpsReceiver() {
  const pushes: { path: string; headers: IncomingHttpHeaders; body: string }[] = [];
  const pem = readFileSync(CERT);
  const server: Server = createServer(
    { cert: pem, key: readFileSync(KEY), ca: pem, requestCert: true, rejectUnauthorized: true },
    (req, res) => {
      let body = '';
      req.on('data', (chunk: Buffer) => (body += chunk.toString()));
      req.on('end', () => {
        pushes.push({ path: req.url ?? '', headers: req.headers, body });
        res.writeHead(req.url === '/v1/traces' ? 200 : 204, { 'Content-Type': 'application/json' });
        res.end(req.url === '/v1/traces' ? '{}' : undefined);
      });
    },
  );
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;
  return {
    url: `https://127.0.0.1:${port}`,
    pushes,
    close: () => {
      server.closeAllConnections();
      return new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

describe.skipIf(!bins.available)('sandbox start --otlp and --loki over TLS', () => {
  it('pushes spans and lines to an https receiver with a private CA and a client certificate, secrets never shown', async () => {
    const stateDir = mkdtempSync(join(dir, 'state-'));
    const env = { ...process.env, OBS_SANDBOX_STATE_DIR: stateDir };
    const receiver = await httpsReceiver();
    const tls = (flag: string) => [`${flag}-ca`, CERT, `${flag}-cert`, CERT, `${flag}-key`, KEY];
    const cli = startCli(
      [
        'start',
        '--no-tui',
        '--json',
        '--runtime',
        'native',
        '--port',
        '0',
        '--port-offset',
        '12000',
        '--history',
        '0',
        '--interval',
        '1s',
        '--otlp',
        receiver.url.replace('https://', `https://otlpuser:${PASSWORD}@`),
        '--otlp-tenant',
        'team-t',
        ...tls('--otlp'),
        '--loki',
        receiver.url,
        '--loki-bearer-token-file',
        TOKEN_FILE,
        ...tls('--loki'),
      ],
      env,
    );
    const lines: string[] = [];
    createInterface({ input: cli.child.stdout! }).on('line', (line) => lines.push(line));
    try {
      await waitFor(
        'a Loki push and an OTLP export with spans',
        async () =>
          receiver.pushes.some((p) => p.path === '/loki/api/v1/push') &&
          receiver.pushes.some((p) => p.path === '/v1/traces' && p.body.includes('"spanId"'))
            ? true
            : cli.child.exitCode !== null
              ? false
              : undefined,
        150_000,
      );
      expect(cli.child.exitCode, cli.stderr()).toBe(null);
      for (const push of receiver.pushes.filter((p) => p.path === '/v1/traces'))
        expect(push.headers).toMatchObject({
          'x-scope-orgid': 'team-t',
          authorization: `Basic ${Buffer.from(`otlpuser:${PASSWORD}`).toString('base64')}`,
        });
      for (const push of receiver.pushes.filter((p) => p.path === '/loki/api/v1/push'))
        expect(push.headers).toMatchObject({ authorization: `Bearer ${TOKEN}` });
      const events = lines.map((l) => JSON.parse(l) as { type: string; text?: string });
      const messages = events.filter((e) => e.type === 'message').map((e) => e.text);
      expect(messages).toContain(`traces also exported over OTLP to ${receiver.url}`);
      expect(messages).toContain(`logs also pushed to Loki at ${receiver.url}`);
      const status = await runCliAsync(['status'], env);
      expect(status.stdout).toMatch(
        new RegExp(`  otlp +sent [\\d,]+ queued [\\d,]+ dropped 0  ${receiver.url}`),
      );
      expect(status.stdout).toMatch(
        new RegExp(`  loki +sent [\\d,]+ queued [\\d,]+ dropped 0  ${receiver.url}`),
      );
      const state = readFileSync(join(stateDir, 'state.json'), 'utf8');
      expect(await cli.stop('SIGTERM')).toBe(0);
      const shown = `${lines.join('\n')}\n${cli.stderr()}\n${status.stdout}${status.stderr}\n${state}`;
      for (const secret of [PASSWORD, TOKEN, 'otlpuser']) expect(shown).not.toContain(secret);
    } finally {
      await cli.stop('SIGKILL');
      await receiver.close();
    }
  }, 300_000);
});
