import { chmodSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import {
  PASSWORD_ENV,
  senderOptionsOf,
} from '../../../../generators/outputs/remote-write/remote-write-config.js';

const dir = mkdtempSync(join(tmpdir(), 'rw-config-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function file(name: string, content: string, mode: number): string {
  const path = join(dir, name);
  writeFileSync(path, content);
  chmodSync(path, mode);
  return path;
}

const url = 'http://127.0.0.1:9090/api/v1/write';
const tlsUrl = 'https://mimir.example.com/api/v1/push';

describe('remote write settings', () => {
  it('sends basic auth with the password from a 0600 file, the tenant, and the user headers last', () => {
    const passwordFile = file('password', 's3cret\n', 0o600);
    const options = senderOptionsOf({
      url,
      user: 'bob',
      passwordFile,
      tenant: 'team-a',
      headers: { 'X-Env': 'staging' },
    });
    expect(options.headers).toEqual({
      Authorization: `Basic ${Buffer.from('bob:s3cret').toString('base64')}`,
      'X-Scope-OrgID': 'team-a',
      'X-Env': 'staging',
    });
  });

  it(`takes the password from ${PASSWORD_ENV} when there is no file`, () => {
    const options = senderOptionsOf({ url, user: 'bob' }, { [PASSWORD_ENV]: 'pw' });
    expect(options.headers?.Authorization).toBe(`Basic ${Buffer.from('bob:pw').toString('base64')}`);
  });

  it('sends a bearer token from its file', () => {
    const bearerTokenFile = file('token', 'abc', 0o600);
    expect(senderOptionsOf({ url, bearerTokenFile }).headers).toEqual({ Authorization: 'Bearer abc' });
  });

  it.each([
    [{ user: 'bob', passwordFile: 'OPEN' }, /others can read it \(mode 644\); run chmod 600 /],
    [{ user: 'bob' }, /--remote-write-user needs a password: give --remote-write-password-file FILE/],
    [
      { bearerTokenFile: join(dir, 'missing') },
      /^--remote-write-bearer-token-file: no such file \(its name is not shown: it may be the secret itself\); give the path of the file that holds the secret$/,
    ],
    [{ passwordFile: 'OPEN' }, /--remote-write-password-file needs --remote-write-user NAME/],
    [{ url: tlsUrl, caFile: join(dir, 'nope.pem') }, /--remote-write-ca .*nope\.pem: ENOENT/],
    [
      { caFile: join(dir, 'nope.pem') },
      /--remote-write-ca applies to an https receiver only: give an https:\/\/ --remote-write URL, or leave it out/,
    ],
    [{ insecureSkipVerify: 'yes' }, /--remote-write-insecure-skip-verify applies to an https receiver only/],
    [{ url: tlsUrl, certFile: 'CERT' }, /--remote-write-cert and --remote-write-key go together/],
    [{ url: tlsUrl, keyFile: 'KEY' }, /--remote-write-cert and --remote-write-key go together/],
    [
      { url: tlsUrl, certFile: 'CERT', keyFile: 'OPEN' },
      /--remote-write-key .*others can read it \(mode 644\); run chmod 600/,
    ],
  ])('refuses %j with one line saying how to fix it', (config: Record<string, string>, message) => {
    const open = file('open', 'pw', 0o644);
    const named: Record<string, string> = {
      OPEN: open,
      CERT: file('cert.pem', 'PEM', 0o644),
      KEY: file('key.pem', 'PEM', 0o600),
    };
    const resolved = Object.fromEntries(Object.entries(config).map(([k, v]) => [k, named[v] ?? v]));
    expect(() => senderOptionsOf({ url, ...resolved }, {})).toThrow(message);
  });

  it('reads the CA, the client certificate and its 0600 key for an https receiver', () => {
    const options = senderOptionsOf({
      url: tlsUrl,
      caFile: file('ca.pem', 'CA', 0o644),
      certFile: file('client.pem', 'CERT', 0o644),
      keyFile: file('client-key.pem', 'KEY\n', 0o600),
      insecureSkipVerify: true,
    });
    expect({ ...options, ca: String(options.ca), cert: String(options.cert) }).toMatchObject({
      ca: 'CA',
      cert: 'CERT',
      key: 'KEY',
      insecureSkipVerify: true,
    });
  });

  it('never puts a secret in its error messages', () => {
    const open = file('leaky', 'hunter2', 0o640);
    expect(() => senderOptionsOf({ url, user: 'bob', passwordFile: open }, {})).toThrow(/^(?!.*hunter2)/s);
  });
});
