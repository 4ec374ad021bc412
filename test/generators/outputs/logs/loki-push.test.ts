/**
 * Contract tests for LokiPusher against Loki's documented push API (POST /loki/api/v1/push with a JSON
 * body of streams/stream/values). The node:http receiver below is a test double for Loki, which cannot
 * run here; it records every request and answers the way Loki does (204 on success).
 */
import { execFile } from 'node:child_process';
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import {
  LokiPusher,
  type LokiPusherOptions,
  type LokiStatusEvent,
} from '../../../../generators/outputs/logs/index.js';
import type { LogRecord } from '../../../../generators/model/types.js';

interface PushBody {
  streams: { stream: Record<string, string>; values: [string, string][] }[];
}
interface Received {
  method: string | undefined;
  url: string | undefined;
  headers: IncomingHttpHeaders;
  body: PushBody;
  status: number;
}
/** How the double answers request number `index`; 'hang' never answers. */
type Answer = { status: number; body?: string; delayMs?: number } | 'hang';

interface Receiver {
  url: string;
  port: number;
  requests: Received[];
  close(): Promise<void>;
}

const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

async function startReceiver(answer: (index: number) => Answer = () => ({ status: 204 }), port = 0) {
  const requests: Received[] = [];
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const reply = answer(requests.length);
      const status = reply === 'hang' ? 0 : reply.status;
      const body = JSON.parse(Buffer.concat(chunks).toString('utf8')) as PushBody;
      requests.push({ method: req.method, url: req.url, headers: req.headers, body, status });
      if (reply === 'hang') return;
      setTimeout(() => res.writeHead(reply.status).end(reply.body ?? ''), reply.delayMs ?? 0);
    });
  });
  await new Promise<void>((resolve) => server.listen(port, '127.0.0.1', resolve));
  const actualPort = (server.address() as AddressInfo).port;
  const close = () =>
    new Promise<void>((resolve) => {
      server.closeAllConnections();
      server.close(() => resolve());
    });
  cleanups.push(close);
  const receiver: Receiver = { url: `http://127.0.0.1:${actualPort}`, port: actualPort, requests, close };
  return receiver;
}

/** A loopback port with nothing listening: connections are refused. */
async function deadPort(): Promise<number> {
  const receiver = await startReceiver();
  await receiver.close();
  return receiver.port;
}

function pusher(options: LokiPusherOptions): LokiPusher {
  const p = new LokiPusher({ flushIntervalMs: 60_000, ...options });
  cleanups.push(() => p.close());
  return p;
}

function record(i: number, overrides: Partial<LogRecord> = {}): LogRecord {
  return {
    timeMs: 1_700_000_000_000 + i,
    job: 'vaultmesh-portal',
    level: 'info',
    message: `line ${i}`,
    fields: { seq: i },
    ...overrides,
  };
}

/** Sequence numbers of the lines the double accepted (2xx), in arrival order. */
function acceptedSeqs(receiver: Receiver): number[] {
  return receiver.requests
    .filter((r) => r.status >= 200 && r.status < 300)
    .flatMap((r) =>
      r.body.streams.flatMap((s) => s.values.map(([, line]) => (JSON.parse(line) as { seq: number }).seq)),
    );
}

function lineCounts(receiver: Receiver): number[] {
  return receiver.requests.map((r) => r.body.streams.reduce((n, s) => n + s.values.length, 0));
}

async function waitFor(condition: () => boolean, timeoutMs = 3000): Promise<void> {
  const start = Date.now();
  while (!condition()) {
    if (Date.now() - start > timeoutMs) throw new Error(`condition not met within ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
}

const range = (from: number, to: number) => Array.from({ length: to - from }, (_, i) => from + i);

describe('LokiPusher payload', () => {
  it('posts the documented push body with ns string timestamps, small labels and JSON lines', async () => {
    const receiver = await startReceiver();
    const p = pusher({ url: receiver.url + '/', tenantId: 'sandbox' });
    const traceId = '4bf92f3577b34da6a3ce929d0e0e4736';
    p.push({
      timeMs: 1_700_000_000_123,
      job: 'vaultmesh-portal',
      level: 'info',
      message: 'receipt sealed',
      traceId,
      spanId: '00f067aa0ba902b7',
      fields: { receipt_id: 'r-1', epoch: 42, verified: true },
    });
    p.push({
      timeMs: 1_700_000_000_124,
      job: 'vaultmesh-guardian',
      level: 'warn',
      message: 'lag "high"',
      fields: {},
    });
    p.push({ timeMs: 1_700_000_000_125, job: 'vaultmesh-portal', level: 'info', message: 'ok', fields: {} });
    await p.flush();

    expect(receiver.requests).toHaveLength(1);
    const [req] = receiver.requests as [Received];
    expect(req.method).toBe('POST');
    expect(req.url).toBe('/loki/api/v1/push');
    expect(req.headers['content-type']).toBe('application/json');
    expect(req.headers['x-scope-orgid']).toBe('sandbox');
    expect(req.body).toEqual({
      streams: [
        {
          stream: { job: 'vaultmesh-portal', level: 'info', source: 'obs-sandbox' },
          values: [
            [
              '1700000000123000000',
              `{"ts":"2023-11-14T22:13:20.123Z","level":"info","msg":"receipt sealed","job":"vaultmesh-portal","trace_id":"${traceId}","span_id":"00f067aa0ba902b7","receipt_id":"r-1","epoch":42,"verified":true}`,
            ],
            [
              '1700000000125000000',
              '{"ts":"2023-11-14T22:13:20.125Z","level":"info","msg":"ok","job":"vaultmesh-portal"}',
            ],
          ],
        },
        {
          stream: { job: 'vaultmesh-guardian', level: 'warn', source: 'obs-sandbox' },
          values: [
            [
              '1700000000124000000',
              '{"ts":"2023-11-14T22:13:20.124Z","level":"warn","msg":"lag \\"high\\"","job":"vaultmesh-guardian"}',
            ],
          ],
        },
      ],
    });
    expect(p.stats()).toEqual({
      url: `${receiver.url}/`,
      pushed: 3,
      sent: 3,
      dropped: 0,
      failedRequests: 0,
      retries: 0,
      buffered: 0,
      reachable: true,
    });
  });

  it('splits 2500 lines into requests of batchSize 1000, 1000 and 500, in order', async () => {
    const receiver = await startReceiver();
    const p = pusher({ url: receiver.url, batchSize: 1000 });
    for (let i = 0; i < 2500; i++) p.push(record(i));
    await p.flush();
    expect(lineCounts(receiver)).toEqual([1000, 1000, 500]);
    expect(acceptedSeqs(receiver)).toEqual(range(0, 2500));
    expect(p.stats()).toMatchObject({ pushed: 2500, sent: 2500, buffered: 0 });
  });

  it('groups a batch into one stream per label set with values in time order', async () => {
    const receiver = await startReceiver();
    const p = pusher({ url: receiver.url });
    const jobs = ['vaultmesh-portal', 'vaultmesh-oracle'];
    const levels = ['info', 'error'] as const;
    for (let i = 0; i < 40; i++) {
      // Times run backwards so the pusher has to sort each stream.
      p.push(
        record(i, { timeMs: 1_700_000_100_000 - i, job: jobs[i % 2], level: levels[Math.floor(i / 2) % 2] }),
      );
    }
    await p.flush();
    const streams = receiver.requests[0]?.body.streams ?? [];
    expect(streams.map((s) => `${s.stream.job}/${s.stream.level}`).sort()).toEqual([
      'vaultmesh-oracle/error',
      'vaultmesh-oracle/info',
      'vaultmesh-portal/error',
      'vaultmesh-portal/info',
    ]);
    for (const s of streams) {
      expect(Object.keys(s.stream)).toEqual(['job', 'level', 'source']);
      expect(s.values).toHaveLength(10);
      const times = s.values.map(([ns]) => BigInt(ns));
      expect(times).toEqual([...times].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0)));
      expect(times[0]).toBeLessThan(times[9] as bigint);
    }
  });
});

describe('LokiPusher backpressure and retries', () => {
  it('drops the oldest lines when Loki is down and delivers the newest once it is up', async () => {
    const port = await deadPort();
    const p = pusher({
      url: `http://127.0.0.1:${port}`,
      maxBufferedLines: 100,
      initialBackoffMs: 20,
      maxBackoffMs: 40,
    });
    for (let i = 0; i < 250; i++) p.push(record(i));
    expect(p.stats()).toMatchObject({ pushed: 250, dropped: 150, buffered: 100 });
    const receiver = await startReceiver(undefined, port);
    await waitFor(() => p.stats().sent === 100);
    expect(acceptedSeqs(receiver)).toEqual(range(150, 250));
    expect(p.stats()).toMatchObject({ pushed: 250, sent: 100, dropped: 150, buffered: 0 });
  });

  it('accounts exactly for lines evicted while a slow request is in flight', async () => {
    const receiver = await startReceiver(() => ({ status: 204, delayMs: 150 }));
    const p = pusher({ url: receiver.url, maxBufferedLines: 50, batchSize: 50 });
    for (let i = 0; i < 50; i++) p.push(record(i));
    await waitFor(() => receiver.requests.length === 1);
    for (let i = 50; i < 170; i++) p.push(record(i));
    // 50 in-flight lines were evicted (not yet lost) and 70 more were dropped outright.
    expect(p.stats()).toMatchObject({ pushed: 170, dropped: 70, buffered: 100 });
    await waitFor(() => p.stats().buffered === 0);
    await p.flush();
    expect(acceptedSeqs(receiver)).toEqual([...range(0, 50), ...range(120, 170)]);
    expect(p.stats()).toMatchObject({ pushed: 170, sent: 100, dropped: 70, buffered: 0 });
  });

  it('keeps a batch through 500s and delivers every line exactly once', async () => {
    const receiver = await startReceiver((i) =>
      i < 2 ? { status: 500, body: 'internal error' } : { status: 204 },
    );
    const events: LokiStatusEvent[] = [];
    const p = pusher({
      url: receiver.url,
      initialBackoffMs: 10,
      maxBackoffMs: 40,
      onStatus: (e) => events.push(e),
    });
    for (let i = 0; i < 30; i++) p.push(record(i));
    await p.flush();
    await waitFor(() => p.stats().sent === 30);
    expect(receiver.requests.map((r) => r.status)).toEqual([500, 500, 204]);
    expect(receiver.requests[2]?.body).toEqual(receiver.requests[0]?.body);
    expect(acceptedSeqs(receiver)).toEqual(range(0, 30));
    expect(p.stats()).toMatchObject({ sent: 30, dropped: 0, failedRequests: 2, retries: 2, reachable: true });
    expect(events.map((e) => e.kind)).toEqual(['unreachable', 'reachable']);
    expect(events[0]?.message).toContain('HTTP 500: internal error');
    expect(p.stats().lastError).toBe('HTTP 500: internal error');
  });

  it('drops a batch Loki rejects with 400 and reports each distinct reason once', async () => {
    const tooOld = (ts: string) =>
      `entry with timestamp ${ts} ignored, reason: 'entry too far behind', for stream: {job="vaultmesh-portal"}`;
    const noLabels = 'error at least one label pair is required per stream';
    const answers: Answer[] = [
      { status: 400, body: tooOld('2023-11-14 22:13:20.000') },
      { status: 400, body: tooOld('2023-11-14 22:13:21.500') },
      { status: 400, body: noLabels },
    ];
    const receiver = await startReceiver((i) => answers[i] ?? { status: 204 });
    const events: LokiStatusEvent[] = [];
    const p = pusher({ url: receiver.url, batchSize: 10, onStatus: (e) => events.push(e) });
    for (let i = 0; i < 40; i++) p.push(record(i));
    await p.flush();
    expect(lineCounts(receiver)).toEqual([10, 10, 10, 10]);
    expect(acceptedSeqs(receiver)).toEqual(range(30, 40));
    expect(p.stats()).toMatchObject({
      sent: 10,
      dropped: 30,
      failedRequests: 3,
      retries: 0,
      reachable: true,
    });
    expect(events).toHaveLength(2);
    expect(events[0]).toMatchObject({ kind: 'rejected', status: 400, lines: 10 });
    expect(events[0]?.message).toContain('entry too far behind');
    expect(events[1]).toMatchObject({ kind: 'rejected', status: 400, reason: noLabels });
    expect(p.stats().lastError).toBe(`HTTP 400: ${noLabels}`);
  });

  it('reports unreachable once while retrying, then reachable once after recovery', async () => {
    const port = await deadPort();
    const url = `http://127.0.0.1:${port}`;
    const events: LokiStatusEvent[] = [];
    const p = pusher({ url, initialBackoffMs: 5, maxBackoffMs: 20, onStatus: (e) => events.push(e) });
    for (let i = 0; i < 5; i++) p.push(record(i));
    await p.flush();
    await waitFor(() => p.stats().failedRequests >= 4);
    expect(events).toHaveLength(1);
    expect(events[0]).toMatchObject({ kind: 'unreachable', reason: 'connection refused (ECONNREFUSED)' });
    expect(events[0]?.message).toBe(
      `Loki at ${url} is unreachable (connection refused (ECONNREFUSED)); logs are buffered and retried with backoff`,
    );
    expect(p.stats()).toMatchObject({ reachable: false, lastError: 'connection refused (ECONNREFUSED)' });

    const receiver = await startReceiver(undefined, port);
    await waitFor(() => p.stats().sent === 5);
    expect(acceptedSeqs(receiver)).toEqual(range(0, 5));
    expect(events.map((e) => e.kind)).toEqual(['unreachable', 'reachable']);
    expect(p.stats()).toMatchObject({ reachable: true, dropped: 0 });
  });
});

describe('LokiPusher robustness', () => {
  it('never throws from push and reports an unusable record once', () => {
    const events: LokiStatusEvent[] = [];
    const p = pusher({
      url: 'http://127.0.0.1:9',
      onStatus: (e) => {
        events.push(e);
        throw new Error('faulty callback');
      },
    });
    expect(() => p.push(record(0, { timeMs: Number.NaN }))).not.toThrow();
    expect(() => p.push(record(1, { timeMs: Number.NaN }))).not.toThrow();
    expect(p.stats()).toMatchObject({ pushed: 2, dropped: 2, buffered: 0 });
    expect(events.map((e) => e.kind)).toEqual(['invalid']);
  });

  it('close() resolves promptly when Loki accepts connections but never answers', async () => {
    const receiver = await startReceiver(() => 'hang');
    const p = pusher({ url: receiver.url, batchSize: 10, closeTimeoutMs: 150 });
    for (let i = 0; i < 15; i++) p.push(record(i));
    await waitFor(() => receiver.requests.length === 1);
    const start = Date.now();
    await p.close();
    expect(Date.now() - start).toBeLessThan(1000);
    expect(p.stats()).toMatchObject({ pushed: 15, sent: 0, dropped: 15, buffered: 0 });
    p.push(record(99));
    expect(p.stats()).toMatchObject({ pushed: 16, dropped: 16 });
  });

  it('close() resolves promptly when Loki is down and backing off for long', async () => {
    const port = await deadPort();
    const p = pusher({ url: `http://127.0.0.1:${port}`, initialBackoffMs: 20_000, maxBackoffMs: 60_000 });
    for (let i = 0; i < 5; i++) p.push(record(i));
    await p.flush();
    expect(p.stats().failedRequests).toBe(1);
    const start = Date.now();
    await p.close();
    expect(Date.now() - start).toBeLessThan(1000);
    expect(p.stats()).toMatchObject({ failedRequests: 2, dropped: 5, buffered: 0 });
  });

  it('does not keep the process alive while Loki is down', async () => {
    const port = await deadPort();
    const script = `
      import { LokiPusher } from './generators/outputs/logs/index.ts';
      const p = new LokiPusher({ url: 'http://127.0.0.1:${port}', initialBackoffMs: 30000 });
      p.push({ timeMs: Date.now(), job: 'vaultmesh-portal', level: 'info', message: 'hi', fields: {} });
      await p.flush();
      console.log(JSON.stringify(p.stats()));`;
    const { stdout } = await new Promise<{ stdout: string }>((resolve, reject) => {
      execFile(
        process.execPath,
        ['--import', 'tsx', '--input-type=module', '-e', script],
        { cwd: process.cwd(), timeout: 10_000 },
        (err, out) => (err ? reject(err) : resolve({ stdout: out })),
      );
    });
    expect(JSON.parse(stdout)).toMatchObject({ pushed: 1, failedRequests: 1, buffered: 1, reachable: false });
  });
});

describe('LokiPusher headers', () => {
  it('sends the tenant, auth and the given headers with every push, the given ones last', async () => {
    const receiver = await startReceiver();
    const p = pusher({
      url: receiver.url,
      batchSize: 2,
      tenantId: 'from-option',
      headers: { 'X-Scope-OrgID': 'team-a', Authorization: 'Bearer t0ken', 'X-Env': 'ci' },
    });
    for (const i of range(0, 5)) p.push(record(i));
    await p.flush();
    expect(lineCounts(receiver)).toEqual([2, 2, 1]);
    for (const { headers } of receiver.requests)
      expect(headers).toMatchObject({
        'x-scope-orgid': 'team-a',
        authorization: 'Bearer t0ken',
        'x-env': 'ci',
        'content-type': 'application/json',
      });
  });

  it('sends a user and password in the URL as basic auth, keeps its query, and never shows either', async () => {
    const receiver = await startReceiver((i) =>
      i === 0 ? { status: 401, body: 'no\nmore' } : { status: 204 },
    );
    const url = receiver.url.replace('http://', 'http://bob:s%40cret@') + '/base/?token=k3y';
    const events: LokiStatusEvent[] = [];
    const p = pusher({ url, onStatus: (e) => events.push(e) });
    p.push(record(0));
    await p.flush();
    p.push(record(1));
    await p.flush();
    expect(receiver.requests.map((r) => r.url)).toEqual([
      '/base/loki/api/v1/push?token=k3y',
      '/base/loki/api/v1/push?token=k3y',
    ]);
    expect(receiver.requests[0]?.headers.authorization).toBe(
      `Basic ${Buffer.from('bob:s@cret').toString('base64')}`,
    );
    const shown = JSON.stringify([events, p.stats()]);
    expect(p.stats()).toMatchObject({ url: `${receiver.url}/base/`, lastError: 'HTTP 401: no' });
    for (const secret of ['bob', 'cret', 'k3y']) expect(shown).not.toContain(secret);
  });
});

describe('LokiPusher last error', () => {
  it('says a request timed out', async () => {
    const receiver = await startReceiver(() => 'hang');
    const p = pusher({ url: receiver.url, requestTimeoutMs: 100, initialBackoffMs: 60_000 });
    p.push(record(0));
    await p.flush();
    expect(p.stats()).toMatchObject({ reachable: false, lastError: 'timed out after 100 ms' });
  });
});
