import type { MetricDefinition } from '../../generators/model/metric-definitions.js';
import type { ModelContext } from '../../generators/model/context.js';
import type { ServiceModel, SystemDefinition } from '../../generators/model/system.js';

/** Test system: job `demo-api` has three targets and a summary, `demo-db` one target. */
export const DEMO_API = 'demo-api';
export const DEMO_DB = 'demo-db';

export const LATENCY: MetricDefinition = {
  name: 'demo_request_duration_seconds',
  type: 'summary',
  help: 'Request latency',
  labelNames: ['route'],
  quantiles: [0.5, 0.9, 0.99],
  maxAgeSeconds: 60,
  ageBuckets: 3,
  job: DEMO_API,
  source: 'seed',
};

const metrics: MetricDefinition[] = [
  LATENCY,
  {
    name: 'demo_requests_total',
    type: 'counter',
    help: 'Requests served',
    labelNames: ['route'],
    job: DEMO_API,
    source: 'seed',
  },
  {
    name: 'demo_worker_ordinal',
    type: 'gauge',
    help: "The target's ordinal",
    labelNames: [],
    job: DEMO_API,
    source: 'seed',
  },
  {
    name: 'demo_db_connections',
    type: 'gauge',
    help: 'Open connections',
    labelNames: [],
    job: DEMO_DB,
    source: 'seed',
  },
];

const ROUTE = { route: '/a' };

/**
 * Each API target serves one request per second on `/a`, taking `(ordinal + 1) / 10` s, except the second
 * target, idle: its summary exists with count 0. The database holds 5 connections.
 */
class DemoServices implements ServiceModel {
  constructor(private readonly ctx: ModelContext) {}

  start(): void {
    for (const instance of [0, 1, 2]) {
      this.ctx.metrics.set('demo_worker_ordinal', {}, instance, instance);
      this.ctx.metrics.touch(LATENCY.name, ROUTE, instance);
      this.ctx.metrics.touch('demo_requests_total', ROUTE, instance);
    }
    this.ctx.metrics.set('demo_db_connections', {}, 5);
  }

  tick(): void {
    for (const instance of [0, 2]) {
      this.ctx.metrics.observe(LATENCY.name, ROUTE, (instance + 1) / 10, instance);
      this.ctx.metrics.add('demo_requests_total', ROUTE, 1, instance);
    }
  }
}

export const demo: SystemDefinition = {
  name: 'demo',
  jobs: { api: DEMO_API, db: DEMO_DB },
  instances: { [DEMO_API]: 3 },
  metrics,
  faults: [],
  knobs: {},
  createServices: (ctx) => [new DemoServices(ctx)],
};
