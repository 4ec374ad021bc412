import { chmodSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { remoteWriteOf } from '../../sandbox/cli/remote-write-options.js';
import { runCliInProcess } from '../support/cli-in-process.js';

const dir = mkdtempSync(join(tmpdir(), 'rw-flags-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const openPassword = join(dir, 'password');
writeFileSync(openPassword, 'hunter2');
chmodSync(openPassword, 0o644);
const URL = ['--remote-write', 'http://127.0.0.1:1/api/v1/write'];

describe('generate refuses bad remote write, scale and shard flags with one line and exit 2', () => {
  it.each([
    [['--remote-write', 'ftp://x'], /argument 'ftp:\/\/x' is invalid\. must be an http\(s\) URL/],
    [['--remote-write-tenant', 't1'], /--remote-write-tenant needs --remote-write URL/],
    [[...URL, '--remote-write-header', 'no-equals'], /must be NAME=VALUE/],
    [[...URL, '--remote-write-interval', '500ms'], /whole number of seconds of at least 1s/],
    [[...URL, '--remote-write-user', 'bob', '--remote-write-password-file', openPassword], /run chmod 600/],
    [['--remote-write-key', openPassword], /--remote-write-key needs --remote-write URL/],
    [[...URL, '--remote-write-ca', openPassword], /--remote-write-ca applies to an https receiver only/],
    [
      ['--remote-write', 'https://127.0.0.1:1/x', '--remote-write-cert', openPassword],
      /--remote-write-cert and --remote-write-key go together/,
    ],
    [['--no-scrape'], /--no-scrape leaves the series nowhere to go/],
    [['--scale', '0'], /--scale <n>' argument '0' is invalid\. must be a whole number of at least 1/],
    [['--scale', '10001', '--no-scrape', ...URL], /--scale 10001 is over 10000; give 10000 or less/],
    [
      ['--scale', '1200', '--no-scrape', ...URL],
      /--scale 1200 would push or serve about [\d,]+ series from one process \(\d+ per replica\), over the budget of 300,000 per process: spread them over 2 or more processes \(--shard 0\/2 \.\.\. 1\/2\) or give --scale \d+ or less/,
    ],
    [['--shard', '2/2'], /"2\/2" is not i\/N with 0 <= i < N <= 1000/],
    [
      ['--shard', '1/10', '--no-scrape', ...URL],
      /--shard 1\/10 has no targets: there are only 4; use fewer shards/,
    ],
  ])(
    '%j',
    async (args, message) => {
      const { code, stderr } = await runCliInProcess(['generate', ...args]);
      expect(stderr.trim().split('\n')).toHaveLength(1);
      expect(stderr).toMatch(message);
      expect(stderr).not.toMatch(/hunter2/);
      expect(code).toBe(2);
    },
    60_000,
  );
});

const LOKI = ['--loki', 'http://127.0.0.1:1'];

describe.each(['generate', 'start'])(
  '%s refuses bad push flags with one line and exit 2, no secret shown',
  (command) => {
    it.each([
      [['--loki-tenant', 't1'], /--loki-tenant needs --loki URL: give Loki's URL too/],
      [['--loki-header', 'X-Env=ci'], /--loki-header needs --loki URL/],
      [[...LOKI, '--loki-header', 'no-equals'], /must be NAME=VALUE/],
      [
        [...LOKI, '--loki-user', 'bob', '--loki-password-file', openPassword],
        /--loki-password-file .*run chmod 600/,
      ],
      [
        [...LOKI, '--loki-user', 'bob'],
        /--loki-user needs a password: give --loki-password-file FILE \(mode 0600\) or set SANDBOX_LOKI_PASSWORD/,
      ],
      [[...LOKI, '--loki-password-file', openPassword], /--loki-password-file needs --loki-user NAME/],
      [['--remote-write-tenant', 't1'], /--remote-write-tenant needs --remote-write URL/],
      [
        [...URL, '--remote-write-bearer-token-file', openPassword],
        /--remote-write-bearer-token-file .*run chmod 600/,
      ],
    ])(
      '%j',
      async (args, message) => {
        const { code, stderr } = await runCliInProcess([command, ...args]);
        expect(stderr.trim().split('\n')).toHaveLength(1);
        expect(stderr).toMatch(message);
        expect(stderr).not.toMatch(/hunter2/);
        expect(code).toBe(2);
      },
      60_000,
    );
  },
);

const OTLP = ['--otlp', 'http://127.0.0.1:1'];

describe('generate refuses bad --otlp and Loki TLS flags with one line and exit 2, no secret shown', () => {
  it.each([
    [['--otlp-tenant', 't1'], /--otlp-tenant needs --otlp URL: give the OTLP receiver's URL too/],
    [['--otlp-insecure-skip-verify'], /--otlp-insecure-skip-verify needs --otlp URL/],
    [[...OTLP, '--otlp-header', 'no-equals'], /must be NAME=VALUE/],
    [
      [...OTLP, '--otlp-user', 'bob'],
      /--otlp-user needs a password: give --otlp-password-file FILE \(mode 0600\) or set SANDBOX_OTLP_PASSWORD/,
    ],
    [[...OTLP, '--otlp-bearer-token-file', openPassword], /--otlp-bearer-token-file .*run chmod 600/],
    [
      [...OTLP, '--otlp-ca', openPassword],
      /--otlp-ca applies to an https receiver only: give an https:\/\/ --otlp URL, or leave it out/,
    ],
    [['--otlp', 'https://127.0.0.1:1', '--otlp-key', openPassword], /--otlp-cert and --otlp-key go together/],
    [['--loki-ca', openPassword], /--loki-ca needs --loki URL: give Loki's URL too/],
    [
      [...LOKI, '--loki-insecure-skip-verify'],
      /--loki-insecure-skip-verify applies to an https receiver only/,
    ],
    [
      ['--loki', 'https://127.0.0.1:1', '--loki-cert', openPassword, '--loki-key', openPassword],
      /--loki-key .*run chmod 600/,
    ],
  ])(
    '%j',
    async (args, message) => {
      const { code, stderr } = await runCliInProcess(['generate', ...args]);
      expect(stderr.trim().split('\n')).toHaveLength(1);
      expect(stderr).toMatch(message);
      expect(stderr).not.toMatch(/hunter2/);
      expect(code).toBe(2);
    },
    60_000,
  );
});

describe('the TLS flags reach the sender', () => {
  it('reads the CA, the client certificate and its key for an https receiver', () => {
    const key = join(dir, 'client-key.pem');
    writeFileSync(key, 'KEY');
    chmodSync(key, 0o600);
    const sender = remoteWriteOf({
      remoteWrite: 'https://mimir.example.com/api/v1/push',
      remoteWriteInterval: '15s',
      remoteWriteQueue: 10,
      remoteWriteCa: openPassword,
      remoteWriteCert: openPassword,
      remoteWriteKey: key,
      remoteWriteInsecureSkipVerify: true,
    })!.sender;
    expect([String(sender.ca), String(sender.cert), sender.key, sender.insecureSkipVerify]).toEqual([
      'hunter2',
      'hunter2',
      'KEY',
      true,
    ]);
  });
});
