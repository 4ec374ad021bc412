/**
 * The native sandbox as a whole: what it listens on, and its logs from the first line to the last. Loki is
 * a script standing in for a Loki built from source (no version number; its documented push API).
 */
import { chmodSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Sandbox } from '../../sandbox/stack/sandbox-stack.js';
import { readState } from '../../sandbox/stack/state.js';
import { startSandbox, type TestSandbox } from '../../sandbox/testing.js';
import { requireBinaries } from '../support/binaries.js';
import { freePort } from '../support/ports.js';
import { reapedStateDir } from '../support/reaped-state-dir.js';
import { isLoopback, listeningSockets, processesInGroups } from '../support/listening-sockets.js';

const bins = await requireBinaries(['prometheus', 'alertmanager', 'promtool']);
const scratch = mkdtempSync(join(tmpdir(), 'obs-sandbox-stack-test-'));
const linesFile = join(scratch, 'loki-lines');
const fakeLoki = join(scratch, 'loki');
writeFileSync(
  fakeLoki,
  `#!${process.execPath}
const fs = require('node:fs');
const http = require('node:http');
if (process.argv.includes('-version')) {
  console.log('loki, version  (branch: , revision: unknown)');
  process.exit(0);
}
const config = fs.readFileSync(process.argv.find((a) => a.startsWith('-config.file=')).slice(13), 'utf8');
const host = /http_listen_address: (\\S+)/.exec(config)[1];
const port = Number(/http_listen_port: (\\d+)/.exec(config)[1]);
http.createServer((req, res) => {
  const chunks = [];
  req.on('data', (c) => chunks.push(c));
  req.on('end', () => {
    if (req.url === '/loki/api/v1/push') {
      const body = JSON.parse(Buffer.concat(chunks).toString('utf8'));
      const lines = body.streams.reduce((n, s) => n + s.values.length, 0);
      fs.appendFileSync(${JSON.stringify(linesFile)}, lines + '\\n');
      return res.writeHead(204).end();
    }
    res.writeHead(req.url === '/ready' || req.url === '/metrics' ? 200 : 404).end();
  });
}).listen(port, host);
process.on('SIGTERM', () => process.exit(0));
`,
);
chmodSync(fakeLoki, 0o755);
process.env.OBS_SANDBOX_LOKI_PATH = fakeLoki;

const linesAtLoki = () =>
  readFileSync(linesFile, 'utf8')
    .split('\n')
    .filter(Boolean)
    .reduce((n, l) => n + Number(l), 0);

describe.skipIf(!bins.available)('the native sandbox', () => {
  let handle: TestSandbox;
  let sandbox: TestSandbox['sandbox'];

  beforeAll(async () => {
    // A 1s interval: the start waits for Prometheus' first scrapes, staggered within it.
    handle = await startSandbox({ runtime: 'native', history: '0', interval: '1s' });
    sandbox = handle.sandbox;
  }, 180_000);

  afterAll(async () => {
    await handle?.stop();
    rmSync(scratch, { recursive: true, force: true });
  });

  it('runs a Loki built from source, as version "unknown"', () => {
    expect(sandbox.stack.statuses.get('loki')).toMatchObject({ state: 'running', version: 'unknown' });
  });

  it('says what to do about each service it could not find, apart from what it tried', () => {
    for (const s of sandbox.stack
      .services()
      .filter((x) => x.state === 'unavailable' && !x.reason?.includes('template')))
      expect(s.fix, s.service).toMatch(new RegExp(`OBS_SANDBOX_${s.service.toUpperCase()}_PATH=`));
  });

  it('listens on loopback only, in every process it started', () => {
    const groups = sandbox.stack
      .services()
      .filter((s) => s.state === 'running')
      .map((s) => s.pid!);
    expect(groups.length).toBeGreaterThanOrEqual(3);
    const sockets = listeningSockets([process.pid, ...processesInGroups(groups)]);
    const ports = sockets.map((s) => s.port);
    // The generators, the webhook, the control API and every service that runs were all seen.
    for (const target of sandbox.generators.targets())
      expect(ports).toContain(Number(new URL(target.url).port));
    expect(ports).toContain(Number(new URL(sandbox.state.control!.url).port));
    for (const service of sandbox.stack.services().filter((s) => s.state === 'running'))
      expect(ports).toContain(Number(new URL(service.url!).port));
    expect(sockets.filter((s) => !isLoopback(s.address))).toEqual([]);
  });

  it('delivers every log line to Loki, from before it was ready to the last one before it stops', async () => {
    await handle.stop();
    const produced = sandbox.generators.logs.size;
    expect(produced).toBeGreaterThan(0);
    expect(produced).toBeLessThan(sandbox.generators.logs.capacity);
    expect(linesAtLoki()).toBe(produced);
    expect(handle.messages().filter((m) => /unreachable|not delivered|dropped/.test(m))).toEqual([]);
  }, 60_000);
});

describe.skipIf(!bins.available)('the native start with the default history', () => {
  it('starts the services at once, Prometheus once its history is written, is ready before the rules load, and stops while they do', async () => {
    // Started here, to see the start's order and ready before the rules: a reaper of its own.
    const { path: stateDir, release } = reapedStateDir('obs-sandbox-start-order-');
    const order: string[] = [];
    let running: Sandbox | undefined;
    try {
      const sandbox = await Sandbox.start({
        runtime: 'native',
        stateDir,
        generatorPort: 0,
        ports: {
          prometheus: await freePort(),
          alertmanager: await freePort(),
          grafana: await freePort(),
          loki: await freePort(),
        },
        onStatus: (s) => order.push(`${s.service}:${s.state}`),
        onMessage: (m) => void (/simulated history/.test(m) && order.push('history')),
      });
      running = sandbox;
      const firstRunning = order.findIndex((e) => e.endsWith(':running'));
      // None waits for another: every service is starting before the first runs.
      expect(
        order.slice(firstRunning).filter((e) => e.endsWith(':starting')),
        order.join(' '),
      ).toEqual([]);
      expect(order.indexOf('history'), order.join(' ')).toBeGreaterThanOrEqual(0);
      expect(order.indexOf('history')).toBeLessThan(order.indexOf('prometheus:running'));
      // Ready with the rules still to load (Prometheus' first scrapes come 5s after it starts, at the earliest).
      expect(sandbox.rules).toBe('loading');
      expect((await readState(stateDir))?.rules).toBe('loading');
      const stopping = Date.now();
      running = undefined;
      await sandbox.stop();
      expect(Date.now() - stopping).toBeLessThan(10_000);
      await expect(sandbox.rulesLoaded).rejects.toThrow(
        'the sandbox stopped before its alert rules were loaded',
      );
      expect(await readState(stateDir)).toBeUndefined();
    } finally {
      // Stopped here when an expectation failed before its own stop.
      await running?.stop();
      release();
    }
  }, 120_000);
});
