import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import { describe, expect, it } from 'vitest';
import { loadSystem } from '../../../generators/declared/load-system.js';

const FILE = join(
  import.meta.dirname,
  '..',
  '..',
  '..',
  'generators',
  'systems',
  'vex-lens',
  'vex-lens.system.yaml',
);

/** Seed 001's key metrics (docs/modules/vex-lens/runbooks/observability.md), with the labels they carry. */
const SEED_METRICS = [
  { name: 'vex_consensus_latency_seconds', type: 'histogram', labels: [] },
  { name: 'vex_conflict_queue_depth', type: 'gauge', labels: ['tenant'] },
  { name: 'vex_recompute_duration_seconds', type: 'histogram', labels: ['reason'] },
  { name: 'vex_export_duration_seconds', type: 'histogram', labels: [] },
  { name: 'vex_dsse_verification_failures_total', type: 'counter', labels: [] },
  { name: 'vex_consensus_conflicts_total', type: 'counter', labels: ['reason', 'tenant'] },
] as const;

/** The seed's four alert hints, as the rule file names them. */
const ALERTS = [
  'VexConsensusLatencyHigh',
  'VexConflictQueueBacklog',
  'VexDsseVerificationFailures',
  'VexExportFailureRateHigh',
];

interface RuleFile {
  groups: {
    name: string;
    rules: { alert?: string; record?: string; expr: string; labels?: Record<string, string> }[];
  }[];
}

describe('the VEX Lens system file', async () => {
  const system = await loadSystem(FILE);
  const byName = new Map(system.metrics.map((m) => [m.name, m]));
  const rules = (system.ruleFiles ?? []).flatMap((file) =>
    (parse(readFileSync(file, 'utf8')) as RuleFile).groups.flatMap((g) => g.rules),
  );

  it('is named vex-lens, with an api of three replicas and a worker', () => {
    expect(system.name).toBe('vex-lens');
    expect(system.jobs).toEqual({ api: 'vex-lens-api', worker: 'vex-lens-worker' });
    expect(system.instances?.['vex-lens-api']).toBe(3);
  });

  it.each(SEED_METRICS.map((m) => [m.name, m] as const))('declares %s with its labels', (name, seed) => {
    const metric = byName.get(name);
    expect(metric, `${name} is not declared`).toBeDefined();
    expect(metric!.type).toBe(seed.type);
    expect([...metric!.labelNames].sort()).toEqual([...seed.labels].sort());
  });

  it("recomputes by the seed's three triggers and conflicts by its three reasons", () => {
    const text = readFileSync(FILE, 'utf8');
    for (const value of ['issuer_update', 'policy_knob', 'ingestion_delta']) expect(text).toContain(value);
    for (const value of ['status_disagreement', 'scope_mismatch', 'missing_provenance'])
      expect(text).toContain(value);
  });

  it('counts export jobs by result for the failure-rate alert', () => {
    const exports = byName.get('vex_export_jobs_total');
    expect(exports?.type).toBe('counter');
    expect(exports?.labelNames).toEqual(['result']);
  });

  it('brings its rule file with the four alerts of the seed', () => {
    expect(system.ruleFiles?.map((f) => f.split(/[\\/]/).at(-1))).toEqual(['vex-lens-alerts.yaml']);
    expect(
      rules
        .map((r) => r.alert)
        .filter(Boolean)
        .sort(),
    ).toEqual([...ALERTS].sort());
    const backlog = rules.find((r) => r.alert === 'VexConflictQueueBacklog')!;
    expect(backlog.expr).toContain('by (tenant)');
  });

  it('has a fault meant for each alert', () => {
    const meant = system.faults.flatMap((f) => f.alerts);
    expect([...meant].sort()).toEqual([...ALERTS].sort());
  });

  it('brings its dashboard', () => {
    expect(system.dashboardFiles?.map((f) => f.split(/[\\/]/).at(-1))).toEqual([
      'vex-lens-observability.json',
    ]);
  });

  it('keeps traces off by default, as the seed ships them (Telemetry:ExportEnabled=false)', () => {
    expect(system.knobs.trace_sample).toMatchObject({ type: 'number', default: 0 });
  });
});
