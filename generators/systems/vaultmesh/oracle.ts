import type { ModelContext } from '../../model/context.js';
import type { Rng } from '../../model/rng.js';
import type { ServiceModel } from '../../model/system.js';
import { TraceWriter } from '../../model/trace-writer.js';
import { TypedMetricWriter } from '../../model/metric-handles.js';
import { PLATFORM_KNOB } from '../platform.js';
import { VAULTMESH_FAULT as FAULT } from './faults.js';
import { VAULTMESH_KNOB as KNOB } from './knobs.js';
import { VAULTMESH_METRIC as METRIC, VAULTMESH_JOBS } from './metrics.js';
import { fakerPools } from './portal.js';

const ORACLE_JOB = VAULTMESH_JOBS.oracle;
const NORMAL_LLM_ERRORS_PER_SECOND = 0.002;

/** The compliance oracle: LLM-backed queries over a document corpus. */
export class Oracle implements ServiceModel {
  private readonly rng: Rng;
  private readonly detailRng: Rng;
  private readonly metrics: TypedMetricWriter;
  private corpus = 0;
  private emptied = false;

  constructor(private readonly ctx: ModelContext) {
    this.rng = ctx.rng('oracle');
    this.detailRng = ctx.rng('oracle.detail');
    this.metrics = new TypedMetricWriter(ctx.metrics);
  }

  start(): void {
    this.corpus = 1200 + this.rng.int(300);
    this.metrics.touch(METRIC.vaultmesh_oracle_query_duration_seconds, {});
    this.metrics.touch(METRIC.vaultmesh_oracle_llm_errors_total, {});
  }

  tick(time: number, dtMs: number): void {
    const m = this.metrics;
    const seconds = dtMs / 1000;
    const rate = this.ctx.knob(KNOB.oracle_query_rate) * this.ctx.knob(PLATFORM_KNOB.rate_scale);
    const slow = this.ctx.fault(FAULT.oracle_latency);
    const median = slow ? slow.params.median / 1000 : 2.5;
    const queries = this.rng.poisson(rate * seconds);
    for (let i = 0; i < queries; i++) {
      const duration = Math.min(600, this.rng.logNormal(median, 0.6));
      m.observe(METRIC.vaultmesh_oracle_query_duration_seconds, {}, duration);
      this.traceQuery(time - dtMs * this.detailRng.float(), duration);
    }
    const llmFault = this.ctx.fault(FAULT.oracle_llm_errors);
    const errors = this.rng.poisson(
      (llmFault ? llmFault.params.rate : NORMAL_LLM_ERRORS_PER_SECOND) * seconds,
    );
    if (errors > 0) {
      m.add(METRIC.vaultmesh_oracle_llm_errors_total, {}, errors);
      this.ctx.detail?.log(time, ORACLE_JOB, 'error', 'llm call failed', {
        errors,
        model: 'compliance-llm-v3',
        error: llmFault ? 'upstream 503: model overloaded' : 'upstream timeout',
      });
    }
    this.updateCorpus(time, seconds);
  }

  private updateCorpus(time: number, seconds: number): void {
    const empty = this.ctx.fault(FAULT.oracle_corpus_empty) !== undefined;
    if (empty !== this.emptied) {
      this.emptied = empty;
      this.ctx.detail?.log(
        time,
        ORACLE_JOB,
        empty ? 'error' : 'info',
        empty ? 'corpus index unloaded: 0 documents' : 'corpus index reloaded',
        {
          documents: empty ? 0 : this.corpus,
        },
      );
    }
    const ingested = this.rng.poisson(seconds / 600);
    this.corpus += ingested;
    if (ingested > 0) {
      this.ctx.detail?.log(time, ORACLE_JOB, 'info', 'corpus document ingested', { documents: this.corpus });
    }
    this.metrics.set(METRIC.vaultmesh_oracle_corpus_documents_total, {}, empty ? 0 : this.corpus);
  }

  private traceQuery(time: number, seconds: number): void {
    const detail = this.ctx.detail;
    if (!detail) return;
    const r = this.detailRng;
    const end = time + seconds * 1000;
    const trace = new TraceWriter(detail, ORACLE_JOB);
    const consulted = 3 + r.int(8);
    const root = trace.span('POST /api/v1/oracle/query', time, end, {
      kind: 'server',
      attributes: {
        'http.request.method': 'POST',
        'http.route': '/api/v1/oracle/query',
        'http.response.status_code': 200,
      },
    });
    const retrieveEnd = time + Math.min(seconds * 1000 * 0.1, 400);
    trace.span('corpus.retrieve', time, retrieveEnd, {
      parent: root,
      attributes: { 'vaultmesh.oracle.documents_consulted': consulted },
    });
    trace.span('llm.complete', retrieveEnd, end, {
      parent: root,
      kind: 'client',
      attributes: {
        'gen_ai.request.model': 'compliance-llm-v3',
        'gen_ai.usage.output_tokens': 80 + r.int(600),
      },
    });
    detail.log(
      end,
      ORACLE_JOB,
      'info',
      'oracle query answered',
      {
        question: r.pick(fakerPools(this.ctx).questions),
        documents_consulted: consulted,
        duration_ms: Math.round(seconds * 1000),
      },
      root,
    );
  }
}
