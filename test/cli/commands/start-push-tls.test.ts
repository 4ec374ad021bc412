import { chmodSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { afterAll, describe, expect, it } from 'vitest';
import { requireBinaries } from '../../support/binaries.js';
import { runCliAsync, startCli } from '../../support/cli.js';
import { waitFor } from '../../support/ports.js';
import {
  LOKI_PATH,
  OTLP_PATH,
  PushReceiver,
  TLS_CERT as CERT,
  privateKeyIn,
} from '../../support/push-receiver.js';

const bins = await requireBinaries(['prometheus', 'alertmanager']);

const dir = mkdtempSync(join(tmpdir(), 'obs-sandbox-start-push-tls-'));
const KEY = privateKeyIn(dir);
const TOKEN = 'tok-loki-6e2f';
const TOKEN_FILE = join(dir, 'token');
writeFileSync(TOKEN_FILE, `${TOKEN}\n`);
chmodSync(TOKEN_FILE, 0o600);
const PASSWORD = 'pw-otlp-31c7';
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe.skipIf(!bins.available)('sandbox start --otlp and --loki over TLS', () => {
  it('pushes spans and lines to an https receiver with a private CA and a client certificate, secrets never shown', async () => {
    const stateDir = mkdtempSync(join(dir, 'state-'));
    const env = { ...process.env, OBS_SANDBOX_STATE_DIR: stateDir };
    const receiver = new PushReceiver();
    const url = await receiver.listen(KEY);
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
        url.replace('https://', `https://otlpuser:${PASSWORD}@`),
        '--otlp-tenant',
        'team-t',
        ...tls('--otlp'),
        '--loki',
        url,
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
          receiver.pushes.some((p) => p.path === LOKI_PATH) &&
          receiver.pushes.some((p) => p.path === OTLP_PATH && p.body.includes('"spanId"'))
            ? true
            : cli.child.exitCode !== null
              ? false
              : undefined,
        150_000,
      );
      expect(cli.child.exitCode, cli.stderr()).toBe(null);
      for (const push of receiver.pushes.filter((p) => p.path === OTLP_PATH))
        expect(push.headers).toMatchObject({
          'x-scope-orgid': 'team-t',
          authorization: `Basic ${Buffer.from(`otlpuser:${PASSWORD}`).toString('base64')}`,
        });
      for (const push of receiver.pushes.filter((p) => p.path === LOKI_PATH))
        expect(push.headers).toMatchObject({ authorization: `Bearer ${TOKEN}` });
      const events = lines.map((l) => JSON.parse(l) as { type: string; text?: string });
      const messages = events.filter((e) => e.type === 'message').map((e) => e.text);
      expect(messages).toContain(`traces also exported over OTLP to ${url}`);
      expect(messages).toContain(`logs also pushed to Loki at ${url}`);
      const status = await runCliAsync(['status'], env);
      expect(status.stdout).toMatch(new RegExp(`  otlp +sent [\\d,]+ queued [\\d,]+ dropped 0  ${url}`));
      expect(status.stdout).toMatch(new RegExp(`  loki +sent [\\d,]+ queued [\\d,]+ dropped 0  ${url}`));
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
