/**
 * Log shipping throughput: LogRecords rendered, batched and POSTed by LokiPusher to a loopback receiver.
 * The receiver (a stand-in for Loki that parses each body and answers 204) runs in a child process, so
 * process.cpuUsage() and the peak RSS below cover the pusher side only.
 *
 *   npx tsx bench/logs-throughput.ts [lines]
 */
import { spawn } from 'node:child_process';
import { createInterface } from 'node:readline';
import { pathToFileURL } from 'node:url';
import { LokiPusher } from '../generators/outputs/logs/index.js';
import type { LogLevel, LogRecord } from '../generators/model/types.js';

export interface LogsThroughputResult {
  lines: number;
  wallSeconds: number;
  cpuSeconds: number;
  linesPerSecondWall: number;
  linesPerCpuSecond: number;
  peakRssMb: number;
  requests: number;
  received: number;
  dropped: number;
}

const RECEIVER_JS = `
const http = require('node:http');
let lines = 0, requests = 0;
const server = http.createServer((req, res) => {
  const chunks = [];
  req.on('data', (c) => chunks.push(c));
  req.on('end', () => {
    for (const s of JSON.parse(Buffer.concat(chunks).toString('utf8')).streams) lines += s.values.length;
    requests++;
    res.writeHead(204).end();
  });
});
server.listen(0, '127.0.0.1', () => console.log(JSON.stringify({ port: server.address().port })));
process.stdin.on('data', () => console.log(JSON.stringify({ lines, requests })));
process.stdin.on('end', () => process.exit(0));
`;

const JOBS = ['vaultmesh-portal', 'vaultmesh-guardian', 'vaultmesh-oracle', 'zkp-dataset-ledger'];
const MESSAGES = ['receipt sealed', 'anchor submitted', 'proof verified', 'scroll appended', 'epoch rotated'];
const SCROLLS = ['Treasury', 'Governance', 'Compliance', 'Ledger'];
const hex = (n: number, width: number) => n.toString(16).padStart(width, '0');
const TRACE_IDS = Array.from({ length: 256 }, (_, i) => hex(i * 2654435761, 8).repeat(4));
const SPAN_IDS = Array.from({ length: 256 }, (_, i) => hex(i * 40503, 8).repeat(2));

function makeRecord(i: number, startMs: number): LogRecord {
  const level: LogLevel = i % 50 === 0 ? 'error' : i % 10 === 0 ? 'warn' : 'info';
  return {
    timeMs: startMs + (i >> 2),
    job: JOBS[i & 3] as string,
    level,
    message: MESSAGES[i % MESSAGES.length] as string,
    traceId: TRACE_IDS[i & 255],
    spanId: SPAN_IDS[(i >> 3) & 255],
    fields: {
      receipt_id: `rcpt-${i}`,
      scroll: SCROLLS[i & 3] as string,
      epoch: 1000 + (i >> 12),
      latency_ms: (i % 997) / 10,
      verified: i % 3 !== 0,
    },
  };
}

async function startReceiver() {
  const child = spawn(process.execPath, ['-e', RECEIVER_JS], { stdio: ['pipe', 'pipe', 'inherit'] });
  const replies = createInterface({ input: child.stdout })[Symbol.asyncIterator]();
  const next = async <T>() => JSON.parse(((await replies.next()).value as string | undefined) ?? 'null') as T;
  const { port } = await next<{ port: number }>();
  return {
    url: `http://127.0.0.1:${port}`,
    async counts() {
      child.stdin.write('?\n');
      return next<{ lines: number; requests: number }>();
    },
    stop: () => child.stdin.end(),
  };
}

export async function main(lines = 500_000): Promise<LogsThroughputResult> {
  const receiver = await startReceiver();
  const pusher = new LokiPusher({ url: receiver.url, batchSize: 1000, maxBufferedLines: 50_000 });
  const startMs = Date.UTC(2025, 0, 1);
  const chunk = 1000;
  const cpuBefore = process.cpuUsage();
  const wallBefore = performance.now();
  for (let i = 0; i < lines; i += chunk) {
    const end = Math.min(lines, i + chunk);
    for (let j = i; j < end; j++) pusher.push(makeRecord(j, startMs));
    // Backpressure as a live generator would apply it: wait for Loki rather than overflow the buffer.
    if (pusher.stats().buffered >= 25_000) await pusher.flush();
    else await new Promise((resolve) => setImmediate(resolve));
  }
  await pusher.flush();
  const wallSeconds = (performance.now() - wallBefore) / 1000;
  const cpu = process.cpuUsage(cpuBefore);
  await pusher.close();
  const { lines: received, requests } = await receiver.counts();
  receiver.stop();
  const cpuSeconds = (cpu.user + cpu.system) / 1e6;
  return {
    lines,
    wallSeconds,
    cpuSeconds,
    linesPerSecondWall: lines / wallSeconds,
    linesPerCpuSecond: lines / cpuSeconds,
    peakRssMb: process.resourceUsage().maxRSS / 1024,
    requests,
    received,
    dropped: pusher.stats().dropped,
  };
}

if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const lines = Number(process.argv[2] ?? 500_000);
  const r = await main(lines);
  const fmt = (n: number) => Math.round(n).toLocaleString('en-US');
  console.log(`logs-throughput: ${fmt(r.lines)} lines -> loopback Loki double (${r.requests} requests)`);
  console.log(`  wall        ${r.wallSeconds.toFixed(2)} s   ${fmt(r.linesPerSecondWall)} lines/s`);
  console.log(`  pusher CPU  ${r.cpuSeconds.toFixed(2)} s   ${fmt(r.linesPerCpuSecond)} lines/CPU-s`);
  console.log(`  peak RSS    ${r.peakRssMb.toFixed(0)} MB`);
  console.log(`  received    ${fmt(r.received)} lines, dropped ${fmt(r.dropped)}`);
}
