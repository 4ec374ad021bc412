import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCliInProcess } from '../../support/cli-in-process.js';

const CERT = join(import.meta.dirname, '../../fixtures/remote-write-tls/cert.pem');

describe('start: --otlp and --loki TLS flags that cannot apply are refused in one line, exit 2', () => {
  it.each([
    [
      ['--otlp', 'http://127.0.0.1:4318', '--otlp-ca', CERT],
      /^sandbox: --otlp-ca applies to an https receiver only/,
    ],
    [
      ['--loki', 'http://127.0.0.1:3100', '--loki-insecure-skip-verify'],
      /^sandbox: --loki-insecure-skip-verify applies to an https receiver only/,
    ],
    [
      ['--loki', 'https://127.0.0.1:3100', '--loki-cert', CERT],
      /^sandbox: --loki-cert and --loki-key go together/,
    ],
    [['--otlp-tenant', 'team-a'], /^sandbox: --otlp-tenant needs --otlp URL/],
    [['--otlp', 'http://127.0.0.1:4318', '--otlp-user', 'bob'], /^sandbox: --otlp-user needs a password/],
  ])('%j', async (args, refusal) => {
    const { code, stdout, stderr } = await runCliInProcess(['start', '--no-tui', ...args]);
    expect(stderr.trim().split('\n')).toEqual([expect.stringMatching(refusal)]);
    expect(stdout).toBe('');
    expect(code).toBe(2);
  });
});
