import { chmod, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import {
  environmentOf,
  type EnvironmentFlags,
} from '../../../../sandbox/replay/live/remote/environment-flags.js';

const dir = await mkdtemp(join(tmpdir(), 'obs-sandbox-environment-flags-'));
afterAll(async () => {
  delete process.env.OBS_TEST_AM_TOKEN;
  delete process.env.OBS_TEST_BASIC;
  await rm(dir, { recursive: true, force: true });
});

const flags = (more: Partial<EnvironmentFlags> = {}): EnvironmentFlags => ({
  prometheus: 'http://mimir:8080/prometheus',
  prometheusHeader: [],
  alertmanagerHeader: [],
  ...more,
});

describe('the flags of an environment of your own', () => {
  it('give each API its headers: tenant on both, auth from a file or a variable, headers as given', async () => {
    const secret = join(dir, 'basic');
    await writeFile(secret, 'ruler:pa=ss\n');
    process.env.OBS_TEST_AM_TOKEN = 'am-token';
    const environment = await environmentOf(
      flags({
        alertmanager: 'http://mimir:8080/alertmanager',
        tenant: 'team-a',
        prometheusHeader: ['X-Team=blue=green'],
        prometheusAuth: `basic-file:${secret}`,
        alertmanagerAuth: 'bearer-env:OBS_TEST_AM_TOKEN',
      }),
    );
    expect(environment.prometheus).toEqual({
      url: 'http://mimir:8080/prometheus',
      headers: {
        'X-Scope-OrgID': 'team-a',
        'X-Team': 'blue=green',
        authorization: `Basic ${Buffer.from('ruler:pa=ss').toString('base64')}`,
      },
    });
    expect(environment.alertmanager?.headers).toEqual({
      'X-Scope-OrgID': 'team-a',
      authorization: 'Bearer am-token',
    });
    expect(environment.generators).toEqual([]);
  });

  it('refuses basic auth without a password, and a token file others can read', async () => {
    process.env.OBS_TEST_BASIC = 'just-a-user';
    await expect(environmentOf(flags({ prometheusAuth: 'basic-env:OBS_TEST_BASIC' }))).rejects.toThrow(
      /basic auth needs "user:password" in \$OBS_TEST_BASIC/,
    );
    const token = join(dir, 'open.token');
    await writeFile(token, 'abc');
    await chmod(token, 0o644);
    await expect(
      environmentOf(flags({ generators: 'http://10.0.0.5:9480', generatorsTokenFile: token })),
    ).rejects.toThrow(/readable by others/);
  });

  it('names one client per generator', async () => {
    const token = join(dir, 'ok.token');
    await writeFile(token, 'abc\n', { mode: 0o600 });
    const environment = await environmentOf(
      flags({ generators: 'http://10.0.0.5:9480,http://10.0.0.6:9480', generatorsTokenFile: token }),
    );
    expect(environment.generators.map((g) => g.url)).toEqual([
      'http://10.0.0.5:9480',
      'http://10.0.0.6:9480',
    ]);
  });
});
