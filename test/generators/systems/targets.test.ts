import { describe, expect, it } from 'vitest';
import { PromRegistries } from '../../../generators/outputs/metrics/prom-registries.js';
import { Simulation } from '../../../generators/model/simulation.js';
import { defaultSystems } from '../../../generators/systems/index.js';
import { targetsOf } from '../../../generators/systems/targets.js';

type Expected = [name: string, type: string, labels: string[], buckets?: number[]];

/** The VaultMesh and ZKP sections of the seed metric catalogue (metrics.md), copied as the spec. */
// prettier-ignore
const SEED_CATALOGUE: Expected[] = [
  ['vaultmesh_receipts_total', 'counter', ['scroll', 'type']],
  ['vaultmesh_receipt_write_duration_seconds', 'histogram', ['scroll'], [0.001, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1]],
  ['vaultmesh_receipt_write_errors_total', 'counter', ['scroll', 'error_type']],
  ['vaultmesh_http_requests_total', 'counter', ['method', 'path', 'status']],
  ['vaultmesh_http_request_duration_seconds', 'histogram', ['method', 'path'], [0.01, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10]],
  ['vaultmesh_active_connections', 'gauge', []],
  ['vaultmesh_db_pool_size', 'gauge', ['state']],
  ['vaultmesh_guardian_anchors_total', 'counter', []],
  ['vaultmesh_guardian_anchor_failures_total', 'counter', ['reason']],
  ['vaultmesh_guardian_anchor_duration_seconds', 'histogram', [], [1, 5, 10, 30, 60, 120, 300]],
  ['vaultmesh_guardian_last_anchor_timestamp', 'gauge', []],
  ['vaultmesh_guardian_anchor_epoch', 'gauge', []],
  ['vaultmesh_guardian_receipts_since_anchor', 'gauge', []],
  ['vaultmesh_guardian_anchor_status', 'gauge', []],
  ['vaultmesh_guardian_proofchain_root_info', 'gauge', ['scroll', 'root_hash']],
  ['vaultmesh_guardian_proofchain_divergence', 'gauge', []],
  ['vaultmesh_guardian_sentinel_events_total', 'counter', ['event_type', 'severity']],
  ['vaultmesh_oracle_query_duration_seconds', 'histogram', []],
  ['vaultmesh_oracle_llm_errors_total', 'counter', []],
  ['vaultmesh_oracle_corpus_documents_total', 'gauge', []],
  ['vaultmesh_mesh_node_healthy', 'gauge', ['node_id']],
  ['vaultmesh_mesh_node_last_seen_timestamp', 'gauge', ['node_id']],
  ['vaultmesh_mesh_route_healthy', 'gauge', ['route_id']],
  ['vaultmesh_psi_current_phase', 'gauge', []],
  ['vaultmesh_psi_phase_duration_seconds', 'gauge', ['phase']],
  ['vaultmesh_psi_transmutation_status', 'gauge', ['status', 'transmutation_id']],
  // The seed names only transmutation_id; `status` is added so TransmutationStalled's plain `and` can match.
  ['vaultmesh_psi_transmutation_started_timestamp', 'gauge', ['status', 'transmutation_id']],
  ['vaultmesh_governance_violations_total', 'counter', []],
  ['vaultmesh_governance_emergency_active', 'gauge', []],
  ['vaultmesh_federation_witness_failures_total', 'counter', ['remote_mesh']],
  ['vaultmesh_federation_discrepancy_detected', 'gauge', ['remote_mesh', 'discrepancy_type']],
  ['proofs_generated_total', 'counter', []],
  ['proofs_verified_total', 'counter', []],
  ['proof_generation_duration_seconds', 'histogram', []],
  ['proof_verification_duration_seconds', 'histogram', []],
  ['circuit_constraint_count', 'gauge', []],
  ['proof_size_bytes', 'histogram', []],
  ['proof_verification_failures_total', 'counter', []],
  ['datasets_notarized_total', 'counter', []],
  ['dataset_processing_duration_seconds', 'histogram', []],
];

interface Family {
  type: string;
  series: { name: string; labels: Record<string, string> }[];
}

/** Parses Prometheus text exposition: TYPE lines and each sample's name and labels. */
function parseExposition(text: string): Map<string, Family> {
  const families = new Map<string, Family>();
  let current: Family | undefined;
  for (const line of text.split('\n')) {
    const type = /^# TYPE (\S+) (\S+)$/.exec(line);
    if (type) {
      current = { type: type[2]!, series: [] };
      families.set(type[1]!, current);
    } else if (line && !line.startsWith('#') && current) {
      const sample = /^([a-zA-Z_:][\w:]*)(?:\{(.*)\})? \S+$/.exec(line);
      if (!sample) throw new Error(`unparsable sample: ${line}`);
      const labels = Object.fromEntries(
        [...(sample[2] ?? '').matchAll(/(\w+)="((?:[^"\\]|\\.)*)"/g)].map((m) => [m[1]!, m[2]!]),
      );
      current.series.push({ name: sample[1]!, labels });
    }
  }
  return families;
}

async function exposition(): Promise<Map<string, Family>> {
  const systems = defaultSystems();
  const registries = new PromRegistries(
    systems.flatMap((s) => s.metrics),
    targetsOf(systems),
  );
  const sim = new Simulation({
    systems,
    seed: 5,
    startTime: Date.UTC(2026, 0, 1),
    sink: { metrics: registries },
  });
  sim.advanceTo(sim.now() + 3_600_000);
  const all = new Map<string, Family>();
  for (const { job, instance } of registries.targets()) {
    for (const [name, family] of parseExposition(await registries.registry(job, instance).metrics()))
      all.set(name, family);
  }
  return all;
}

describe('every seed metric is served with its name, type, labels and buckets', async () => {
  const families = await exposition();

  it.each(SEED_CATALOGUE)('%s (%s)', (name, type, labels, buckets) => {
    const family = families.get(name);
    expect(family, `${name} is served`).toBeDefined();
    expect(family!.type).toBe(type);
    expect(family!.series.length).toBeGreaterThan(0);
    const own = family!.series.filter((s) => s.name === (type === 'histogram' ? `${name}_bucket` : name));
    expect(own.length).toBeGreaterThan(0);
    for (const s of own) {
      const names = Object.keys(s.labels).filter((l) => l !== 'le');
      expect(names.sort()).toEqual([...labels].sort());
    }
    if (buckets) {
      const bounds = [...new Set(own.map((s) => s.labels.le))];
      expect(bounds).toEqual([...buckets.map(String), '+Inf']);
    }
  });

  it('serves nothing outside the catalogue', () => {
    expect([...families.keys()].sort()).toEqual(SEED_CATALOGUE.map(([n]) => n).sort());
  });
});
