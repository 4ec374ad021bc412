import type { ModelContext } from '../../model/context.js';
import { createFakerPools, type FakerPools } from '../../model/faker-pools.js';
import type { Rng } from '../../model/rng.js';
import type { ServiceModel } from '../../model/system.js';
import { TraceWriter } from '../../model/trace-writer.js';
import { SteadyArrivals, Wander, trafficShape } from '../../model/traffic.js';
import { TypedMetricWriter } from '../../model/metric-handles.js';
import { PLATFORM_KNOB } from '../platform.js';
import { VAULTMESH_FAULT as FAULT } from './faults.js';
import { VAULTMESH_KNOB as KNOB } from './knobs.js';
import { ReceiptLedger } from './ledger.js';
import {
  HTTP_ROUTES,
  RECEIPT_TYPES,
  RECEIPT_TYPE_SHARE,
  SCROLLS,
  SCROLL_SHARE,
  WRITE_ERROR_TYPES,
} from './mesh-topology.js';
import { VAULTMESH_METRIC as METRIC, VAULTMESH_JOBS } from './metrics.js';

export const PORTAL_JOB = VAULTMESH_JOBS.portal;
const DB_POOL_MAX = 20;

type ScrollLabels = { readonly scroll: string };

interface ReceiptSeries {
  scroll: string;
  type: string;
  share: number;
  phase: number;
  labels: { scroll: string; type: string };
  scrollLabels: ScrollLabels;
  arrivals: SteadyArrivals;
}

const WRITE_ROUTE = { method: 'POST', path: '/api/v1/receipts' } as const;
const WRITE_CREATED = { ...WRITE_ROUTE, status: '201' } as const;
const WRITE_FAILED = { ...WRITE_ROUTE, status: '500' } as const;
const READ_ROUTES = HTTP_ROUTES.filter((r) => r.path !== WRITE_ROUTE.path).map((route) => ({
  route,
  ok: { ...route, status: '200' },
  notFound: { ...route, status: '404' },
}));

/** Shared by portal and guardian: the receipts written so far. */
export function receiptLedger(ctx: ModelContext): ReceiptLedger {
  return ctx.shared('vaultmesh.ledger', () => new ReceiptLedger());
}

export function fakerPools(ctx: ModelContext): FakerPools {
  return ctx.shared('vaultmesh.faker', () => createFakerPools(ctx.rng('faker-seed').nextUint32()));
}

/** The VaultMesh portal: receipt writes, the HTTP API in front of them, connections and the DB pool. */
export class Portal implements ServiceModel {
  private readonly rng: Rng;
  private readonly detailRng: Rng;
  /** Receipt times feed the Merkle leaves, so they come from a stream that logs never touch. */
  private readonly timing: Rng;
  private readonly metrics: TypedMetricWriter;
  private readonly series: ReceiptSeries[];
  private readonly ledger: ReceiptLedger;
  private readonly connections = new Wander(0, 6);

  constructor(private readonly ctx: ModelContext) {
    this.rng = ctx.rng('portal');
    this.detailRng = ctx.rng('portal.detail');
    this.timing = ctx.rng('portal.timing');
    this.metrics = new TypedMetricWriter(ctx.metrics);
    this.ledger = receiptLedger(ctx);
    this.series = SCROLLS.flatMap((scroll) =>
      RECEIPT_TYPES.map((type) => ({
        scroll,
        type,
        share: SCROLL_SHARE[scroll] * RECEIPT_TYPE_SHARE[type],
        phase: this.rng.float() * 2 * Math.PI,
        labels: { scroll, type },
        scrollLabels: this.scrollLabels(scroll),
        arrivals: new SteadyArrivals(),
      })),
    );
  }

  private readonly scrollLabelCache = new Map<string, ScrollLabels>();

  private scrollLabels(scroll: string): ScrollLabels {
    let labels = this.scrollLabelCache.get(scroll);
    if (!labels) {
      labels = { scroll };
      this.scrollLabelCache.set(scroll, labels);
    }
    return labels;
  }

  start(): void {
    const m = this.metrics;
    for (const s of this.series) m.touch(METRIC.vaultmesh_receipts_total, s.labels);
    for (const scroll of SCROLLS) {
      m.touch(METRIC.vaultmesh_receipt_write_duration_seconds, { scroll });
      for (const errorType of WRITE_ERROR_TYPES) {
        m.touch(METRIC.vaultmesh_receipt_write_errors_total, { scroll, error_type: errorType });
      }
    }
    for (const { method, path } of HTTP_ROUTES) {
      m.touch(METRIC.vaultmesh_http_request_duration_seconds, { method, path });
      m.touch(METRIC.vaultmesh_http_requests_total, {
        method,
        path,
        status: method === 'POST' ? '201' : '200',
      });
    }
  }

  tick(time: number, dtMs: number): void {
    const scale = this.ctx.knob(PLATFORM_KNOB.rate_scale);
    const receiptRate = this.ctx.knob(KNOB.receipt_rate) * scale;
    const latency = this.ctx.fault(FAULT.portal_latency)?.params.factor ?? 1;
    let writes = 0;
    for (const s of this.series) {
      const expected =
        (receiptRate * s.share * trafficShape(time, s.phase) * this.rateFactor(s.scroll) * dtMs) / 1000;
      const count = s.arrivals.next(expected, this.rng.float());
      for (let i = 0; i < count; i++) this.writeReceipt(time - dtMs * this.timing.float(), s, latency);
      writes += count;
    }
    this.serveReads(time, dtMs, scale, latency);
    this.updateGauges(writes, dtMs, latency);
  }

  private rateFactor(scroll: string): number {
    let factor = 1;
    for (const handle of [FAULT.receipt_rate_spike, FAULT.receipt_rate_drop]) {
      const fault = this.ctx.fault(handle);
      if (fault && (fault.params.scroll === 'all' || fault.params.scroll === scroll)) {
        factor *= fault.params.factor;
      }
    }
    return factor;
  }

  private writeReceipt(time: number, s: ReceiptSeries, latencyFactor: number): void {
    const m = this.metrics;
    const seconds = this.rng.logNormal(0.008, 0.55) * latencyFactor;
    const failure = this.ctx.fault(FAULT.receipt_write_errors);
    const failed =
      failure !== undefined &&
      (failure.params.scroll === 'all' || failure.params.scroll === s.scroll) &&
      this.rng.chance(failure.params.ratio);
    m.observe(METRIC.vaultmesh_receipt_write_duration_seconds, s.scrollLabels, seconds);
    const httpSeconds = seconds + this.rng.logNormal(0.012, 0.4) * latencyFactor;
    m.observe(METRIC.vaultmesh_http_request_duration_seconds, WRITE_ROUTE, httpSeconds);
    if (failed) {
      const errorType = failure.params.error_type;
      m.add(METRIC.vaultmesh_receipt_write_errors_total, { scroll: s.scroll, error_type: errorType }, 1);
      m.add(METRIC.vaultmesh_http_requests_total, WRITE_FAILED, 1);
      this.traceWrite(time, s, httpSeconds, seconds, undefined, errorType);
      return;
    }
    const receipt = this.ledger.append(s.scroll, s.type, Math.round(time));
    m.add(METRIC.vaultmesh_receipts_total, s.labels, 1);
    m.add(METRIC.vaultmesh_http_requests_total, WRITE_CREATED, 1);
    this.traceWrite(time, s, httpSeconds, seconds, receipt.id);
  }

  private traceWrite(
    time: number,
    s: ReceiptSeries,
    httpSeconds: number,
    writeSeconds: number,
    receiptId: string | undefined,
    errorType?: string,
  ): void {
    const detail = this.ctx.detail;
    if (!detail) return;
    const pools = fakerPools(this.ctx);
    const r = this.detailRng;
    const actor = r.pick(pools.actors);
    const payloadBytes = Math.round(r.logNormal(2048, 0.8));
    const end = time + httpSeconds * 1000;
    const writeStart = time + (httpSeconds - writeSeconds) * 500;
    const writeEnd = writeStart + writeSeconds * 1000;
    const trace = new TraceWriter(detail, PORTAL_JOB);
    const error = errorType && `receipt write failed: ${errorType}`;
    const root = trace.span('POST /api/v1/receipts', time, end, {
      kind: 'server',
      attributes: {
        'http.request.method': 'POST',
        'http.route': '/api/v1/receipts',
        'http.response.status_code': error ? 500 : 201,
        'client.address': r.pick(pools.addresses),
        'user_agent.original': r.pick(pools.clients),
      },
      error,
    });
    const write = trace.span('receipt.write', writeStart, writeEnd, {
      parent: root,
      attributes: {
        'vaultmesh.scroll': s.scroll,
        'vaultmesh.receipt.type': s.type,
        'vaultmesh.actor': actor,
      },
      error,
    });
    trace.span('db.insert receipts', writeStart + 0.1, writeEnd - 0.1, {
      parent: write,
      kind: 'client',
      attributes: {
        'db.system.name': 'postgresql',
        'db.operation.name': 'INSERT',
        'db.collection.name': 'receipts',
      },
      error: errorType === 'storage_timeout' ? 'statement timeout' : undefined,
    });
    const fields = {
      scroll: s.scroll,
      type: s.type,
      actor,
      payload_bytes: payloadBytes,
      duration_ms: Math.round(writeSeconds * 1000),
      epoch: this.ledger.epoch,
    };
    if (receiptId) {
      detail.log(
        writeEnd,
        PORTAL_JOB,
        'info',
        'receipt written',
        { receipt_id: receiptId, ...fields },
        write,
      );
    } else {
      detail.log(
        writeEnd,
        PORTAL_JOB,
        'error',
        `receipt write failed: ${errorType}`,
        {
          error_type: errorType ?? '',
          ...fields,
        },
        write,
      );
    }
  }

  /** Requests other than receipt writes, sampled as counts per route. */
  private serveReads(time: number, dtMs: number, scale: number, latencyFactor: number): void {
    const m = this.metrics;
    const rate = this.ctx.knob(KNOB.http_rate) * scale * trafficShape(time, 0, 3_600_000);
    for (const { route, ok, notFound: notFoundLabels } of READ_ROUTES) {
      const count = this.rng.poisson((rate / READ_ROUTES.length) * (dtMs / 1000));
      let notFound = 0;
      for (let i = 0; i < count; i++) {
        const median = route.path === '/health' ? 0.002 : 0.025;
        m.observe(
          METRIC.vaultmesh_http_request_duration_seconds,
          route,
          this.rng.logNormal(median, 0.5) * latencyFactor,
        );
        if (route.path === '/api/v1/receipts/{id}' && this.rng.chance(0.02)) notFound++;
      }
      if (notFound > 0) m.add(METRIC.vaultmesh_http_requests_total, notFoundLabels, notFound);
      if (count > notFound) m.add(METRIC.vaultmesh_http_requests_total, ok, count - notFound);
    }
  }

  private updateGauges(writes: number, dtMs: number, latencyFactor: number): void {
    const m = this.metrics;
    const perSecond = (writes * 1000) / dtMs;
    const busy = perSecond * 0.008 * latencyFactor * 40 + 2;
    const active = Math.min(DB_POOL_MAX, Math.max(0, Math.round(busy + this.rng.normal())));
    m.set(METRIC.vaultmesh_db_pool_size, { state: 'active' }, active);
    m.set(METRIC.vaultmesh_db_pool_size, { state: 'idle' }, DB_POOL_MAX - active);
    m.set(METRIC.vaultmesh_db_pool_size, { state: 'max' }, DB_POOL_MAX);
    const connections = 40 + perSecond * 1.5 * latencyFactor + this.connections.next(this.rng.normal());
    m.set(METRIC.vaultmesh_active_connections, {}, Math.max(0, Math.round(connections)));
  }
}
