import type { ModelContext } from '../../model/context.js';
import type { Rng } from '../../model/rng.js';
import type { ServiceModel } from '../../model/system.js';
import { TypedMetricWriter } from '../../model/metric-handles.js';
import { VAULTMESH_FAULT as FAULT } from './faults.js';
import { GUARDIAN_JOB } from './guardian.js';
import { DISCREPANCY_TYPES, MESH_NODES, MESH_ROUTES, REMOTE_MESHES } from './mesh-topology.js';
import { VAULTMESH_METRIC as METRIC } from './metrics.js';

const HEARTBEAT_MS = 15_000;
const WITNESS_MS = 30_000;

/** Mesh nodes and routes as the guardian observes them, and federation with remote meshes. */
export class Mesh implements ServiceModel {
  private readonly rng: Rng;
  private readonly metrics: TypedMetricWriter;
  private readonly lastSeen = new Map<string, number>();
  private readonly nodeState = new Map<string, 'healthy' | 'unhealthy' | 'down'>();
  private readonly routeHealthy = new Map<string, boolean>();
  private readonly discrepancies = new Set<string>();
  private nextWitness = 0;

  constructor(private readonly ctx: ModelContext) {
    this.rng = ctx.rng('mesh');
    this.metrics = new TypedMetricWriter(ctx.metrics);
  }

  start(time: number): void {
    const m = this.metrics;
    for (const node of MESH_NODES) {
      this.lastSeen.set(node, time - this.rng.float() * HEARTBEAT_MS);
      this.nodeState.set(node, 'healthy');
      m.set(METRIC.vaultmesh_mesh_node_healthy, { node_id: node }, 1);
      m.set(
        METRIC.vaultmesh_mesh_node_last_seen_timestamp,
        { node_id: node },
        Math.floor(this.lastSeen.get(node)! / 1000),
      );
    }
    for (const route of MESH_ROUTES) {
      this.routeHealthy.set(route, true);
      m.set(METRIC.vaultmesh_mesh_route_healthy, { route_id: route }, 1);
    }
    for (const remote of REMOTE_MESHES) {
      m.touch(METRIC.vaultmesh_federation_witness_failures_total, { remote_mesh: remote });
      for (const type of DISCREPANCY_TYPES) {
        m.set(
          METRIC.vaultmesh_federation_discrepancy_detected,
          { remote_mesh: remote, discrepancy_type: type },
          0,
        );
      }
    }
    this.nextWitness = time + WITNESS_MS;
  }

  tick(time: number, dtMs: number): void {
    this.updateNodes(time, dtMs);
    this.updateRoutes(time);
    this.updateFederation(time, dtMs);
  }

  private updateNodes(time: number, dtMs: number): void {
    const m = this.metrics;
    const unhealthy = this.ctx.fault(FAULT.node_unhealthy);
    const down = this.ctx.fault(FAULT.node_down);
    for (const node of MESH_NODES) {
      const isDown = down?.params.node === node;
      const state = isDown ? 'down' : unhealthy?.params.node === node ? 'unhealthy' : 'healthy';
      if (state !== this.nodeState.get(node)) {
        if (state === 'down') {
          const silentSince = time - down!.params.since;
          this.lastSeen.set(node, Math.min(this.lastSeen.get(node)!, silentSince));
          m.set(
            METRIC.vaultmesh_mesh_node_last_seen_timestamp,
            { node_id: node },
            Math.floor(this.lastSeen.get(node)! / 1000),
          );
        }
        this.nodeState.set(node, state);
        m.set(METRIC.vaultmesh_mesh_node_healthy, { node_id: node }, state === 'healthy' ? 1 : 0);
        const level = state === 'healthy' ? 'info' : state === 'down' ? 'error' : 'warn';
        this.ctx.detail?.log(
          time,
          GUARDIAN_JOB,
          level,
          `mesh node ${state === 'down' ? 'stopped responding' : state}`,
          {
            node_id: node,
            last_seen_age_s: Math.round((time - this.lastSeen.get(node)!) / 1000),
          },
        );
      }
      if (!isDown && this.rng.chance(dtMs / HEARTBEAT_MS)) {
        this.lastSeen.set(node, time);
        m.set(METRIC.vaultmesh_mesh_node_last_seen_timestamp, { node_id: node }, Math.floor(time / 1000));
      }
    }
  }

  private updateRoutes(time: number): void {
    const broken = this.ctx.fault(FAULT.route_unhealthy)?.params.route;
    for (const route of MESH_ROUTES) {
      const healthy = route !== broken;
      if (healthy === this.routeHealthy.get(route)) continue;
      this.routeHealthy.set(route, healthy);
      this.metrics.set(METRIC.vaultmesh_mesh_route_healthy, { route_id: route }, healthy ? 1 : 0);
      this.ctx.detail?.log(
        time,
        GUARDIAN_JOB,
        healthy ? 'info' : 'warn',
        `mesh route ${healthy ? 'restored' : 'unhealthy'}`,
        {
          route_id: route,
        },
      );
    }
  }

  private updateFederation(time: number, dtMs: number): void {
    const m = this.metrics;
    const failing = this.ctx.fault(FAULT.federation_witness_failure);
    if (failing) {
      const remote = failing.params.remote_mesh;
      const count = this.rng.poisson((failing.params.rate * dtMs) / 60_000);
      if (count > 0) {
        m.add(METRIC.vaultmesh_federation_witness_failures_total, { remote_mesh: remote }, count);
        this.ctx.detail?.log(time, GUARDIAN_JOB, 'warn', 'federation witness failed', {
          remote_mesh: remote,
          attempts: count,
          error: 'signature verification failed for remote receipt batch',
        });
      }
    }
    const discrepancy = this.ctx.fault(FAULT.federation_discrepancy);
    const key = discrepancy && `${discrepancy.params.remote_mesh}|${discrepancy.params.discrepancy_type}`;
    for (const existing of [...this.discrepancies]) {
      if (existing === key) continue;
      this.setDiscrepancy(time, existing, 0);
      this.discrepancies.delete(existing);
    }
    if (key && !this.discrepancies.has(key)) {
      this.discrepancies.add(key);
      this.setDiscrepancy(time, key, 1);
    }
    if (time >= this.nextWitness) {
      this.nextWitness += WITNESS_MS;
      this.ctx.detail?.log(time, GUARDIAN_JOB, 'debug', 'federation witness round complete', {
        remotes: REMOTE_MESHES.length,
        failing: failing ? failing.params.remote_mesh : '',
      });
    }
  }

  private setDiscrepancy(time: number, key: string, value: 0 | 1): void {
    const [remote, type] = key.split('|') as [string, string];
    this.metrics.set(
      METRIC.vaultmesh_federation_discrepancy_detected,
      { remote_mesh: remote, discrepancy_type: type },
      value,
    );
    this.ctx.detail?.log(
      time,
      GUARDIAN_JOB,
      value ? 'error' : 'info',
      value ? 'federation discrepancy detected' : 'federation discrepancy resolved',
      {
        remote_mesh: remote,
        discrepancy_type: type,
      },
    );
  }
}
