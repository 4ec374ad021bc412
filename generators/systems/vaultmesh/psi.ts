import type { ModelContext } from '../../model/context.js';
import type { Rng } from '../../model/rng.js';
import type { ServiceModel } from '../../model/system.js';
import { TypedMetricWriter } from '../../model/metric-handles.js';
import { VAULTMESH_FAULT as FAULT } from './faults.js';
import { PORTAL_JOB } from './portal.js';
import { PSI_PHASES } from './mesh-topology.js';
import { VAULTMESH_METRIC as METRIC } from './metrics.js';

const HOUR_MS = 3_600_000;

interface Transmutation {
  id: string;
  startedMs: number;
  endsMs: number;
  stalled: boolean;
}

/**
 * The Psi field's phase cycle (Nigredo → Albedo → Citrinitas → Rubedo), transmutations that run within it,
 * and governance state; the portal exports all three.
 */
export class Psi implements ServiceModel {
  private readonly rng: Rng;
  private readonly metrics: TypedMetricWriter;
  private phase = 1;
  private phaseStartMs = 0;
  private phaseEndsMs = 0;
  private transmutation: Transmutation | undefined;
  private finished: { id: string; startedMs: number; removeAtMs: number } | undefined;
  private nextTransmutationMs = 0;
  private prolonged = false;
  private emergency = false;
  private nextViolationMs: number | undefined;

  constructor(private readonly ctx: ModelContext) {
    this.rng = ctx.rng('psi');
    this.metrics = new TypedMetricWriter(ctx.metrics);
  }

  start(time: number): void {
    this.phaseStartMs = time - this.rng.float() * HOUR_MS;
    this.phaseEndsMs = this.phaseStartMs + this.phaseLength(this.phase);
    this.nextTransmutationMs = time + this.rng.exponential(4 * HOUR_MS);
    this.metrics.touch(METRIC.vaultmesh_governance_violations_total, {});
    this.metrics.set(METRIC.vaultmesh_governance_emergency_active, {}, 0);
  }

  tick(time: number): void {
    this.updatePhase(time);
    this.updateTransmutation(time);
    this.updateGovernance(time);
  }

  private phaseLength(phase: number): number {
    return phase === 0 ? this.rng.between(1, 3) * HOUR_MS : this.rng.between(2, 6) * HOUR_MS;
  }

  private enterPhase(time: number, phase: number, since = 0): void {
    this.phase = phase;
    this.phaseStartMs = time - since;
    this.phaseEndsMs = time + this.phaseLength(phase);
    this.ctx.detail?.log(
      time,
      PORTAL_JOB,
      phase === 0 ? 'warn' : 'info',
      `psi phase entered: ${PSI_PHASES[phase]}`,
      {
        phase: PSI_PHASES[phase]!,
      },
    );
  }

  private updatePhase(time: number): void {
    const fault = this.ctx.fault(FAULT.phase_prolonged);
    if (fault && !this.prolonged) {
      this.prolonged = true;
      this.enterPhase(time, 0, fault.params.since);
    } else if (!fault && this.prolonged) {
      this.prolonged = false;
      this.enterPhase(time, 1);
    } else if (!this.prolonged && time >= this.phaseEndsMs) {
      this.enterPhase(time, (this.phase + 1) % PSI_PHASES.length);
    }
    const m = this.metrics;
    m.set(METRIC.vaultmesh_psi_current_phase, {}, this.phase);
    PSI_PHASES.forEach((name, i) => {
      const seconds = i === this.phase ? Math.floor((time - this.phaseStartMs) / 1000) : 0;
      m.set(METRIC.vaultmesh_psi_phase_duration_seconds, { phase: name }, seconds);
    });
  }

  private updateTransmutation(time: number): void {
    const m = this.metrics;
    const stall = this.ctx.fault(FAULT.transmutation_stall);
    if (stall && !this.transmutation?.stalled) {
      if (this.transmutation) this.complete(time);
      this.begin(time, stall.params.since, true);
    } else if (!stall && this.transmutation?.stalled) {
      this.complete(time);
    } else if (!this.transmutation && time >= this.nextTransmutationMs) {
      this.begin(time, 0, false);
    } else if (this.transmutation && !this.transmutation.stalled && time >= this.transmutation.endsMs) {
      this.complete(time);
    }
    if (this.finished && time >= this.finished.removeAtMs) {
      const labels = { status: 'completed', transmutation_id: this.finished.id };
      m.remove(METRIC.vaultmesh_psi_transmutation_status, labels);
      m.remove(METRIC.vaultmesh_psi_transmutation_started_timestamp, labels);
      this.finished = undefined;
    }
  }

  private begin(time: number, since: number, stalled: boolean): void {
    const id = `tm-${this.rng.hex(4)}`;
    const startedMs = time - since;
    this.transmutation = { id, startedMs, endsMs: time + this.rng.between(0.3, 1.5) * HOUR_MS, stalled };
    const labels = { status: 'in_progress', transmutation_id: id };
    this.metrics.set(METRIC.vaultmesh_psi_transmutation_status, labels, 1);
    this.metrics.set(
      METRIC.vaultmesh_psi_transmutation_started_timestamp,
      labels,
      Math.floor(startedMs / 1000),
    );
    this.ctx.detail?.log(time, PORTAL_JOB, 'info', 'transmutation started', {
      transmutation_id: id,
      phase: PSI_PHASES[this.phase]!,
    });
  }

  private complete(time: number): void {
    const t = this.transmutation;
    if (!t) return;
    const m = this.metrics;
    const running = { status: 'in_progress', transmutation_id: t.id };
    m.remove(METRIC.vaultmesh_psi_transmutation_status, running);
    m.remove(METRIC.vaultmesh_psi_transmutation_started_timestamp, running);
    if (this.finished) {
      const old = { status: 'completed', transmutation_id: this.finished.id };
      m.remove(METRIC.vaultmesh_psi_transmutation_status, old);
      m.remove(METRIC.vaultmesh_psi_transmutation_started_timestamp, old);
    }
    const done = { status: 'completed', transmutation_id: t.id };
    m.set(METRIC.vaultmesh_psi_transmutation_status, done, 1);
    m.set(METRIC.vaultmesh_psi_transmutation_started_timestamp, done, Math.floor(t.startedMs / 1000));
    this.finished = { id: t.id, startedMs: t.startedMs, removeAtMs: time + HOUR_MS };
    this.transmutation = undefined;
    this.nextTransmutationMs = time + this.rng.exponential(4 * HOUR_MS);
    this.ctx.detail?.log(time, PORTAL_JOB, 'info', 'transmutation completed', {
      transmutation_id: t.id,
      duration_s: Math.round((time - t.startedMs) / 1000),
    });
  }

  private updateGovernance(time: number): void {
    const m = this.metrics;
    const violation = this.ctx.fault(FAULT.governance_violation);
    if (violation && this.nextViolationMs === undefined) this.nextViolationMs = time;
    if (!violation) this.nextViolationMs = undefined;
    if (violation && this.nextViolationMs !== undefined && time >= this.nextViolationMs) {
      const count = violation.params.count;
      m.add(METRIC.vaultmesh_governance_violations_total, {}, count);
      this.ctx.detail?.log(time, PORTAL_JOB, 'error', 'constitutional violation recorded', {
        violations: count,
        article: `art-${1 + this.rng.int(12)}`,
      });
      const every = violation.params.every;
      this.nextViolationMs = every > 0 ? time + every : Infinity;
    }
    const emergency = this.ctx.fault(FAULT.emergency) !== undefined;
    if (emergency !== this.emergency) {
      this.emergency = emergency;
      m.set(METRIC.vaultmesh_governance_emergency_active, {}, emergency ? 1 : 0);
      this.ctx.detail?.log(
        time,
        PORTAL_JOB,
        'warn',
        emergency ? 'governance emergency declared' : 'governance emergency lifted',
        {},
      );
    }
  }
}
