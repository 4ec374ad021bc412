import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { displayUrlText, redactUrlsIn } from '../../generators/outputs/display-url.js';
import { redactCommanderLine, shownArgument } from '../../sandbox/cli/secret-arguments.js';
import { runCliInProcess } from '../support/cli-in-process.js';

/** In every argument below; it must never come back on stdout or stderr. */
const SECRET = 'Zq7s3cretToken';
const ENDPOINT = 'http://127.0.0.1:1/api/v1/write';
const LOKI = ['--loki', 'http://127.0.0.1:1'];
const OTLP = ['--otlp', 'http://127.0.0.1:1'];
/** Not the checked-in k8s/: should a case ever pass, it writes nothing anyone keeps. */
const K8S = ['k8s', '--out', join(tmpdir(), 'obs-sandbox-secret-arguments-k8s')];

/** Bad forms of every push option, as `generate` and `start` both take them. */
const PUSH_CASES: [string, string[]][] = [
  ['a remote-write URL with a password and a bad port', ['--remote-write', `http://bob:${SECRET}@h:99999/x`]],
  ['a remote-write URL with a token in its query', ['--remote-write', `http://h:99999/x?token=${SECRET}`]],
  ['a token where the remote-write URL goes', ['--remote-write', SECRET]],
  ['a remote-write URL of another scheme', ['--remote-write', `ftp://bob:${SECRET}@h/x`]],
  [
    'a header without =',
    ['--remote-write', ENDPOINT, '--remote-write-header', `Authorization: Bearer ${SECRET}`],
  ],
  [
    'a header value with a newline',
    ['--remote-write', ENDPOINT, '--remote-write-header', `X-Key=${SECRET}\r\nX: y`],
  ],
  ['a header without its URL', ['--remote-write-header', `X-Key=${SECRET}`]],
  [
    'a user without a password',
    ['--remote-write', `http://127.0.0.1:1/x?key=${SECRET}`, '--remote-write-user', 'bob'],
  ],
  ['a Loki URL with a password and a bad port', ['--loki', `http://bob:${SECRET}@h:99999`]],
  ['a Loki header without =', [...LOKI, '--loki-header', `Authorization: Basic ${SECRET}`]],
  [
    'a Loki URL with a query and a user without a password',
    ['--loki', `http://127.0.0.1:1?k=${SECRET}`, '--loki-user', 'bob'],
  ],
  ['an unknown option with =', [`--remote-wrte=http://bob:${SECRET}@h`]],
  ['a token where its file goes', ['--remote-write', ENDPOINT, '--remote-write-bearer-token-file', SECRET]],
  ['a password where its file goes', [...LOKI, '--loki-user', 'bob', '--loki-password-file', SECRET]],
  [
    'a key where its file goes',
    [
      '--remote-write',
      'https://127.0.0.1:1/x',
      '--remote-write-cert',
      '/dev/null',
      '--remote-write-key',
      SECRET,
    ],
  ],
];

const CASES: [string, string[]][] = [
  ...PUSH_CASES.map(([what, args]): [string, string[]] => [`generate: ${what}`, ['generate', ...args]]),
  ...PUSH_CASES.map(([what, args]): [string, string[]] => [`start: ${what}`, ['start', ...args]]),
  [
    'generate: an OTLP URL with a password and a bad port',
    ['generate', '--otlp', `http://u:${SECRET}@h:99999`],
  ],
  ['generate: a token where the OTLP URL goes', ['generate', '--otlp', SECRET]],
  [
    'generate: an OTLP header without =',
    ['generate', ...OTLP, '--otlp-header', `Authorization: Bearer ${SECRET}`],
  ],
  ['generate: an OTLP header without its URL', ['generate', '--otlp-header', `X-Key=${SECRET}`]],
  [
    'generate: an OTLP URL with a query and a user without a password',
    ['generate', '--otlp', `http://127.0.0.1:1?k=${SECRET}`, '--otlp-user', 'bob'],
  ],
  ['generate: a token where its OTLP file goes', ['generate', ...OTLP, '--otlp-bearer-token-file', SECRET]],
  [
    'generate: a password where its OTLP file goes',
    ['generate', ...OTLP, '--otlp-user', 'bob', '--otlp-password-file', SECRET],
  ],
  [
    'generate: a key where the OTLP client key file goes',
    ['generate', '--otlp', 'https://127.0.0.1:1', '--otlp-cert', '/dev/null', '--otlp-key', SECRET],
  ],
  [
    'generate: a key where the Loki client key file goes',
    ['generate', '--loki', 'https://127.0.0.1:1', '--loki-cert', '/dev/null', '--loki-key', SECRET],
  ],
  [
    'k8s: a remote-write URL with a password',
    [...K8S, '--remote-write', `http://u:${SECRET}@mimir/api/v1/push`],
  ],
  ['k8s: a Loki URL with a query', [...K8S, '--loki', `http://loki?token=${SECRET}`]],
  ['k8s: an OTLP URL with a password', [...K8S, '--otlp', `http://u:${SECRET}@tempo:4318`]],
  ['k8s: a bad remote-write URL with a password', [...K8S, '--remote-write', `http://u:${SECRET}@h:99999`]],
];

const LIVE = ['replay', '--mode', 'live', 'node-down'];
const PROMETHEUS = [...LIVE, '--prometheus', 'http://127.0.0.1:1'];
const REPLAY_CASES: [string, string[]][] = [
  ['a bad Prometheus URL with a password', [...LIVE, '--prometheus', `http://u:${SECRET}@h:99999`]],
  ['a Prometheus URL with a password', [...LIVE, '--prometheus', `http://u:${SECRET}@127.0.0.1:1`]],
  [
    'an Alertmanager URL with a password',
    [...PROMETHEUS, '--alertmanager', `https://u:${SECRET}@127.0.0.1:1/alertmanager`],
  ],
  [
    'a Prometheus header without =',
    [...PROMETHEUS, '--prometheus-header', `Authorization: Bearer ${SECRET}`],
  ],
  [
    'an Alertmanager header without =',
    [...PROMETHEUS, '--alertmanager', 'http://127.0.0.1:1', '--alertmanager-header', `Bearer ${SECRET}`],
  ],
  ['a token where the auth source goes', [...PROMETHEUS, '--prometheus-auth', `Bearer ${SECRET}`]],
  [
    'a token as an Alertmanager auth source',
    [...PROMETHEUS, '--alertmanager', 'http://127.0.0.1:1', '--alertmanager-auth', `bearer:${SECRET}`],
  ],
  [
    'a generator URL with a password',
    [
      ...PROMETHEUS,
      '--generators',
      `http://u:${SECRET}@127.0.0.1:1`,
      '--generators-token-file',
      '/nonexistent',
    ],
  ],
  [
    'a bad generator URL with a password',
    [...PROMETHEUS, '--generators', `http://u:${SECRET}@h:99999`, '--generators-token-file', '/nonexistent'],
  ],
  ['a token where its file goes', [...PROMETHEUS, '--prometheus-auth', `bearer-file:${SECRET}`]],
  [
    'a token where the generators token file goes',
    [...PROMETHEUS, '--generators', 'http://127.0.0.1:1', '--generators-token-file', SECRET],
  ],
  [
    'an unreachable Prometheus with a token in its query',
    [...LIVE, '--prometheus', `http://127.0.0.1:1/p?key=${SECRET}`],
  ],
];

describe('no secret given to an option reaches stdout or stderr, whatever is wrong with it', () => {
  it.each([...CASES, ...REPLAY_CASES])('%s', async (_, args) => {
    const { code, stdout, stderr } = await runCliInProcess(args);
    expect(code).toBe(2);
    expect(stderr).toMatch(/^sandbox: \S/);
    expect(stderr.trim().split('\n')).toHaveLength(1);
    expect(`${stdout}\n${stderr}`).not.toContain(SECRET);
  });

  it('still says what was wrong, showing what may be shown of the argument', async () => {
    expect(
      (await runCliInProcess(['generate', '--remote-write', `http://u:${SECRET}@h:99999/x?a=b`])).stderr,
    ).toBe(
      "sandbox: option '--remote-write <url>' argument 'http://h:99999/x' is invalid. must be an http(s) URL with a valid host and port, e.g. http://127.0.0.1:3100\n",
    );
    expect(
      (await runCliInProcess(['generate', ...LOKI, '--loki-header', `X-Key=${SECRET}\n`])).stderr,
    ).toMatch(
      /^sandbox: option '--loki-header <name=value>' argument 'X-Key=\(hidden\)' is invalid\. must be NAME=VALUE/,
    );
  });
});

describe('what an error shows of an argument', () => {
  it.each([
    ['--remote-write <url>', `http://u:${SECRET}@h:1/x?t=${SECRET}#f`, 'http://h:1/x'],
    ['--remote-write <url>', `http://u:${SECRET}@h:99999/x?t=${SECRET}`, 'http://h:99999/x'],
    ['--otlp <url>', `HTTP://${SECRET}@h`, 'http://h'],
    ['--loki <url>', `${SECRET}`, undefined],
    ['--loki <url>', `bob:${SECRET}@h`, undefined],
    ['--loki-header <name=value>', `X-Key=${SECRET}`, 'X-Key=(hidden)'],
    ['--loki-header <name=value>', `Authorization: ${SECRET}`, undefined],
    ['--otlp-header <name=value>', `Authorization=Bearer ${SECRET}`, 'Authorization=(hidden)'],
    ['--port <n>', '99999', '99999'],
  ])('%s %s: %s', (flags, value, shown) => {
    expect(shownArgument(flags, value)).toBe(shown);
  });

  it("rewrites only the argument in commander lines, and leaves out what follows an unknown option's =", () => {
    expect(redactCommanderLine(`option '--loki <url>' argument '${SECRET}' is invalid. must be a URL`)).toBe(
      "option '--loki <url>' argument is invalid. must be a URL",
    );
    expect(redactCommanderLine(`unknown option '--lok=http://u:${SECRET}@h' (Did you mean --loki?)`)).toBe(
      "unknown option '--lok=…' (Did you mean --loki?)",
    );
    expect(redactCommanderLine("option '--port <n>' argument 'x' is invalid. must be a port")).toBe(
      "option '--port <n>' argument 'x' is invalid. must be a port",
    );
  });

  it('shows text that looks like a URL without user, password or query, and nothing of other text', () => {
    expect(displayUrlText(`ftp://u:${SECRET}@h/x?q=${SECRET}`)).toBe('ftp://h/x');
    expect(displayUrlText('http://h:3100')).toBe('http://h:3100');
    expect(displayUrlText(`Bearer ${SECRET}`)).toBeUndefined();
  });

  it('takes user, password and query out of every URL in a line, and leaves the rest of it', () => {
    expect(
      redactUrlsIn(
        `cannot reach (Request cannot be constructed from a URL that includes credentials: http://u:${SECRET}@h/x?k=${SECRET}) at 'https://h2/p?t=${SECRET}'`,
      ),
    ).toBe(
      "cannot reach (Request cannot be constructed from a URL that includes credentials: http://h/x) at 'https://h2/p'",
    );
  });
});
