import { readFileSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { SystemCatalogue } from '../../sandbox/systems/system-catalogue.js';
import { runCli, startCli } from '../support/cli.js';

interface Summary {
  targets: { job: string; url: string }[];
  faults: { name: string; params: Record<string, unknown> }[];
}

async function refused(url: string): Promise<boolean> {
  return fetch(url).then(
    () => false,
    () => true,
  );
}

describe('sandbox faults', () => {
  it('lists every fault with its parameters', () => {
    const { code, stdout } = runCli(['faults']);
    expect(code).toBe(0);
    expect(stdout).toMatch(
      /receipt_write_errors +\[portal\] a share of receipt writes fail {2}→ ReceiptWriteFailure/,
    );
    expect(stdout).toMatch(/ratio=0\.25 +share of writes that fail \(number\)/);
    expect(stdout).toMatch(/Traffic knobs/);
  });

  it('prints JSON with --json', () => {
    const parsed = JSON.parse(runCli(['faults', '--json']).stdout) as { faults: { name: string }[] };
    expect(parsed.faults.map((f) => f.name)).toContain('service_down');
    const catalogue = SystemCatalogue.defaults().systems.flatMap((system) =>
      system.faults.map((f) => f.name),
    );
    expect(parsed.faults.map((f) => f.name).sort()).toEqual(catalogue.sort());
  });
});

describe('sandbox generate', () => {
  const dir = mkdtemp(join(tmpdir(), 'obs-sandbox-cli-'));
  afterAll(async () => rm(await dir, { recursive: true, force: true }));

  it('serves one target per job on 127.0.0.1 and stops cleanly on SIGTERM', async () => {
    const logFile = join(await dir, 'logs.jsonl');
    const cli = startCli([
      'generate',
      '--port',
      '0',
      '--json',
      '--seed',
      '3',
      '--log-file',
      logFile,
      '--fault',
      'service_down:service=oracle',
    ]);
    const summary = JSON.parse(await cli.firstLine) as Summary;
    expect(summary.targets.map((t) => t.job)).toEqual([
      'vaultmesh-portal',
      'vaultmesh-guardian',
      'vaultmesh-oracle',
      'zkp-dataset-ledger',
    ]);
    expect(summary.faults).toEqual([{ name: 'service_down', params: { service: 'oracle' } }]);
    for (const { job, url } of summary.targets) {
      expect(url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/metrics$/);
      if (job === 'vaultmesh-oracle') {
        expect(await refused(url)).toBe(true);
        continue;
      }
      const res = await fetch(url);
      expect(res.status).toBe(200);
      expect(res.headers.get('content-type')).toMatch(/^text\/plain; version=0\.0\.4/);
      expect(await res.text()).toMatch(
        job === 'zkp-dataset-ledger' ? /^proofs_generated_total \d+$/m : /vaultmesh_/,
      );
    }
    await new Promise((r) => setTimeout(r, 1500));
    expect(await cli.stop('SIGTERM')).toBe(0);
    for (const { url } of summary.targets) expect(await refused(url)).toBe(true);
    const lines = readFileSync(logFile, 'utf8').trim().split('\n');
    expect(lines.length).toBeGreaterThan(3);
    const first = JSON.parse(lines[0]!) as Record<string, unknown>;
    expect(Object.keys(first).slice(0, 4)).toEqual(['ts', 'level', 'msg', 'job']);
  });

  it('stops on SIGINT (Ctrl-C) too', async () => {
    const cli = startCli(['generate', '--port', '0', '--json']);
    await cli.firstLine;
    expect(await cli.stop('SIGINT')).toBe(0);
  });

  it('keeps running and reports once when Loki and the OTLP endpoint are unreachable', async () => {
    const cli = startCli([
      'generate',
      '--port',
      '0',
      '--json',
      '--loki',
      'http://127.0.0.1:9',
      '--otlp',
      'http://127.0.0.1:9',
    ]);
    const summary = JSON.parse(await cli.firstLine) as Summary;
    await new Promise((r) => setTimeout(r, 4000));
    expect((await fetch(summary.targets[0]!.url)).status).toBe(200);
    expect(await cli.stop()).toBe(0);
    const lines = cli.stderr().trim().split('\n');
    expect(lines.filter((l) => /Loki at http:\/\/127\.0\.0\.1:9 is unreachable/.test(l))).toHaveLength(1);
    expect(lines.filter((l) => /OTLP endpoint http:\/\/127\.0\.0\.1:9 is unreachable/.test(l))).toHaveLength(
      1,
    );
  });

  it.each([
    [
      ['generate', '--fault', 'anchor_stal'],
      /^sandbox: unknown fault "anchor_stal" \(did you mean anchor_stall\?\); run `sandbox faults` to list them$/,
    ],
    [
      ['generate', '--fault', 'node_down:node=mars'],
      /^sandbox: fault node_down: node must be one of node-ams-01, /,
    ],
    [
      ['generate', '--port', 'x'],
      /^sandbox: option '--port <n>' argument 'x' is invalid\. must be a port number/,
    ],
    [
      ['generate', '--knob', 'receipt_rat=3'],
      /^sandbox: --knob receipt_rat: unknown traffic knob \(did you mean receipt_rate\?\); run `sandbox faults` to list the knobs$/,
    ],
    [
      ['generate', '--otlp', 'localhost:4318'],
      // Text that is no URL is not echoed: it may be a token pasted in the wrong place.
      /^sandbox: option '--otlp <url>' argument is invalid\. must be an http\(s\) URL/,
    ],
    [['frobnicate'], /^sandbox: unknown command 'frobnicate'; add --help for usage$/],
  ])('rejects %j with one line and exit code 2', (args, message) => {
    const { code, stderr } = runCli(args);
    expect(code).toBe(2);
    expect(stderr.trim().split('\n')).toHaveLength(1);
    expect(stderr.trim()).toMatch(message);
    expect(stderr).not.toMatch(/\n\s+at /);
  });

  it('reports a busy port in one line and leaves nothing listening', async () => {
    const blocker = createServer();
    await new Promise<void>((resolve) => blocker.listen(0, '127.0.0.1', resolve));
    const busy = (blocker.address() as { port: number }).port;
    const { code, stderr } = runCli(['generate', '--port', String(busy - 1)]);
    blocker.close();
    expect(code).toBe(2);
    expect(stderr.trim()).toBe(
      `sandbox: port ${busy} on 127.0.0.1 (target of vaultmesh-guardian) is already in use; choose a free base port with --port N, or --port 0 for any free ports`,
    );
    expect(await refused(`http://127.0.0.1:${busy - 1}/metrics`)).toBe(true);
  });
});

describe('errors outside any action (a timer, a promise nobody awaits)', () => {
  const dir = mkdtemp(join(tmpdir(), 'obs-sandbox-cli-throw-'));
  afterAll(async () => rm(await dir, { recursive: true, force: true }));

  /** The built CLI with a module preloaded that fails this way once the command is done and the loop empties. */
  async function failingLater(failure: string, args: readonly string[]) {
    const preload = join(await dir, `${failure}.mjs`);
    const fail =
      failure === 'throw'
        ? "setTimeout(() => { throw new RangeError('thrown in a timer'); })"
        : "Promise.reject(new Error('rejected, never awaited'))";
    await writeFile(preload, `process.once('beforeExit', () => { ${fail}; });\n`);
    return runCli(args, 120_000, { ...process.env, NODE_OPTIONS: `--import ${preload}` });
  }

  it.each([
    ['throw', 'thrown in a timer'],
    ['reject', 'rejected, never awaited'],
  ])(
    '%s: one line, exit 1; --debug adds the stack',
    async (failure, message) => {
      const plain = await failingLater(failure, ['--version']);
      expect(plain.stderr).toBe(`sandbox: internal error: ${message} (run with --debug for details)\n`);
      expect(plain.code).toBe(1);
      const debug = await failingLater(failure, ['--debug', '--version']);
      expect(debug.stderr).toMatch(
        new RegExp(`^sandbox: internal error: ${message}\\n\\w*Error: ${message}\\n +at `),
      );
      expect(debug.code).toBe(1);
    },
    120_000,
  );
});
