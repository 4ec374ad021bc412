import { chmodSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { startCli } from '../../support/cli.js';
import { FakeLoki } from '../../support/fake-loki.js';
import { waitFor } from '../../support/ports.js';

const dir = mkdtempSync(join(tmpdir(), 'obs-sandbox-generate-loki-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('sandbox generate --loki with a tenant', () => {
  it.each([
    [
      'basic auth, its password from the environment',
      ['--loki-user', 'bob'],
      `Basic ${Buffer.from('bob:pw-4e1c').toString('base64')}`,
      'pw-4e1c',
    ],
    [
      'a bearer token from a 0600 file',
      ['--loki-bearer-token-file', 'TOKEN_FILE'],
      'Bearer tok-7f2a',
      'tok-7f2a',
    ],
  ])(
    '%s: the tenant, auth and headers go with every push, and are never printed',
    async (_, authArgs, authorization, secret) => {
      const tokenFile = join(dir, 'token');
      writeFileSync(tokenFile, 'tok-7f2a\n');
      chmodSync(tokenFile, 0o600);
      const loki = new FakeLoki();
      const url = await loki.listen();
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
          ...authArgs.map((a) => (a === 'TOKEN_FILE' ? tokenFile : a)),
        ],
        { ...process.env, SANDBOX_LOKI_PASSWORD: 'pw-4e1c' },
      );
      try {
        const first = await cli.firstLine;
        await waitFor('three pushes', async () => (loki.pushHeaders.length >= 3 ? true : undefined), 60_000);
        expect(await cli.stop('SIGTERM')).toBe(0);
        for (const headers of loki.pushHeaders)
          expect(headers).toMatchObject({ 'x-scope-orgid': 'team-a', authorization, 'x-env': 'ci' });
        expect(`${first}\n${cli.stderr()}`).not.toContain(secret);
      } finally {
        await cli.stop('SIGKILL');
        await loki.close();
      }
    },
    120_000,
  );
});
