import { spawn } from 'node:child_process';
import http from 'node:http';
import net from 'node:net';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { SpanRecord } from '../../../../generators/model/types.js';
import {
  msToHrTime,
  OtlpTraceOutput,
  serviceNamespace,
} from '../../../../generators/outputs/traces/index.js';
import type { OtlpStatusEvent, OtlpTraceOutputOptions } from '../../../../generators/outputs/traces/index.js';

// OTLP/HTTP JSON as documented (https://opentelemetry.io/docs/specs/otlp/#json-protobuf-encoding): ids are
// lowercase hex, uint64 nanosecond timestamps are strings, int64 values may be numbers or strings.
interface OtlpAnyValue {
  stringValue?: string;
  intValue?: number | string;
  doubleValue?: number;
  boolValue?: boolean;
}
interface OtlpKeyValue {
  key: string;
  value: OtlpAnyValue;
}
interface OtlpSpan {
  traceId: string;
  spanId: string;
  parentSpanId?: string;
  name: string;
  kind: number;
  startTimeUnixNano: string;
  endTimeUnixNano: string;
  attributes: OtlpKeyValue[];
  events: { name: string; timeUnixNano: string; attributes: OtlpKeyValue[] }[];
  status: { code?: number; message?: string };
}
interface OtlpRequest {
  resourceSpans?: {
    resource: { attributes: OtlpKeyValue[] };
    scopeSpans: { scope: { name: string }; spans: OtlpSpan[] }[];
  }[];
}
interface ReceivedSpan extends OtlpSpan {
  resource: Record<string, OtlpAnyValue>;
  scope: string;
}

const attributeMap = (list: OtlpKeyValue[]): Record<string, OtlpAnyValue> =>
  Object.fromEntries(list.map(({ key, value }) => [key, value]));

/**
 * Stands in for Jaeger's OTLP/HTTP receiver (port 4318), which cannot run here: accepts POST /v1/traces with
 * a JSON body and answers 200 with an empty ExportTraceServiceResponse. Bodies without spans are probes.
 */
class OtlpReceiver {
  readonly requests: OtlpRequest[] = [];
  readonly contentTypes: string[] = [];
  responseDelayMs = 0;
  private readonly server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      if (req.method !== 'POST' || req.url !== '/v1/traces') {
        res.writeHead(404).end();
        return;
      }
      const body = JSON.parse(Buffer.concat(chunks).toString('utf8')) as OtlpRequest;
      if (body.resourceSpans !== undefined) {
        this.requests.push(body);
        this.contentTypes.push(req.headers['content-type'] ?? '');
      }
      setTimeout(
        () => res.writeHead(200, { 'Content-Type': 'application/json' }).end('{}'),
        this.responseDelayMs,
      );
    });
  });

  static async start(port = 0): Promise<OtlpReceiver> {
    const receiver = new OtlpReceiver();
    await new Promise<void>((resolve) => receiver.server.listen(port, '127.0.0.1', resolve));
    return receiver;
  }

  get url(): string {
    return `http://127.0.0.1:${(this.server.address() as net.AddressInfo).port}`;
  }

  spans(): ReceivedSpan[] {
    return this.requests.flatMap((request) =>
      (request.resourceSpans ?? []).flatMap((rs) =>
        rs.scopeSpans.flatMap((ss) =>
          ss.spans.map((span) => ({
            ...span,
            resource: attributeMap(rs.resource.attributes),
            scope: ss.scope.name,
          })),
        ),
      ),
    );
  }

  close(): Promise<void> {
    this.server.closeAllConnections();
    return new Promise((resolve) => this.server.close(() => resolve()));
  }
}

/** A port nothing listens on: connecting to it is refused at once. */
async function deadPort(): Promise<number> {
  const server = net.createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as net.AddressInfo;
  await new Promise((resolve) => server.close(resolve));
  return port;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const nanos = (ms: number) => (BigInt(ms) * 1_000_000n).toString();

const ZKP = 'zkp-dataset-ledger';
const PORTAL = 'vaultmesh-portal';
const T0 = Date.UTC(2026, 0, 15, 9, 30, 0);

/** A proof-generation trace as the ZKP pipeline would produce it; the receipt is committed through the portal. */
function proofTrace(traceId: string, t0 = T0): SpanRecord[] {
  const id = (n: number) => (0xa1b2c3d400000000n + BigInt(n)).toString(16);
  const span = (
    n: number,
    parent: number | undefined,
    name: string,
    [start, end]: [number, number],
    more: Partial<SpanRecord> = {},
  ): SpanRecord => ({
    traceId,
    spanId: id(n),
    parentSpanId: parent === undefined ? undefined : id(parent),
    name,
    job: ZKP,
    kind: 'internal',
    startMs: t0 + start,
    endMs: t0 + end,
    status: 'ok',
    attributes: {},
    ...more,
  });
  return [
    span(1, 0, 'dataset_validation', [5, 305]),
    span(2, 1, 'schema_check', [5, 40]),
    span(3, 1, 'hash_computation', [40, 260], { attributes: { 'hash.algorithm': 'sha256' } }),
    span(4, 1, 'size_validation', [260, 305]),
    span(5, 0, 'circuit_compilation', [310, 1110]),
    span(6, 5, 'constraint_generation', [310, 820]),
    span(7, 5, 'optimization', [820, 1110]),
    span(8, 0, 'proof_computation', [1115, 3900]),
    span(9, 8, 'witness_generation', [1115, 1730]),
    span(10, 8, 'groth16_prove', [1730, 3820], { attributes: { 'prover.threads': 8 } }),
    span(11, 8, 'proof_serialization', [3820, 3900]),
    span(13, 12, 'database_write', [3912, 3990], { job: PORTAL, kind: 'server' }),
    span(14, 12, 'index_update', [3990, 4170], {
      job: PORTAL,
      status: 'error',
      statusMessage: 'index shard 3 locked; retry queued',
      events: [
        {
          name: 'exception',
          timeMs: t0 + 4169,
          attributes: { 'exception.type': 'LockTimeout', 'exception.message': 'shard 3 locked for 180 ms' },
        },
      ],
    }),
    span(12, 0, 'storage_commit', [3905, 4180], { kind: 'client', attributes: { 'peer.service': PORTAL } }),
    span(0, undefined, 'proof_generation', [0, 4200], {
      kind: 'server',
      attributes: {
        'dataset.id': 'ds-2f9c',
        'proof.system': 'groth16',
        'circuit.constraints': 1_048_576,
        'dataset.size_mb': 512.75,
        'proof.verified': true,
      },
      events: [{ name: 'proof.accepted', timeMs: t0 + 4190, attributes: { 'proof.size_bytes': 192 } }],
    }),
  ];
}

const TRACE_ID = '4bf92f3577b34da6a3ce929d0e0e4736';
const opened: { close(): Promise<void> }[] = [];

function output(options: OtlpTraceOutputOptions): { out: OtlpTraceOutput; events: OtlpStatusEvent[] } {
  const events: OtlpStatusEvent[] = [];
  const out = new OtlpTraceOutput({ onStatus: (event) => events.push(event), ...options });
  opened.push(out);
  return { out, events };
}

async function receiver(port?: number): Promise<OtlpReceiver> {
  const started = await OtlpReceiver.start(port);
  opened.push(started);
  return started;
}

afterEach(async () => {
  await Promise.all(opened.splice(0).map((item) => item.close()));
  vi.restoreAllMocks();
});

describe('span conversion helpers', () => {
  it('converts fractional model milliseconds without producing 1e9 nanoseconds', () => {
    expect(msToHrTime(T0 + 0.25)).toEqual([T0 / 1000, 250_000]);
    expect(msToHrTime(1999.9999999)).toEqual([2, 0]);
  });

  it('derives the service namespace from the job name', () => {
    expect(serviceNamespace('vaultmesh-guardian')).toBe('vaultmesh');
    expect(serviceNamespace(ZKP)).toBe('zkp');
  });
});

describe('OtlpTraceOutput', () => {
  it('delivers a proof-generation trace as OTLP/JSON, grouped per service', async () => {
    const jaeger = await receiver();
    const { out, events } = output({ url: jaeger.url, scheduledDelayMillis: 10 });
    const records = proofTrace(TRACE_ID);
    for (const record of records) out.span(record);
    await out.flush();

    expect(jaeger.contentTypes).toEqual(['application/json']);
    const [request] = jaeger.requests;
    const services = request!.resourceSpans!.map(
      (rs) => attributeMap(rs.resource.attributes)['service.name'],
    );
    expect(services.map((value) => value?.stringValue).sort()).toEqual([PORTAL, ZKP]);

    const received = jaeger.spans();
    expect(received).toHaveLength(records.length);
    const byId = new Map(received.map((span) => [span.spanId, span]));
    for (const record of records) {
      const span = byId.get(record.spanId);
      expect(span, record.name).toBeDefined();
      expect(span!.traceId).toBe(TRACE_ID);
      expect(span!.parentSpanId || undefined).toBe(record.parentSpanId);
      expect(span!.name).toBe(record.name);
      expect(span!.startTimeUnixNano).toBe(nanos(record.startMs));
      expect(span!.endTimeUnixNano).toBe(nanos(record.endMs));
      expect(span!.scope).toBe('obs-sandbox/generators');
      expect(span!.resource['service.name']).toEqual({ stringValue: record.job });
      expect(span!.resource['service.namespace']).toEqual({
        stringValue: record.job === ZKP ? 'zkp' : 'vaultmesh',
      });
      expect(span!.resource['deployment.environment.name']).toEqual({ stringValue: 'sandbox' });
      expect(span!.resource['service.version']?.stringValue).toMatch(/^\d+\.\d+\.\d+/);
    }

    const root = byId.get(records.at(-1)!.spanId)!;
    expect(root.kind).toBe(2); // OTLP SPAN_KIND_SERVER
    expect(root.status.code).toBe(1); // STATUS_CODE_OK
    const attrs = attributeMap(root.attributes);
    expect(attrs['dataset.id']).toEqual({ stringValue: 'ds-2f9c' });
    expect(Number(attrs['circuit.constraints']?.intValue)).toBe(1_048_576);
    expect(attrs['dataset.size_mb']).toEqual({ doubleValue: 512.75 });
    expect(attrs['proof.verified']).toEqual({ boolValue: true });
    expect(root.events.map((event) => event.name)).toEqual(['proof.accepted']);
    expect(root.events[0]!.timeUnixNano).toBe(nanos(T0 + 4190));
    expect(Number(attributeMap(root.events[0]!.attributes)['proof.size_bytes']?.intValue)).toBe(192);

    const commit = received.find((span) => span.name === 'storage_commit')!;
    expect(commit.kind).toBe(3); // SPAN_KIND_CLIENT
    const failed = received.find((span) => span.name === 'index_update')!;
    expect(failed.kind).toBe(1); // SPAN_KIND_INTERNAL
    expect(failed.status).toEqual({ code: 2, message: 'index shard 3 locked; retry queued' });
    expect(failed.events[0]!.name).toBe('exception');
    expect(attributeMap(failed.events[0]!.attributes)['exception.type']).toEqual({
      stringValue: 'LockTimeout',
    });

    expect(out.stats()).toEqual({
      url: jaeger.url,
      queued: 0,
      received: records.length,
      exported: records.length,
      dropped: 0,
      failedExports: 0,
      reachable: true,
    });
    expect(events).toEqual([]);
  });

  it('reports an unreachable endpoint once and its recovery once, printing nothing itself', async () => {
    const consoleSpies = (['log', 'info', 'warn', 'error', 'debug'] as const).map((method) =>
      vi.spyOn(console, method).mockImplementation(() => undefined),
    );
    const port = await deadPort();
    const url = `http://127.0.0.1:${port}`;
    const { out, events } = output({
      url,
      scheduledDelayMillis: 10,
      initialBackoffMillis: 50,
      maxBackoffMillis: 100,
    });

    // Several attempts (the backoff is 50 then 100 ms) and batches skipped in between.
    for (let i = 0; i < 5; i++) {
      for (const record of proofTrace(TRACE_ID)) out.span(record);
      await out.flush();
      await sleep(i % 2 === 0 ? 10 : 110);
    }
    expect(events).toEqual([
      {
        type: 'unreachable',
        endpoint: url,
        message: `OTLP endpoint ${url} is unreachable (ECONNREFUSED); spans are dropped and export is retried with backoff`,
      },
    ]);
    expect(out.stats()).toMatchObject({ received: 75, exported: 0, dropped: 75, reachable: false });

    const jaeger = await receiver(port);
    const deadline = Date.now() + 5000;
    while (events.length < 2 && Date.now() < deadline) {
      for (const record of proofTrace(TRACE_ID)) out.span(record);
      await out.flush();
      await sleep(20);
    }
    for (const record of proofTrace(TRACE_ID)) out.span(record);
    await out.flush();

    expect(events.map((event) => event.type)).toEqual(['unreachable', 'recovered']);
    expect(events[1]!.message).toMatch(
      new RegExp(`^OTLP endpoint ${url} is reachable again; \\d+ spans were dropped`),
    );
    const stats = out.stats();
    expect(stats.reachable).toBe(true);
    expect(stats.exported).toBe(jaeger.spans().length);
    expect(stats.exported).toBeGreaterThanOrEqual(30);
    expect(stats.exported + stats.dropped).toBe(stats.received);
    for (const spy of consoleSpies) expect(spy).not.toHaveBeenCalled();
  });

  it('names an endpoint without its user, password or query in what it reports', async () => {
    const port = await deadPort();
    const { out, events } = output({
      url: `http://otel:s3cret@127.0.0.1:${port}?api_key=k3y`,
      scheduledDelayMillis: 10,
    });
    for (const record of proofTrace(TRACE_ID)) out.span(record);
    await out.flush();
    expect(events.length).toBeGreaterThan(0);
    for (const event of events) {
      expect(JSON.stringify(event)).not.toMatch(/s3cret|k3y|otel:/);
      expect(event.endpoint).toBe(`http://127.0.0.1:${port}`);
    }
    await out.close();
  });

  it('backs off exponentially instead of hammering an endpoint that resets connections', async () => {
    let connections = 0;
    const resetter = net.createServer((socket) => {
      connections++;
      socket.destroy();
    });
    await new Promise<void>((resolve) => resetter.listen(0, '127.0.0.1', resolve));
    opened.push({ close: () => new Promise((resolve) => resetter.close(() => resolve())) });
    const url = `http://127.0.0.1:${(resetter.address() as net.AddressInfo).port}`;
    const { out, events } = output({
      url,
      maxExportBatchSize: 15,
      scheduledDelayMillis: 5,
      initialBackoffMillis: 50,
      maxBackoffMillis: 200,
    });

    const until = Date.now() + 1200;
    while (Date.now() < until) {
      for (const record of proofTrace(TRACE_ID)) out.span(record);
      await sleep(10);
    }
    await out.flush();

    // Attempts at about 0, 50, 150, 350, 550, 750, 950 and 1150 ms, against roughly 100 batches.
    expect(out.stats().failedExports).toBeGreaterThan(50);
    expect(connections).toBeGreaterThanOrEqual(5);
    expect(connections).toBeLessThanOrEqual(11);
    expect(events).toHaveLength(1);
    expect(events[0]!.message).toMatch(/is unreachable \((ECONNRESET|EPIPE)\)/);
  });

  it('flush() waits for a batch already in flight', async () => {
    const jaeger = await receiver();
    jaeger.responseDelayMs = 200;
    const { out } = output({ url: jaeger.url, scheduledDelayMillis: 5 });
    for (const record of proofTrace(TRACE_ID)) out.span(record);
    await sleep(50);
    await out.flush();
    expect(out.stats().exported).toBe(15);
  });

  it('counts spans dropped because the queue is full', async () => {
    const jaeger = await receiver();
    const { out } = output({
      url: jaeger.url,
      maxQueueSize: 100,
      maxExportBatchSize: 50,
      scheduledDelayMillis: 60_000,
    });
    for (let i = 0; i < 20; i++) for (const record of proofTrace(TRACE_ID)) out.span(record);
    await out.flush();

    const stats = out.stats();
    expect(stats.received).toBe(300);
    // One batch of 50 leaves at once; 100 more wait in the full queue while it is in flight.
    expect(stats.dropped).toBe(150);
    expect(stats.exported).toBe(150);
    expect(jaeger.spans()).toHaveLength(150);
  });

  it('closes promptly when the endpoint is down and drops spans received afterwards', async () => {
    const { out, events } = output({
      url: `http://127.0.0.1:${await deadPort()}`,
      scheduledDelayMillis: 60_000,
      closeTimeoutMillis: 3000,
    });
    for (let i = 0; i < 100; i++) for (const record of proofTrace(TRACE_ID)) out.span(record);

    const started = performance.now();
    await out.close();
    expect(performance.now() - started).toBeLessThan(1000);
    out.span(proofTrace(TRACE_ID)[0]!);
    expect(out.stats()).toMatchObject({ received: 1501, exported: 0, dropped: 1501, reachable: false });
    expect(events.map((event) => event.type)).toEqual(['unreachable']);
  });

  it('does not keep the process alive after close() when the endpoint is down', async () => {
    const entry = fileURLToPath(new URL('../../../../generators/outputs/traces/index.ts', import.meta.url));
    const script = `
      import { OtlpTraceOutput } from ${JSON.stringify(entry)};
      const out = new OtlpTraceOutput({ url: 'http://127.0.0.1:${await deadPort()}' });
      for (let i = 0; i < 1000; i++) {
        out.span({ traceId: '${TRACE_ID}', spanId: (0x1000000000000000 + i).toString(16), name: 'x',
          job: 'zkp-dataset-ledger', kind: 'internal', startMs: 0, endMs: 1, status: 'ok', attributes: {} });
      }
      await out.close();
      const closedAt = performance.now();
      process.on('exit', () => console.log(Math.round(performance.now() - closedAt)));
    `;
    const child = spawn(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], {
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    let stdout = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    const code = await new Promise((resolve) => child.on('exit', resolve));
    expect(code).toBe(0);
    expect(Number(stdout.trim())).toBeLessThan(500);
  });
});
