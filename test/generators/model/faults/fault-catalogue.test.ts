import { describe, expect, it } from 'vitest';
import { UserError } from '../../../../generators/user-error.js';
import { HOUR, MINUTE, T0, startRun, total, value, type Run } from '../../../support/model.js';

interface FaultCase {
  fault: string;
  params?: Record<string, string>;
  /** How long the fault stays on. */
  for: number;
  /** Runs before the fault; then the state is compared with the state after. */
  check(run: Run, before: Snapshot, at: number): void;
  /** A log line the fault must produce (from its affected service). */
  log?: RegExp;
  /** A span the fault must mark failed. */
  errorSpan?: RegExp;
  /**
   * How much traffic the run carries: modelling every request of hours of model time is what makes this
   * file slow, so a case carries only the traffic that what it checks depends on.
   */
  traffic: keyof typeof TRAFFIC;
}

const TRAFFIC = {
  /** What the check reads is traffic (rates, latencies, errors of requests). */
  full: {},
  /** What the check reads is the oracle's or the proof pipeline's traffic, not the portal's (most of it). */
  portalQuiet: { receipt_rate: 0.2, http_rate: 1 },
  /** What the check reads does not depend on traffic (timers, phases, nodes, anchors, targets). */
  quiet: { rate_scale: 0.02 },
};

interface Snapshot {
  counter(name: string, match?: Record<string, string>): number;
  histogram(name: string): { sum: number; count: number };
}

function snapshot(run: Run): Snapshot {
  const counters = new Map<string, number>();
  return {
    counter: (name, match = {}) => {
      const key = name + JSON.stringify(match);
      if (!counters.has(key)) counters.set(key, total(run.metrics, name, match));
      return counters.get(key)!;
    },
    histogram: (name) => {
      let sum = 0;
      let count = 0;
      for (const s of run.metrics.get(name)) {
        const h = s.value as { sum: number; count: number };
        sum += h.sum;
        count += h.count;
      }
      return { sum, count };
    },
  };
}

function frozen(run: Run): Snapshot {
  const snap = snapshot(run);
  // Read everything now, so later reads see the state before the fault.
  const names = run.metrics.definitionsList().map((d) => d.name);
  const histograms = new Map(
    names.filter((n) => n.endsWith('_seconds') || n.endsWith('_bytes')).map((n) => [n, snap.histogram(n)]),
  );
  const counters = new Map<string, number>();
  return {
    counter: (name, match = {}) => {
      const key = name + JSON.stringify(match);
      if (!counters.has(key)) throw new Error(`read ${key} before the fault with frozen.prime()`);
      return counters.get(key)!;
    },
    histogram: (name) => histograms.get(name) ?? { sum: 0, count: 0 },
    prime(name: string, match: Record<string, string> = {}) {
      counters.set(name + JSON.stringify(match), snap.counter(name, match));
    },
  } as Snapshot & { prime(name: string, match?: Record<string, string>): void };
}

const rate = (after: number, before: number, ms: number) => (after - before) / (ms / 1000);

const CASES: (FaultCase & { prime?: [string, Record<string, string>?][] })[] = [
  {
    fault: 'receipt_write_errors',
    traffic: 'full',
    params: { ratio: '0.5', scroll: 'treasury' },
    for: 5 * MINUTE,
    prime: [
      ['vaultmesh_receipt_write_errors_total', { scroll: 'treasury' }],
      ['vaultmesh_receipt_write_errors_total', { scroll: 'identity' }],
    ],
    check: (run, before) => {
      const errors = total(run.metrics, 'vaultmesh_receipt_write_errors_total', {
        scroll: 'treasury',
        error_type: 'storage_timeout',
      });
      // More than 50 a minute: about 90 at seed 11.
      expect(errors).toBeGreaterThan(50 * 5);
      expect(total(run.metrics, 'vaultmesh_receipt_write_errors_total', { scroll: 'identity' })).toBe(
        before.counter('vaultmesh_receipt_write_errors_total', { scroll: 'identity' }),
      );
      expect(total(run.metrics, 'vaultmesh_http_requests_total', { status: '500' })).toBe(errors);
    },
    log: /receipt write failed: storage_timeout/,
    errorSpan: /^(POST \/api\/v1\/receipts|receipt\.write|db\.insert receipts)$/,
  },
  {
    fault: 'portal_latency',
    traffic: 'full',
    for: 3 * MINUTE,
    check: (run, before) => {
      const after = snapshotHistogram(run, 'vaultmesh_receipt_write_duration_seconds');
      const old = before.histogram('vaultmesh_receipt_write_duration_seconds');
      const during = (after.sum - old.sum) / (after.count - old.count);
      expect(during / (old.sum / old.count)).toBeGreaterThan(5);
    },
  },
  {
    fault: 'receipt_rate_spike',
    traffic: 'full',
    for: 3 * MINUTE,
    prime: [['vaultmesh_receipts_total']],
    check: (run, before) => {
      const during = rate(
        total(run.metrics, 'vaultmesh_receipts_total'),
        before.counter('vaultmesh_receipts_total'),
        3 * MINUTE,
      );
      expect(during).toBeGreaterThan(8 * 5);
    },
  },
  {
    fault: 'receipt_rate_drop',
    traffic: 'full',
    for: 3 * MINUTE,
    prime: [['vaultmesh_receipts_total']],
    check: (run, before) => {
      const during = rate(
        total(run.metrics, 'vaultmesh_receipts_total'),
        before.counter('vaultmesh_receipts_total'),
        3 * MINUTE,
      );
      expect(during).toBeLessThan(8 * 0.15);
    },
  },
  {
    fault: 'anchor_failures',
    traffic: 'quiet',
    params: { reason: 'nonce_conflict' },
    for: 40 * MINUTE,
    prime: [['vaultmesh_guardian_anchors_total']],
    check: (run, before) => {
      expect(
        total(run.metrics, 'vaultmesh_guardian_anchor_failures_total', { reason: 'nonce_conflict' }),
      ).toBeGreaterThanOrEqual(10);
      expect(total(run.metrics, 'vaultmesh_guardian_anchors_total')).toBeLessThanOrEqual(
        before.counter('vaultmesh_guardian_anchors_total') + 1,
      );
    },
    log: /anchor failed: nonce_conflict/,
    errorSpan: /^anchor\.(cycle|submit_transaction)$/,
  },
  {
    fault: 'anchor_stall',
    traffic: 'quiet',
    params: { since: '1h' },
    for: 30 * MINUTE,
    prime: [['vaultmesh_guardian_anchors_total'], ['vaultmesh_guardian_anchor_failures_total']],
    check: (run, before, at) => {
      expect(total(run.metrics, 'vaultmesh_guardian_anchors_total')).toBe(
        before.counter('vaultmesh_guardian_anchors_total'),
      );
      expect(total(run.metrics, 'vaultmesh_guardian_anchor_failures_total')).toBe(
        before.counter('vaultmesh_guardian_anchor_failures_total'),
      );
      expect(
        at / 1000 - value(run.metrics, 'vaultmesh_guardian_last_anchor_timestamp'),
      ).toBeGreaterThanOrEqual(90 * 60 - 1);
      expect(value(run.metrics, 'vaultmesh_guardian_anchor_status')).toBe(1);
    },
    log: /anchor loop not progressing/,
  },
  {
    fault: 'proofchain_divergence',
    traffic: 'quiet',
    for: 2 * MINUTE,
    check: (run) => {
      expect(value(run.metrics, 'vaultmesh_guardian_proofchain_divergence')).toBe(1);
      expect(
        value(run.metrics, 'vaultmesh_guardian_sentinel_events_total', {
          event_type: 'root_mismatch',
          severity: 'critical',
        }),
      ).toBe(1);
    },
    log: /proofchain divergence/,
  },
  {
    fault: 'oracle_latency',
    traffic: 'portalQuiet',
    for: 10 * MINUTE,
    check: (run, before) => {
      const after = snapshotHistogram(run, 'vaultmesh_oracle_query_duration_seconds');
      const old = before.histogram('vaultmesh_oracle_query_duration_seconds');
      expect((after.sum - old.sum) / (after.count - old.count)).toBeGreaterThan(30);
    },
  },
  {
    fault: 'oracle_llm_errors',
    traffic: 'portalQuiet',
    for: 10 * MINUTE,
    prime: [['vaultmesh_oracle_llm_errors_total']],
    check: (run, before) => {
      const r = rate(
        total(run.metrics, 'vaultmesh_oracle_llm_errors_total'),
        before.counter('vaultmesh_oracle_llm_errors_total'),
        10 * MINUTE,
      );
      expect(r).toBeGreaterThan(0.4);
      expect(r).toBeLessThan(0.6);
    },
    log: /llm call failed/,
  },
  {
    fault: 'oracle_corpus_empty',
    traffic: 'quiet',
    for: MINUTE,
    check: (run) => expect(value(run.metrics, 'vaultmesh_oracle_corpus_documents_total')).toBe(0),
    log: /corpus index unloaded/,
  },
  {
    fault: 'node_unhealthy',
    traffic: 'quiet',
    for: 5 * MINUTE,
    check: (run, _before, at) => {
      expect(value(run.metrics, 'vaultmesh_mesh_node_healthy', { node_id: 'node-fra-02' })).toBe(0);
      expect(value(run.metrics, 'vaultmesh_mesh_node_healthy', { node_id: 'node-ams-01' })).toBe(1);
      expect(
        at / 1000 - value(run.metrics, 'vaultmesh_mesh_node_last_seen_timestamp', { node_id: 'node-fra-02' }),
      ).toBeLessThan(120);
    },
    log: /mesh node unhealthy/,
  },
  {
    fault: 'node_down',
    traffic: 'quiet',
    params: { node: 'node-iad-03' },
    for: 20 * MINUTE,
    check: (run, _before, at) => {
      expect(value(run.metrics, 'vaultmesh_mesh_node_healthy', { node_id: 'node-iad-03' })).toBe(0);
      expect(
        at / 1000 - value(run.metrics, 'vaultmesh_mesh_node_last_seen_timestamp', { node_id: 'node-iad-03' }),
      ).toBeGreaterThanOrEqual(20 * 60);
    },
    log: /mesh node stopped responding/,
  },
  {
    fault: 'route_unhealthy',
    traffic: 'quiet',
    for: MINUTE,
    check: (run) => {
      const broken = run.metrics.get('vaultmesh_mesh_route_healthy').filter((s) => s.value === 0);
      expect(broken.map((s) => s.labels.route_id)).toEqual(['node-fra-02~node-iad-03']);
    },
    log: /mesh route unhealthy/,
  },
  {
    fault: 'phase_prolonged',
    traffic: 'quiet',
    params: { since: '23h' },
    for: 2 * HOUR,
    check: (run) => {
      expect(value(run.metrics, 'vaultmesh_psi_current_phase')).toBe(0);
      expect(
        value(run.metrics, 'vaultmesh_psi_phase_duration_seconds', { phase: 'nigredo' }),
      ).toBeGreaterThanOrEqual(25 * 3600 - 1);
      expect(value(run.metrics, 'vaultmesh_psi_phase_duration_seconds', { phase: 'albedo' })).toBe(0);
    },
    log: /psi phase entered: nigredo/,
  },
  {
    fault: 'transmutation_stall',
    traffic: 'quiet',
    for: 2 * HOUR,
    check: (run, _before, at) => {
      const running = run.metrics
        .get('vaultmesh_psi_transmutation_status')
        .filter((s) => s.labels.status === 'in_progress');
      expect(running).toHaveLength(1);
      const started = value(
        run.metrics,
        'vaultmesh_psi_transmutation_started_timestamp',
        running[0]!.labels as Record<string, string>,
      );
      expect(at / 1000 - started).toBeGreaterThanOrEqual(2 * 3600 - 1);
    },
    log: /transmutation started/,
  },
  {
    fault: 'governance_violation',
    traffic: 'quiet',
    params: { count: '2', every: '10m' },
    for: 25 * MINUTE,
    check: (run) => expect(value(run.metrics, 'vaultmesh_governance_violations_total')).toBe(6),
    log: /constitutional violation recorded/,
  },
  {
    fault: 'emergency',
    traffic: 'quiet',
    for: MINUTE,
    check: (run) => expect(value(run.metrics, 'vaultmesh_governance_emergency_active')).toBe(1),
    log: /governance emergency declared/,
  },
  {
    fault: 'federation_witness_failure',
    traffic: 'quiet',
    for: 10 * MINUTE,
    check: (run) => {
      expect(
        value(run.metrics, 'vaultmesh_federation_witness_failures_total', { remote_mesh: 'meridian-mesh' }),
      ).toBeGreaterThan(10);
      expect(
        value(run.metrics, 'vaultmesh_federation_witness_failures_total', { remote_mesh: 'aurora-mesh' }),
      ).toBe(0);
    },
    log: /federation witness failed/,
  },
  {
    fault: 'federation_discrepancy',
    traffic: 'quiet',
    params: { discrepancy_type: 'missing_receipts' },
    for: MINUTE,
    check: (run) => {
      const flagged = run.metrics
        .get('vaultmesh_federation_discrepancy_detected')
        .filter((s) => s.value === 1);
      expect(flagged.map((s) => s.labels)).toEqual([
        { remote_mesh: 'aurora-mesh', discrepancy_type: 'missing_receipts' },
      ]);
    },
    log: /federation discrepancy detected/,
  },
  {
    fault: 'slow_proofs',
    traffic: 'portalQuiet',
    for: 30 * MINUTE,
    check: (run, before) => {
      const after = snapshotHistogram(run, 'proof_generation_duration_seconds');
      const old = before.histogram('proof_generation_duration_seconds');
      expect((after.sum - old.sum) / (after.count - old.count)).toBeGreaterThan(35);
    },
    log: /proof generated/,
  },
  {
    fault: 'proof_verification_failures',
    traffic: 'portalQuiet',
    for: 10 * MINUTE,
    prime: [['proof_verification_failures_total']],
    check: (run, before) => {
      expect(
        total(run.metrics, 'proof_verification_failures_total') -
          before.counter('proof_verification_failures_total'),
      ).toBeGreaterThan(50);
    },
    log: /proof verification failed/,
    errorSpan: /^proof_verification$/,
  },
  {
    fault: 'service_down',
    traffic: 'quiet',
    params: { service: 'oracle' },
    for: MINUTE,
    check: (run) => {
      expect(run.metrics.targetUp('vaultmesh-oracle')).toBe(false);
      expect(run.metrics.targetUp('vaultmesh-portal')).toBe(true);
    },
    log: /scrape target not answering/,
  },
];

function snapshotHistogram(run: Run, name: string) {
  return snapshot(run).histogram(name);
}

describe('each fault changes what it names, in metrics, logs and traces', () => {
  it('covers every fault in the catalogue', () => {
    const run = startRun({ detail: false });
    expect(CASES.map((c) => c.fault).sort()).toEqual(run.sim.faults.names());
  });

  it.each(CASES)('$fault', (c) => {
    const wantsDetail = c.log !== undefined || c.errorSpan !== undefined;
    const run = startRun({ seed: 11, detail: wantsDetail, knobs: TRAFFIC[c.traffic] });
    // Long enough for every service to settle (anchors, phases, pools); an hour cost the suite a minute.
    // Traffic needs no settling, and minutes of it at full rate are what a case costs.
    const start = T0 + (c.traffic === 'quiet' ? 20 : 5) * MINUTE;
    run.sim.advanceTo(start);
    const before = frozen(run) as Snapshot & { prime(name: string, match?: Record<string, string>): void };
    for (const [name, match] of c.prime ?? []) before.prime(name, match);
    const logsBefore = run.logs.length;
    const spansBefore = run.spans.length;
    run.sim.setFault({ name: c.fault, params: c.params ?? {} });
    run.sim.advanceTo(start + c.for);
    c.check(run, before, start + c.for);
    if (c.log) expect(run.logs.slice(logsBefore).some((l) => c.log!.test(l.message))).toBe(true);
    if (c.errorSpan) {
      const failed = run.spans.slice(spansBefore).filter((s) => s.status === 'error');
      expect(failed.length).toBeGreaterThan(0);
      expect(failed.every((s) => c.errorSpan!.test(s.name))).toBe(true);
    }
  });

  it('clears: the system recovers once a fault is switched off', () => {
    const run = startRun({ seed: 4, detail: false, knobs: TRAFFIC.quiet });
    run.sim.advanceTo(T0 + HOUR);
    run.sim.setFault({ name: 'emergency', params: {} });
    run.sim.setFault({ name: 'service_down', params: { service: 'portal' } });
    run.sim.advanceTo(T0 + HOUR + MINUTE);
    run.sim.clearFault('emergency');
    run.sim.clearFault('service_down');
    run.sim.advanceTo(T0 + HOUR + 2 * MINUTE);
    expect(value(run.metrics, 'vaultmesh_governance_emergency_active')).toBe(0);
    expect(run.metrics.targetUp('vaultmesh-portal')).toBe(true);
    expect(run.sim.activeFaults()).toEqual([]);
  });

  it('rejects unknown faults and parameters with a suggestion', () => {
    const run = startRun({ detail: false });
    expect(() => run.sim.faults.parse('anchor_stal')).toThrow(
      new UserError(
        'unknown fault "anchor_stal" (did you mean anchor_stall?); run `sandbox faults` to list them',
      ),
    );
    expect(() => run.sim.faults.parse('node_down:nod=node-ams-01')).toThrow(
      /unknown parameter "nod" \(did you mean node\?\); it takes node, since/,
    );
    expect(() => run.sim.faults.parse('node_down:node=node-xyz')).toThrow(/node must be one of node-ams-01/);
    expect(() => run.sim.faults.parse('anchor_stall:since=soon')).toThrow(
      /since must be a duration like 90s/,
    );
    expect(() => run.sim.faults.parse('service_down')).toThrow(
      /fault service_down: parameter service is required \(one of portal, guardian, oracle, zkp\)/,
    );
    expect(() => run.sim.faults.parse('emergency:x')).toThrow(/"x" is not key=value/);
    expect(() => run.sim.setKnob('recipt_rate', 3)).toThrow(
      /unknown traffic knob "recipt_rate" \(did you mean receipt_rate\?\)/,
    );
  });
});
