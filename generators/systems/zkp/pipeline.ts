import type { ModelContext, TraceRef } from '../../model/context.js';
import { createFakerPools } from '../../model/faker-pools.js';
import type { Rng } from '../../model/rng.js';
import type { ServiceModel } from '../../model/system.js';
import { TraceWriter } from '../../model/trace-writer.js';
import { TypedMetricWriter } from '../../model/metric-handles.js';
import { PLATFORM_KNOB } from '../platform.js';
import { ZKP_FAULT as FAULT } from './faults.js';
import { ZKP_KNOB as KNOB } from './knobs.js';
import { ZKP_JOB, ZKP_METRIC as METRIC } from './metrics.js';

/** Stage timings of one proof (seed 003's trace: 100ms / 2s / 10s / 200ms), in ms before variation. */
interface ProofPlan {
  start: number;
  rows: number;
  sizeMb: number;
  constraints: number;
  validation: [number, number, number];
  compilation: [number, number];
  computation: [number, number, number];
  commit: [number, number];
  sizeBytes: number;
}

const sum = (parts: readonly number[]) => parts.reduce((a, b) => a + b, 0);

/** The ZKP Dataset Ledger: datasets arrive, are validated, compiled to circuits, proven and verified. */
export class ProofPipeline implements ServiceModel {
  private readonly rng: Rng;
  private readonly detailRng: Rng;
  private readonly metrics: TypedMetricWriter;

  constructor(private readonly ctx: ModelContext) {
    this.rng = ctx.rng('zkp');
    this.detailRng = ctx.rng('zkp.detail');
    this.metrics = new TypedMetricWriter(ctx.metrics);
  }

  start(): void {
    const m = this.metrics;
    for (const metric of [
      METRIC.proofs_generated_total,
      METRIC.proofs_verified_total,
      METRIC.proof_verification_failures_total,
      METRIC.datasets_notarized_total,
      METRIC.proof_generation_duration_seconds,
      METRIC.proof_verification_duration_seconds,
      METRIC.proof_size_bytes,
      METRIC.dataset_processing_duration_seconds,
    ]) {
      m.touch(metric, {});
    }
    m.set(METRIC.circuit_constraint_count, {}, 1 << 20);
  }

  tick(time: number, dtMs: number): void {
    const scale = this.ctx.knob(PLATFORM_KNOB.rate_scale);
    const proofs = this.rng.poisson(((this.ctx.knob(KNOB.proof_rate) * scale) / 60_000) * dtMs);
    for (let i = 0; i < proofs; i++) this.plan(time - dtMs * this.rng.float());
    const verifications = this.rng.poisson(((this.ctx.knob(KNOB.verify_rate) * scale) / 1000) * dtMs);
    for (let i = 0; i < verifications; i++) this.verify(time, undefined);
  }

  private plan(start: number): void {
    const r = this.rng;
    const slow = this.ctx.fault(FAULT.slow_proofs)?.params.factor ?? 1;
    const vary = (ms: number, factor = 1) => r.logNormal(ms, 0.25) * factor;
    const rows = Math.round(r.logNormal(250_000, 0.8));
    const plan: ProofPlan = {
      start,
      rows,
      sizeMb: Math.round((rows * r.between(0.2, 0.6)) / 1000) / 10,
      constraints: Math.round(r.logNormal(1 << 20, 0.35)),
      validation: [vary(10), vary(50), vary(40)],
      compilation: [vary(1500, slow), vary(500, slow)],
      computation: [vary(3000, slow), vary(6000, slow), vary(1000)],
      commit: [vary(150), vary(50)],
      sizeBytes: 192 + 32 * r.int(4),
    };
    const total = sum([...plan.validation, ...plan.compilation, ...plan.computation, ...plan.commit]);
    this.ctx.scheduler.schedule(start + total, (end) => this.complete(plan, end));
  }

  private complete(plan: ProofPlan, end: number): void {
    const m = this.metrics;
    const seconds = (end - plan.start) / 1000;
    m.add(METRIC.proofs_generated_total, {}, 1);
    m.observe(METRIC.proof_generation_duration_seconds, {}, seconds);
    m.observe(METRIC.proof_size_bytes, {}, plan.sizeBytes);
    m.set(METRIC.circuit_constraint_count, {}, plan.constraints);
    m.add(METRIC.datasets_notarized_total, {}, 1);
    m.observe(
      METRIC.dataset_processing_duration_seconds,
      {},
      (sum(plan.validation) + sum(plan.commit)) / 1000,
    );
    const trace = this.traceProof(plan, end);
    this.verify(end + 500, trace);
  }

  private verify(time: number, parent: TraceRef | undefined): void {
    const m = this.metrics;
    const seconds = this.rng.logNormal(0.008, 0.4);
    const failing = this.ctx.fault(FAULT.proof_verification_failures);
    const failed = failing !== undefined && this.rng.chance(failing.params.ratio);
    m.observe(METRIC.proof_verification_duration_seconds, {}, seconds);
    m.add(failed ? METRIC.proof_verification_failures_total : METRIC.proofs_verified_total, {}, 1);
    const detail = this.ctx.detail;
    if (!detail || (!parent && !failed)) return;
    const trace = new TraceWriter(detail, ZKP_JOB);
    const span = trace.span('proof_verification', time, time + seconds * 1000, {
      attributes: { 'proof.type': 'groth16', 'proof.verified': !failed },
      error: failed ? 'pairing check failed' : undefined,
    });
    detail.log(
      time + seconds * 1000,
      ZKP_JOB,
      failed ? 'error' : 'info',
      failed ? 'proof verification failed' : 'proof verified',
      {
        proof_type: 'groth16',
        duration_ms: Math.round(seconds * 1000 * 10) / 10,
        ...(parent ? { proof_trace_id: parent.traceId } : {}),
      },
      span,
    );
  }

  private traceProof(plan: ProofPlan, end: number): TraceRef | undefined {
    const detail = this.ctx.detail;
    if (!detail) return undefined;
    const pools = this.ctx.shared('zkp.faker', () =>
      createFakerPools(this.ctx.rng('zkp.faker-seed').nextUint32(), 50),
    );
    const dataset = this.detailRng.pick(pools.datasets);
    const trace = new TraceWriter(detail, ZKP_JOB);
    const generationMs = end - plan.start;
    const root = trace.span('proof_generation', plan.start, end, {
      attributes: {
        'dataset.name': dataset,
        'dataset.rows': plan.rows,
        'dataset.size_mb': plan.sizeMb,
        'proof.type': 'groth16',
        'proof.size_bytes': plan.sizeBytes,
        'proof.generation_time_ms': Math.round(generationMs),
        'circuit.constraints': plan.constraints,
      },
    });
    let cursor = plan.start;
    const stage = (name: string, children: readonly string[], durations: readonly number[]) => {
      const stageStart = cursor;
      const stageRef = trace.span(name, stageStart, stageStart + sum(durations), { parent: root });
      children.forEach((child, i) => {
        trace.span(child, cursor, cursor + durations[i]!, { parent: stageRef });
        cursor += durations[i]!;
      });
    };
    stage('dataset_validation', ['schema_check', 'hash_computation', 'size_validation'], plan.validation);
    stage('circuit_compilation', ['constraint_generation', 'optimization'], plan.compilation);
    stage(
      'proof_computation',
      ['witness_generation', 'groth16_prove', 'proof_serialization'],
      plan.computation,
    );
    stage('storage_commit', ['database_write', 'index_update'], plan.commit);
    detail.log(
      plan.start,
      ZKP_JOB,
      'info',
      'proof generation started',
      { dataset, rows: plan.rows, size_mb: plan.sizeMb },
      root,
    );
    detail.log(
      end,
      ZKP_JOB,
      generationMs > 30_000 ? 'warn' : 'info',
      'proof generated',
      {
        dataset,
        duration_ms: Math.round(generationMs),
        proof_size_bytes: plan.sizeBytes,
        constraints: plan.constraints,
      },
      root,
    );
    return root;
  }
}
