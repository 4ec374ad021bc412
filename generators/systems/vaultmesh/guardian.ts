import type { ModelContext } from '../../model/context.js';
import type { Rng } from '../../model/rng.js';
import type { ServiceModel } from '../../model/system.js';
import { TraceWriter } from '../../model/trace-writer.js';
import { TypedMetricWriter } from '../../model/metric-handles.js';
import type { ReceiptLedger } from './ledger.js';
import { receiptLedger } from './portal.js';
import { VAULTMESH_FAULT as FAULT } from './faults.js';
import { VAULTMESH_KNOB as KNOB } from './knobs.js';
import { ANCHOR_FAILURE_REASONS, SCROLLS, SENTINEL_EVENTS } from './mesh-topology.js';
import { VAULTMESH_METRIC as METRIC, VAULTMESH_JOBS } from './metrics.js';

export const GUARDIAN_JOB = VAULTMESH_JOBS.guardian;

const enum AnchorStatus {
  Idle = 0,
  Anchoring = 1,
  Success = 2,
  Failed = 3,
}

/** How long the status gauge shows success or failure before the loop is idle again. */
const RESULT_HOLD_MS = 30_000;

/**
 * The guardian's anchoring loop (idle → anchoring → success/failed), the ProofChain roots it anchors and
 * the sentinel that watches them.
 */
export class Guardian implements ServiceModel {
  private readonly rng: Rng;
  private readonly detailRng: Rng;
  private readonly metrics: TypedMetricWriter;
  private readonly ledger: ReceiptLedger;
  private status = AnchorStatus.Idle;
  private lastAnchorMs = 0;
  private readonly roots = new Map<string, string>();
  private stalledAt: number | undefined;
  private divergenceSince: number | undefined;

  constructor(private readonly ctx: ModelContext) {
    this.rng = ctx.rng('guardian');
    this.detailRng = ctx.rng('guardian.detail');
    this.metrics = new TypedMetricWriter(ctx.metrics);
    this.ledger = receiptLedger(ctx);
  }

  start(time: number): void {
    const m = this.metrics;
    m.touch(METRIC.vaultmesh_guardian_anchors_total, {});
    for (const reason of ANCHOR_FAILURE_REASONS)
      m.touch(METRIC.vaultmesh_guardian_anchor_failures_total, { reason });
    m.touch(METRIC.vaultmesh_guardian_anchor_duration_seconds, {});
    for (const e of SENTINEL_EVENTS) {
      m.touch(METRIC.vaultmesh_guardian_sentinel_events_total, {
        event_type: e.eventType,
        severity: e.severity,
      });
    }
    m.touch(METRIC.vaultmesh_guardian_sentinel_events_total, {
      event_type: 'root_mismatch',
      severity: 'critical',
    });
    // The guardian has been running for a while: the last anchor was part of an interval ago.
    this.lastAnchorMs = time - this.rng.float() * this.interval();
    this.ledger.epoch = 1000 + this.rng.int(500);
    for (const scroll of SCROLLS) this.publishRoot(scroll);
    this.publishAnchorGauges();
    this.ctx.scheduler.schedule(this.lastAnchorMs + this.interval(), (at) => this.beginCycle(at));
  }

  tick(time: number, dtMs: number): void {
    const m = this.metrics;
    m.set(METRIC.vaultmesh_guardian_receipts_since_anchor, {}, this.ledger.sinceAnchor);
    this.watchStall(time);
    this.watchDivergence(time);
    for (const e of SENTINEL_EVENTS) {
      const count = this.rng.poisson((dtMs / 1000) * (e.severity === 'medium' ? 1 / 7200 : 1 / 600));
      if (count === 0) continue;
      m.add(
        METRIC.vaultmesh_guardian_sentinel_events_total,
        { event_type: e.eventType, severity: e.severity },
        count,
      );
      this.ctx.detail?.log(
        time,
        GUARDIAN_JOB,
        e.severity === 'medium' ? 'warn' : 'info',
        `sentinel: ${e.eventType}`,
        {
          event_type: e.eventType,
          severity: e.severity,
          epoch: this.ledger.epoch,
        },
      );
    }
  }

  private interval(): number {
    return this.ctx.knob(KNOB.anchor_interval);
  }

  private beginCycle(time: number): void {
    if (this.ctx.fault(FAULT.anchor_stall)) {
      this.stalledAt ??= time;
      this.setStatus(AnchorStatus.Anchoring);
      return;
    }
    this.setStatus(AnchorStatus.Anchoring);
    const durationMs = Math.min(290, this.rng.logNormal(18, 0.45)) * 1000;
    this.ctx.detail?.log(time, GUARDIAN_JOB, 'info', 'anchor cycle started', {
      epoch: this.ledger.epoch + 1,
      receipts: this.ledger.sinceAnchor,
    });
    this.ctx.scheduler.schedule(time + durationMs, (at) => this.finishCycle(time, at));
  }

  private finishCycle(started: number, time: number): void {
    if (this.ctx.fault(FAULT.anchor_stall)) {
      this.stalledAt ??= time;
      return;
    }
    const m = this.metrics;
    const seconds = (time - started) / 1000;
    m.observe(METRIC.vaultmesh_guardian_anchor_duration_seconds, {}, seconds);
    const failure = this.ctx.fault(FAULT.anchor_failures);
    const trace = this.traceCycle(started, time, failure?.params.reason);
    if (failure) {
      const { reason } = failure.params;
      m.add(METRIC.vaultmesh_guardian_anchor_failures_total, { reason }, 1);
      this.setStatus(AnchorStatus.Failed);
      this.ctx.detail?.log(
        time,
        GUARDIAN_JOB,
        'error',
        `anchor failed: ${reason}`,
        {
          epoch: this.ledger.epoch + 1,
          reason,
          duration_ms: Math.round(seconds * 1000),
        },
        trace,
      );
      this.ctx.scheduler.schedule(time + failure.params.retry_after, (at) => this.beginCycle(at));
    } else {
      const receipts = this.ledger.sinceAnchor;
      this.ledger.epoch++;
      this.ledger.sinceAnchor = 0;
      this.lastAnchorMs = time;
      m.add(METRIC.vaultmesh_guardian_anchors_total, {}, 1);
      for (const scroll of SCROLLS) this.publishRoot(scroll);
      this.setStatus(AnchorStatus.Success);
      this.publishAnchorGauges();
      this.ctx.detail?.log(
        time,
        GUARDIAN_JOB,
        'info',
        'anchor committed',
        {
          epoch: this.ledger.epoch,
          receipts,
          tx_hash: `0x${this.detailRng.hex(32)}`,
          duration_ms: Math.round(seconds * 1000),
        },
        trace,
      );
      this.ctx.scheduler.schedule(time + this.interval(), (at) => this.beginCycle(at));
    }
    this.ctx.scheduler.schedule(time + RESULT_HOLD_MS, () => {
      if (this.status !== AnchorStatus.Anchoring) this.setStatus(AnchorStatus.Idle);
    });
  }

  private traceCycle(start: number, end: number, failure: string | undefined) {
    const detail = this.ctx.detail;
    if (!detail) return undefined;
    const trace = new TraceWriter(detail, GUARDIAN_JOB);
    const error = failure && `anchor failed: ${failure}`;
    const span = end - start;
    const root = trace.span('anchor.cycle', start, end, {
      attributes: { 'vaultmesh.epoch': this.ledger.epoch + 1, 'vaultmesh.receipts': this.ledger.sinceAnchor },
      error,
    });
    trace.span('proofchain.compute_roots', start, start + span * 0.05, {
      parent: root,
      attributes: { 'vaultmesh.scrolls': SCROLLS.length },
    });
    trace.span('anchor.submit_transaction', start + span * 0.05, start + span * 0.3, {
      parent: root,
      kind: 'client',
      attributes: { 'rpc.system': 'jsonrpc', 'rpc.method': 'eth_sendRawTransaction' },
      error,
    });
    if (!failure) {
      trace.span('anchor.await_confirmation', start + span * 0.3, end, {
        parent: root,
        kind: 'client',
        attributes: { 'vaultmesh.confirmations': 3 },
      });
    }
    return root;
  }

  private watchStall(time: number): void {
    const stall = this.ctx.fault(FAULT.anchor_stall);
    if (stall && this.stalledAt === undefined) {
      this.stalledAt = time;
      this.lastAnchorMs = Math.min(this.lastAnchorMs, time - stall.params.since);
      this.publishAnchorGauges();
      this.setStatus(AnchorStatus.Anchoring);
      this.ctx.detail?.log(time, GUARDIAN_JOB, 'warn', 'anchor loop not progressing: waiting on chain RPC', {
        epoch: this.ledger.epoch,
        last_anchor_age_s: Math.round((time - this.lastAnchorMs) / 1000),
      });
    } else if (!stall && this.stalledAt !== undefined) {
      this.stalledAt = undefined;
      this.ctx.detail?.log(time, GUARDIAN_JOB, 'info', 'anchor loop resumed', { epoch: this.ledger.epoch });
      this.beginCycle(time);
    }
  }

  private watchDivergence(time: number): void {
    const fault = this.ctx.fault(FAULT.proofchain_divergence);
    const m = this.metrics;
    if (fault && this.divergenceSince === undefined) {
      this.divergenceSince = time;
      const { scroll } = fault.params;
      m.set(METRIC.vaultmesh_guardian_proofchain_divergence, {}, 1);
      m.add(
        METRIC.vaultmesh_guardian_sentinel_events_total,
        { event_type: 'root_mismatch', severity: 'critical' },
        1,
      );
      this.ctx.detail?.log(
        time,
        GUARDIAN_JOB,
        'error',
        'proofchain divergence: computed root differs from anchored root',
        {
          scroll,
          epoch: this.ledger.epoch,
          computed_root: this.ledger.root(scroll),
          anchored_root: this.detailRng.hex(32),
        },
      );
    } else if (!fault && this.divergenceSince !== undefined) {
      this.divergenceSince = undefined;
      m.set(METRIC.vaultmesh_guardian_proofchain_divergence, {}, 0);
      this.ctx.detail?.log(time, GUARDIAN_JOB, 'info', 'proofchain roots consistent again', {
        epoch: this.ledger.epoch,
      });
    }
  }

  private publishRoot(scroll: string): void {
    const m = this.metrics;
    const previous = this.roots.get(scroll);
    const root = this.ledger.root(scroll);
    if (previous === root) return;
    if (previous !== undefined)
      m.remove(METRIC.vaultmesh_guardian_proofchain_root_info, { scroll, root_hash: previous });
    m.set(METRIC.vaultmesh_guardian_proofchain_root_info, { scroll, root_hash: root }, 1);
    this.roots.set(scroll, root);
  }

  private publishAnchorGauges(): void {
    const m = this.metrics;
    m.set(METRIC.vaultmesh_guardian_last_anchor_timestamp, {}, Math.floor(this.lastAnchorMs / 1000));
    m.set(METRIC.vaultmesh_guardian_anchor_epoch, {}, this.ledger.epoch);
    if (this.divergenceSince === undefined) m.set(METRIC.vaultmesh_guardian_proofchain_divergence, {}, 0);
  }

  private setStatus(status: AnchorStatus): void {
    this.status = status;
    this.metrics.set(METRIC.vaultmesh_guardian_anchor_status, {}, status);
  }
}
