import { byName } from '../../model/by-name.js';
import { defineFault } from '../../model/faults/definition.js';
import {
  ANCHOR_FAILURE_REASONS,
  DISCREPANCY_TYPES,
  MESH_NODES,
  MESH_ROUTES,
  REMOTE_MESHES,
  SCROLLS,
  WRITE_ERROR_TYPES,
} from './mesh-topology.js';

const scrollOrAll = {
  type: 'enum',
  values: ['all', ...SCROLLS],
  default: 'all',
  description: 'scroll affected',
} as const;

const since = (what: string) =>
  ({ type: 'duration', default: 0, description: `how long ${what} already when the fault starts` }) as const;

export const VAULTMESH_FAULTS = [
  defineFault({
    name: 'receipt_write_errors',
    summary: 'a share of receipt writes fail',
    service: 'portal',
    alerts: ['ReceiptWriteFailure'],
    params: {
      ratio: { type: 'number', default: 0.25, min: 0, max: 1, description: 'share of writes that fail' },
      scroll: scrollOrAll,
      error_type: {
        type: 'enum',
        values: WRITE_ERROR_TYPES,
        default: 'storage_timeout',
        description: 'error reported',
      },
    },
  }),
  defineFault({
    name: 'portal_latency',
    summary: 'receipt writes and HTTP requests slow down',
    service: 'portal',
    alerts: [],
    params: { factor: { type: 'number', default: 8, min: 1, description: 'latency multiplier' } },
  }),
  defineFault({
    name: 'receipt_rate_spike',
    summary: 'receipt traffic jumps far above its baseline',
    service: 'portal',
    alerts: ['ReceiptRateAnomaly'],
    params: {
      factor: { type: 'number', default: 8, min: 1, description: 'rate multiplier' },
      scroll: scrollOrAll,
    },
  }),
  defineFault({
    name: 'receipt_rate_drop',
    summary: 'receipt traffic falls far below its baseline',
    service: 'portal',
    alerts: ['ReceiptRateAnomaly'],
    params: {
      factor: { type: 'number', default: 0.05, min: 0, max: 1, description: 'rate multiplier' },
      scroll: scrollOrAll,
    },
  }),
  defineFault({
    name: 'anchor_failures',
    summary: 'every anchor cycle fails and is retried',
    service: 'guardian',
    alerts: ['AnchorFailure', 'AnchorDelayed', 'AnchorCriticallyDelayed'],
    params: {
      reason: {
        type: 'enum',
        values: ANCHOR_FAILURE_REASONS,
        default: 'rpc_timeout',
        description: 'failure reason',
      },
      retry_after: { type: 'duration', default: 120_000, description: 'wait before the next attempt' },
    },
  }),
  defineFault({
    name: 'anchor_stall',
    summary: 'the anchoring loop hangs: no anchors, no failures',
    service: 'guardian',
    alerts: ['AnchorDelayed', 'AnchorCriticallyDelayed'],
    params: { since: since('the last anchor was') },
  }),
  defineFault({
    name: 'proofchain_divergence',
    summary: "a scroll's recomputed Merkle root differs from the stored root",
    service: 'guardian',
    alerts: ['ProofChainDivergence'],
    params: {
      scroll: { type: 'enum', values: SCROLLS, default: 'treasury', description: 'diverging scroll' },
    },
  }),
  defineFault({
    name: 'oracle_latency',
    summary: 'oracle queries become slow',
    service: 'oracle',
    alerts: ['OracleHighLatency'],
    params: { median: { type: 'duration', default: 40_000, description: 'median query time' } },
  }),
  defineFault({
    name: 'oracle_llm_errors',
    summary: "the oracle's LLM calls fail",
    service: 'oracle',
    alerts: ['OracleLLMErrors'],
    params: { rate: { type: 'number', default: 0.5, min: 0, description: 'LLM errors per second' } },
  }),
  defineFault({
    name: 'oracle_corpus_empty',
    summary: 'the compliance corpus is unloaded',
    service: 'oracle',
    alerts: ['OracleCorpusEmpty'],
    params: {},
  }),
  defineFault({
    name: 'node_unhealthy',
    summary: 'a mesh node reports itself unhealthy but keeps sending heartbeats',
    service: 'guardian',
    alerts: ['NodeUnhealthy'],
    params: {
      node: { type: 'enum', values: MESH_NODES, default: 'node-fra-02', description: 'node affected' },
    },
  }),
  defineFault({
    name: 'node_down',
    summary: 'a mesh node stops sending heartbeats',
    service: 'guardian',
    alerts: ['NodeDown', 'NodeUnhealthy'],
    params: {
      node: { type: 'enum', values: MESH_NODES, default: 'node-sin-04', description: 'node affected' },
      since: since('the node has been silent'),
    },
  }),
  defineFault({
    name: 'route_unhealthy',
    summary: 'a mesh route between two nodes fails',
    service: 'guardian',
    alerts: ['RouteUnhealthy'],
    params: {
      route: { type: 'enum', values: MESH_ROUTES, default: MESH_ROUTES[1]!, description: 'route affected' },
    },
  }),
  defineFault({
    name: 'phase_prolonged',
    summary: 'the system enters the Nigredo (crisis) phase and stays there',
    service: 'portal',
    alerts: ['PhaseProlongedNigredo'],
    params: { since: since('the system has been in Nigredo') },
  }),
  defineFault({
    name: 'transmutation_stall',
    summary: 'a transmutation starts and never completes',
    service: 'portal',
    alerts: ['TransmutationStalled'],
    params: { since: since('the transmutation has been running') },
  }),
  defineFault({
    name: 'governance_violation',
    summary: 'constitutional violations are recorded',
    service: 'portal',
    alerts: ['ConstitutionalViolation'],
    params: {
      count: { type: 'number', integer: true, default: 1, min: 1, description: 'violations at the start' },
      every: { type: 'duration', default: 0, description: 'repeat interval (0: once)' },
    },
  }),
  defineFault({
    name: 'emergency',
    summary: 'governance emergency powers are invoked',
    service: 'portal',
    alerts: ['EmergencyActive'],
    params: {},
  }),
  defineFault({
    name: 'federation_witness_failure',
    summary: "witnessing a remote mesh's receipts fails",
    service: 'guardian',
    alerts: ['FederationWitnessFailure'],
    params: {
      remote_mesh: {
        type: 'enum',
        values: REMOTE_MESHES,
        default: 'meridian-mesh',
        description: 'remote mesh',
      },
      rate: { type: 'number', default: 2, min: 0, description: 'failed witness attempts per minute' },
    },
  }),
  defineFault({
    name: 'federation_discrepancy',
    summary: 'a remote mesh disagrees with ours',
    service: 'guardian',
    alerts: ['FederationDiscrepancy'],
    params: {
      remote_mesh: {
        type: 'enum',
        values: REMOTE_MESHES,
        default: 'aurora-mesh',
        description: 'remote mesh',
      },
      discrepancy_type: {
        type: 'enum',
        values: DISCREPANCY_TYPES,
        default: 'root_mismatch',
        description: 'kind of discrepancy',
      },
    },
  }),
] as const;

/** The faults by name, for the services that read them. */
export const VAULTMESH_FAULT = byName(VAULTMESH_FAULTS);
