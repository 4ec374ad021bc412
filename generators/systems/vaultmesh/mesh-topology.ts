/**
 * The fixed shape of the simulated VaultMesh: names are stable so that scenarios and rules can refer to
 * them (`scroll="treasury"`, `node_id="node-fra-02"`).
 */
export const SCROLLS = ['treasury', 'compliance', 'governance', 'identity'] as const;

/** Share of receipt traffic per scroll (sums to 1). */
export const SCROLL_SHARE: Readonly<Record<(typeof SCROLLS)[number], number>> = {
  treasury: 0.4,
  compliance: 0.25,
  governance: 0.15,
  identity: 0.2,
};

export const RECEIPT_TYPES = ['attestation', 'transfer', 'decision'] as const;

/** Share of each receipt type within a scroll (sums to 1). */
export const RECEIPT_TYPE_SHARE: Readonly<Record<(typeof RECEIPT_TYPES)[number], number>> = {
  attestation: 0.5,
  transfer: 0.3,
  decision: 0.2,
};

export const WRITE_ERROR_TYPES = [
  'storage_timeout',
  'constraint_violation',
  'signature_invalid',
  'quota_exceeded',
] as const;

export const MESH_NODES = [
  'node-ams-01',
  'node-fra-02',
  'node-iad-03',
  'node-sin-04',
  'node-syd-05',
] as const;

/** Routes form a ring between neighbouring nodes. */
export const MESH_ROUTES = MESH_NODES.map(
  (node, i) => `${node}~${MESH_NODES[(i + 1) % MESH_NODES.length]!}`,
) as readonly string[];

export const REMOTE_MESHES = ['aurora-mesh', 'meridian-mesh', 'boreal-mesh'] as const;

export const DISCREPANCY_TYPES = ['root_mismatch', 'missing_receipts', 'timestamp_skew'] as const;

export const ANCHOR_FAILURE_REASONS = [
  'rpc_timeout',
  'insufficient_funds',
  'nonce_conflict',
  'chain_reorg',
] as const;

export const PSI_PHASES = ['nigredo', 'albedo', 'citrinitas', 'rubedo'] as const;

export const SENTINEL_EVENTS = [
  { eventType: 'integrity_check', severity: 'info' },
  { eventType: 'clock_drift', severity: 'low' },
  { eventType: 'replay_attempt', severity: 'medium' },
] as const;

export const HTTP_ROUTES = [
  { method: 'POST', path: '/api/v1/receipts' },
  { method: 'GET', path: '/api/v1/receipts/{id}' },
  { method: 'GET', path: '/api/v1/scrolls/{scroll}/root' },
  { method: 'POST', path: '/api/v1/proofs/verify' },
  { method: 'GET', path: '/health' },
] as const;
