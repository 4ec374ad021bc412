import type { MetricDefinition } from '../../model/metric-definitions.js';

const portal = 'vaultmesh-portal' as const;
const guardian = 'vaultmesh-guardian' as const;
const oracle = 'vaultmesh-oracle' as const;

/** The VaultMesh metrics (seed 000 and the catalogue), with the seed's names, types, labels and buckets. */
// prettier-ignore
export const VAULTMESH_METRICS: readonly MetricDefinition[] = [
  // Portal (seed 000, section 4.1)
  { name: 'vaultmesh_receipts_total', type: 'counter', help: 'Total receipts by scroll', labelNames: ['scroll', 'type'], job: portal, source: 'seed' },
  { name: 'vaultmesh_receipt_write_duration_seconds', type: 'histogram', help: 'Receipt write duration', labelNames: ['scroll'], buckets: [0.001, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1], job: portal, source: 'seed' },
  { name: 'vaultmesh_receipt_write_errors_total', type: 'counter', help: 'Receipt write errors', labelNames: ['scroll', 'error_type'], job: portal, source: 'seed' },
  { name: 'vaultmesh_http_requests_total', type: 'counter', help: 'Total HTTP requests', labelNames: ['method', 'path', 'status'], job: portal, source: 'seed' },
  { name: 'vaultmesh_http_request_duration_seconds', type: 'histogram', help: 'HTTP request duration', labelNames: ['method', 'path'], buckets: [0.01, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10], job: portal, source: 'seed' },
  { name: 'vaultmesh_active_connections', type: 'gauge', help: 'Active connections', labelNames: [], job: portal, source: 'seed' },
  { name: 'vaultmesh_db_pool_size', type: 'gauge', help: 'Database pool size', labelNames: ['state'], job: portal, source: 'seed' },
  // Psi and governance state, exported by the portal
  { name: 'vaultmesh_psi_current_phase', type: 'gauge', help: 'Current Psi phase (0=NIGREDO, 1=ALBEDO, 2=CITRINITAS, 3=RUBEDO)', labelNames: [], job: portal, source: 'inferred' },
  { name: 'vaultmesh_psi_phase_duration_seconds', type: 'gauge', help: 'Seconds spent in the current phase (0 for the other phases)', labelNames: ['phase'], job: portal, source: 'inferred' },
  // `status` on the timestamp too: TransmutationStalled joins the two with a plain `and`, which matches full label sets.
  { name: 'vaultmesh_psi_transmutation_status', type: 'gauge', help: 'Transmutation status (1 for the current status)', labelNames: ['status', 'transmutation_id'], job: portal, source: 'inferred' },
  { name: 'vaultmesh_psi_transmutation_started_timestamp', type: 'gauge', help: 'Unix time a transmutation started', labelNames: ['status', 'transmutation_id'], job: portal, source: 'inferred' },
  { name: 'vaultmesh_governance_violations_total', type: 'counter', help: 'Constitutional violations', labelNames: [], job: portal, source: 'inferred' },
  { name: 'vaultmesh_governance_emergency_active', type: 'gauge', help: 'Emergency powers in effect (0=no, 1=yes)', labelNames: [], job: portal, source: 'inferred' },
  // Guardian (seed 000, section 4.2)
  { name: 'vaultmesh_guardian_anchors_total', type: 'counter', help: 'Total successful anchors', labelNames: [], job: guardian, source: 'seed' },
  { name: 'vaultmesh_guardian_anchor_failures_total', type: 'counter', help: 'Anchor failures by reason', labelNames: ['reason'], job: guardian, source: 'seed' },
  { name: 'vaultmesh_guardian_anchor_duration_seconds', type: 'histogram', help: 'Anchor cycle duration', labelNames: [], buckets: [1, 5, 10, 30, 60, 120, 300], job: guardian, source: 'seed' },
  { name: 'vaultmesh_guardian_last_anchor_timestamp', type: 'gauge', help: 'Timestamp of last successful anchor', labelNames: [], job: guardian, source: 'seed' },
  { name: 'vaultmesh_guardian_anchor_epoch', type: 'gauge', help: 'Current anchor epoch number', labelNames: [], job: guardian, source: 'seed' },
  { name: 'vaultmesh_guardian_receipts_since_anchor', type: 'gauge', help: 'Receipts added since last anchor', labelNames: [], job: guardian, source: 'seed' },
  { name: 'vaultmesh_guardian_anchor_status', type: 'gauge', help: 'Current anchor status (0=idle, 1=anchoring, 2=success, 3=failed)', labelNames: [], job: guardian, source: 'seed' },
  { name: 'vaultmesh_guardian_proofchain_root_info', type: 'gauge', help: 'ProofChain root information', labelNames: ['scroll', 'root_hash'], job: guardian, source: 'seed' },
  { name: 'vaultmesh_guardian_proofchain_divergence', type: 'gauge', help: 'ProofChain divergence detected (0=no, 1=yes)', labelNames: [], job: guardian, source: 'seed' },
  { name: 'vaultmesh_guardian_sentinel_events_total', type: 'counter', help: 'Sentinel events', labelNames: ['event_type', 'severity'], job: guardian, source: 'seed' },
  // Mesh and federation, observed by the guardian
  { name: 'vaultmesh_mesh_node_healthy', type: 'gauge', help: 'Mesh node health (1=healthy)', labelNames: ['node_id'], job: guardian, source: 'inferred' },
  { name: 'vaultmesh_mesh_node_last_seen_timestamp', type: 'gauge', help: 'Unix time of the last heartbeat from a mesh node', labelNames: ['node_id'], job: guardian, source: 'inferred' },
  { name: 'vaultmesh_mesh_route_healthy', type: 'gauge', help: 'Mesh route health (1=healthy)', labelNames: ['route_id'], job: guardian, source: 'inferred' },
  { name: 'vaultmesh_federation_witness_failures_total', type: 'counter', help: 'Failed witness attempts by remote mesh', labelNames: ['remote_mesh'], job: guardian, source: 'inferred' },
  { name: 'vaultmesh_federation_discrepancy_detected', type: 'gauge', help: 'Discrepancy detected with a remote mesh (0=no, 1=yes)', labelNames: ['remote_mesh', 'discrepancy_type'], job: guardian, source: 'inferred' },
  // Oracle (referenced by alerts and panels only)
  { name: 'vaultmesh_oracle_query_duration_seconds', type: 'histogram', help: 'Oracle query duration', labelNames: [], buckets: [0.1, 0.25, 0.5, 1, 2.5, 5, 10, 20, 30, 60, 120], job: oracle, source: 'inferred' },
  { name: 'vaultmesh_oracle_llm_errors_total', type: 'counter', help: 'Oracle LLM call errors', labelNames: [], job: oracle, source: 'inferred' },
  { name: 'vaultmesh_oracle_corpus_documents_total', type: 'gauge', help: 'Documents loaded in the compliance corpus', labelNames: [], job: oracle, source: 'inferred' },
];
