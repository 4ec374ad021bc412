import { byName } from '../../model/by-name.js';
import { defineCounter, defineGauge, defineHistogram } from '../../model/metric-handles.js';

/** The VaultMesh scrape jobs by short service name. */
export const VAULTMESH_JOBS = {
  portal: 'vaultmesh-portal',
  guardian: 'vaultmesh-guardian',
  oracle: 'vaultmesh-oracle',
} as const;

const { portal, guardian, oracle } = VAULTMESH_JOBS;

/** The VaultMesh metrics (seed 000 and the catalogue), with the seed's names, types, labels and buckets. */
// prettier-ignore
export const VAULTMESH_METRICS = [
  // Portal (seed 000, section 4.1)
  defineCounter({ name: 'vaultmesh_receipts_total', help: 'Total receipts by scroll', labelNames: ['scroll', 'type'], job: portal, source: 'seed' }),
  defineHistogram({ name: 'vaultmesh_receipt_write_duration_seconds', help: 'Receipt write duration', labelNames: ['scroll'], buckets: [0.001, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1], job: portal, source: 'seed' }),
  defineCounter({ name: 'vaultmesh_receipt_write_errors_total', help: 'Receipt write errors', labelNames: ['scroll', 'error_type'], job: portal, source: 'seed' }),
  defineCounter({ name: 'vaultmesh_http_requests_total', help: 'Total HTTP requests', labelNames: ['method', 'path', 'status'], job: portal, source: 'seed' }),
  defineHistogram({ name: 'vaultmesh_http_request_duration_seconds', help: 'HTTP request duration', labelNames: ['method', 'path'], buckets: [0.01, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10], job: portal, source: 'seed' }),
  defineGauge({ name: 'vaultmesh_active_connections', help: 'Active connections', labelNames: [], job: portal, source: 'seed' }),
  defineGauge({ name: 'vaultmesh_db_pool_size', help: 'Database pool size', labelNames: ['state'], job: portal, source: 'seed' }),
  // Psi and governance state, exported by the portal
  defineGauge({ name: 'vaultmesh_psi_current_phase', help: 'Current Psi phase (0=NIGREDO, 1=ALBEDO, 2=CITRINITAS, 3=RUBEDO)', labelNames: [], job: portal, source: 'inferred' }),
  defineGauge({ name: 'vaultmesh_psi_phase_duration_seconds', help: 'Seconds spent in the current phase (0 for the other phases)', labelNames: ['phase'], job: portal, source: 'inferred' }),
  // `status` on the timestamp too: TransmutationStalled joins the two with a plain `and`, which matches full label sets.
  defineGauge({ name: 'vaultmesh_psi_transmutation_status', help: 'Transmutation status (1 for the current status)', labelNames: ['status', 'transmutation_id'], job: portal, source: 'inferred' }),
  defineGauge({ name: 'vaultmesh_psi_transmutation_started_timestamp', help: 'Unix time a transmutation started', labelNames: ['status', 'transmutation_id'], job: portal, source: 'inferred' }),
  defineCounter({ name: 'vaultmesh_governance_violations_total', help: 'Constitutional violations', labelNames: [], job: portal, source: 'inferred' }),
  defineGauge({ name: 'vaultmesh_governance_emergency_active', help: 'Emergency powers in effect (0=no, 1=yes)', labelNames: [], job: portal, source: 'inferred' }),
  // Guardian (seed 000, section 4.2)
  defineCounter({ name: 'vaultmesh_guardian_anchors_total', help: 'Total successful anchors', labelNames: [], job: guardian, source: 'seed' }),
  defineCounter({ name: 'vaultmesh_guardian_anchor_failures_total', help: 'Anchor failures by reason', labelNames: ['reason'], job: guardian, source: 'seed' }),
  defineHistogram({ name: 'vaultmesh_guardian_anchor_duration_seconds', help: 'Anchor cycle duration', labelNames: [], buckets: [1, 5, 10, 30, 60, 120, 300], job: guardian, source: 'seed' }),
  defineGauge({ name: 'vaultmesh_guardian_last_anchor_timestamp', help: 'Timestamp of last successful anchor', labelNames: [], job: guardian, source: 'seed' }),
  defineGauge({ name: 'vaultmesh_guardian_anchor_epoch', help: 'Current anchor epoch number', labelNames: [], job: guardian, source: 'seed' }),
  defineGauge({ name: 'vaultmesh_guardian_receipts_since_anchor', help: 'Receipts added since last anchor', labelNames: [], job: guardian, source: 'seed' }),
  defineGauge({ name: 'vaultmesh_guardian_anchor_status', help: 'Current anchor status (0=idle, 1=anchoring, 2=success, 3=failed)', labelNames: [], job: guardian, source: 'seed' }),
  defineGauge({ name: 'vaultmesh_guardian_proofchain_root_info', help: 'ProofChain root information', labelNames: ['scroll', 'root_hash'], job: guardian, source: 'seed' }),
  defineGauge({ name: 'vaultmesh_guardian_proofchain_divergence', help: 'ProofChain divergence detected (0=no, 1=yes)', labelNames: [], job: guardian, source: 'seed' }),
  defineCounter({ name: 'vaultmesh_guardian_sentinel_events_total', help: 'Sentinel events', labelNames: ['event_type', 'severity'], job: guardian, source: 'seed' }),
  // Mesh and federation, observed by the guardian
  defineGauge({ name: 'vaultmesh_mesh_node_healthy', help: 'Mesh node health (1=healthy)', labelNames: ['node_id'], job: guardian, source: 'inferred' }),
  defineGauge({ name: 'vaultmesh_mesh_node_last_seen_timestamp', help: 'Unix time of the last heartbeat from a mesh node', labelNames: ['node_id'], job: guardian, source: 'inferred' }),
  defineGauge({ name: 'vaultmesh_mesh_route_healthy', help: 'Mesh route health (1=healthy)', labelNames: ['route_id'], job: guardian, source: 'inferred' }),
  defineCounter({ name: 'vaultmesh_federation_witness_failures_total', help: 'Failed witness attempts by remote mesh', labelNames: ['remote_mesh'], job: guardian, source: 'inferred' }),
  defineGauge({ name: 'vaultmesh_federation_discrepancy_detected', help: 'Discrepancy detected with a remote mesh (0=no, 1=yes)', labelNames: ['remote_mesh', 'discrepancy_type'], job: guardian, source: 'inferred' }),
  // Oracle (referenced by alerts and panels only)
  defineHistogram({ name: 'vaultmesh_oracle_query_duration_seconds', help: 'Oracle query duration', labelNames: [], buckets: [0.1, 0.25, 0.5, 1, 2.5, 5, 10, 20, 30, 60, 120], job: oracle, source: 'inferred' }),
  defineCounter({ name: 'vaultmesh_oracle_llm_errors_total', help: 'Oracle LLM call errors', labelNames: [], job: oracle, source: 'inferred' }),
  defineGauge({ name: 'vaultmesh_oracle_corpus_documents_total', help: 'Documents loaded in the compliance corpus', labelNames: [], job: oracle, source: 'inferred' }),
] as const;

/** The metrics by name, for the services that write them. */
export const VAULTMESH_METRIC = byName(VAULTMESH_METRICS);
