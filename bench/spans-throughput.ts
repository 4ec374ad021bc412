/**
 * Throughput of the OTLP trace output: `npx tsx bench/spans-throughput.ts [spans]` (default 200 000).
 * Exports 15-span proof-generation traces to a loopback OTLP/HTTP receiver that runs in a child process,
 * so its JSON parsing is not charged to the exporter's CPU time. Prints figures, asserts nothing.
 */
import { fork } from 'node:child_process';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { fileURLToPath } from 'node:url';
import type { SpanRecord } from '../generators/model/types.js';
import { OtlpTraceOutput } from '../generators/outputs/traces/index.js';

interface ReceiverCounts {
  spans: number;
  requests: number;
  bytes: number;
}

/** Child process: an OTLP/HTTP JSON receiver that parses every body, as Jaeger would, and counts spans. */
function runReceiver(): void {
  const counts: ReceiverCounts = { spans: 0, requests: 0, bytes: 0 };
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const body = Buffer.concat(chunks);
      const request = JSON.parse(body.toString('utf8')) as {
        resourceSpans?: { scopeSpans: { spans: unknown[] }[] }[];
      };
      for (const rs of request.resourceSpans ?? [])
        for (const ss of rs.scopeSpans) counts.spans += ss.spans.length;
      counts.requests++;
      counts.bytes += body.length;
      res.writeHead(200, { 'Content-Type': 'application/json' }).end('{}');
    });
  });
  server.listen(0, '127.0.0.1', () => process.send?.({ port: (server.address() as AddressInfo).port }));
  process.on('message', () => process.send?.(counts));
  process.on('disconnect', () => process.exit(0));
}

const ZKP = 'zkp-dataset-ledger';
const SHAPE: [name: string, parent: number | undefined, job: string, kind: SpanRecord['kind'], at: number][] =
  [
    ['proof_generation', undefined, ZKP, 'server', 0],
    ['dataset_validation', 0, ZKP, 'internal', 5],
    ['schema_check', 1, ZKP, 'internal', 5],
    ['hash_computation', 1, ZKP, 'internal', 40],
    ['size_validation', 1, ZKP, 'internal', 260],
    ['circuit_compilation', 0, ZKP, 'internal', 310],
    ['constraint_generation', 5, ZKP, 'internal', 310],
    ['optimization', 5, ZKP, 'internal', 820],
    ['proof_computation', 0, ZKP, 'internal', 1115],
    ['witness_generation', 8, ZKP, 'internal', 1115],
    ['groth16_prove', 8, ZKP, 'internal', 1730],
    ['proof_serialization', 8, ZKP, 'internal', 3820],
    ['storage_commit', 0, ZKP, 'client', 3905],
    ['database_write', 12, 'vaultmesh-portal', 'server', 3912],
    ['index_update', 12, 'vaultmesh-portal', 'internal', 3990],
  ];

/** Span `n` of trace `trace`, with deterministic ids and a few attributes like the model's. */
function proofSpan(trace: number, n: number): SpanRecord {
  const [name, parent, job, kind, at] = SHAPE[n]!;
  const base = 1_767_225_600_000 + trace * 5000;
  const spanId = (i: number) => (trace * SHAPE.length + i + 1).toString(16).padStart(16, '0');
  return {
    traceId: trace.toString(16).padStart(32, '0'),
    spanId: spanId(n),
    parentSpanId: parent === undefined ? undefined : spanId(parent),
    name,
    job,
    kind,
    startMs: base + at,
    endMs: base + at + 50 + (trace % 7) * 3,
    status: n === 14 && trace % 20 === 0 ? 'error' : 'ok',
    statusMessage: n === 14 && trace % 20 === 0 ? 'index shard locked' : undefined,
    attributes: {
      'dataset.id': `ds-${trace % 1000}`,
      'proof.system': 'groth16',
      'batch.size': trace % 64,
      sampled: true,
    },
  };
}

async function runBench(total: number): Promise<void> {
  const receiver = fork(fileURLToPath(import.meta.url), ['receiver']);
  const { port } = await new Promise<{ port: number }>((resolve) => receiver.once('message', resolve));
  const counts = () =>
    new Promise<ReceiverCounts>((resolve) => {
      receiver.once('message', (message) => resolve(message as ReceiverCounts));
      receiver.send('counts');
    });

  const modelStart = process.cpuUsage();
  for (let i = 0; i < total; i++) proofSpan(Math.floor(i / SHAPE.length), i % SHAPE.length);
  const modelCpu = process.cpuUsage(modelStart);

  const maxQueueSize = 20_000;
  const out = new OtlpTraceOutput({ url: `http://127.0.0.1:${port}`, maxQueueSize });
  const cpuStart = process.cpuUsage();
  const wallStart = performance.now();
  for (let i = 0; i < total; i++) {
    // Back-pressure: wait for the exporter instead of overflowing its queue, to measure sustained throughput.
    if (i % 1000 === 0) {
      for (;;) {
        const { received, exported, dropped } = out.stats();
        if (received - exported - dropped <= maxQueueSize - 1000) break;
        await new Promise((resolve) => setTimeout(resolve, 1));
      }
    }
    out.span(proofSpan(Math.floor(i / SHAPE.length), i % SHAPE.length));
  }
  await out.flush();
  const wallS = (performance.now() - wallStart) / 1000;
  const cpu = process.cpuUsage(cpuStart);
  await out.close();
  const cpuS = (cpu.user + cpu.system) / 1e6;
  const stats = out.stats();
  const received = await counts();
  receiver.disconnect();

  const rate = (n: number) => Math.round(n).toLocaleString('en-US');
  console.log(`spans             ${rate(total)} (${rate(total / SHAPE.length)} traces of ${SHAPE.length})`);
  console.log(`exported/dropped  ${rate(stats.exported)} / ${rate(stats.dropped)}`);
  console.log(
    `receiver got      ${rate(received.spans)} spans in ${received.requests} requests, ${rate(received.bytes / 1e6)} MB`,
  );
  console.log(`wall              ${wallS.toFixed(2)} s  → ${rate(total / wallS)} spans/s`);
  console.log(
    `exporter CPU      ${cpuS.toFixed(2)} s (user ${(cpu.user / 1e6).toFixed(2)}, sys ${(cpu.system / 1e6).toFixed(2)}) → ${rate(total / cpuS)} spans per CPU-second`,
  );
  console.log(
    `  of which model  ~${((modelCpu.user + modelCpu.system) / 1e6).toFixed(2)} s (building the records alone)`,
  );
  console.log(`peak RSS          ${rate(process.resourceUsage().maxRSS / 1024)} MB`);
}

if (process.argv[2] === 'receiver') runReceiver();
else await runBench(Number(process.argv[2] ?? 200_000));
