import { describe, expect, it } from 'vitest';
import { parseSystem } from '../../../generators/declared/load-system.js';
import type { ModelContext } from '../../../generators/model/context.js';
import type { Rng } from '../../../generators/model/rng.js';
import { Simulation } from '../../../generators/model/simulation.js';
import type { ServiceModel, SystemDefinition } from '../../../generators/model/system.js';
import { MemoryMetrics } from '../../../generators/outputs/metrics/memory-store.js';
import { SeriesRecorder } from '../../../generators/promtool-tests/series-recorder.js';
import { platform } from '../../../generators/systems/platform.js';

const TINY = `system: tiny
services:
  api: null
labels:
  status: { ok: 97, failed: 3 }
knobs:
  request_rate: { type: number, default: 5, min: 0 }
metrics:
  tiny_requests_total:
    type: counter
    help: Requests by outcome.
    labels: [status]
  tiny_request_duration_seconds:
    type: histogram
    help: Request latency.
    buckets: [0.05, 0.1, 0.25, 0.5, 1]
  tiny_pool_in_use:
    type: gauge
    help: Connections in use.
    value: { sine: { mean: 10, amplitude: 4, period: 10m } }
events:
  request:
    rate: $request_rate
    labels: { status: null }
    do:
      - inc: tiny_requests_total
      - observe: tiny_request_duration_seconds
        value: { lognormal: { median: 0.1, p99: 0.5 } }
`;

const JOB = 'tiny-api';
const STATUSES = ['ok', 'failed'];
const Z99 = 2.3263478740408408;

/** The same system, written by hand in TypeScript against the model contract. */
class TinyApi implements ServiceModel {
  private readonly rng: Rng;
  private readonly labels = STATUSES.map((status) => Object.freeze({ status }));
  private lastGauge = 0;

  constructor(private readonly ctx: ModelContext) {
    this.rng = ctx.rng('tiny.event.request');
  }

  start(time: number): void {
    this.ctx.metrics.setTargetUp(JOB, true);
    for (const labels of this.labels) this.ctx.metrics.touch('tiny_requests_total', labels);
    this.ctx.metrics.touch('tiny_request_duration_seconds', {});
    this.lastGauge = time;
    this.ctx.metrics.set('tiny_pool_in_use', {}, this.pool(time));
  }

  tick(time: number, dtMs: number): void {
    const rate = Number(this.ctx.knob('request_rate')) * Number(this.ctx.knob('rate_scale'));
    const count = this.rng.poisson((rate * dtMs) / 1000);
    const times: number[] = [];
    for (let i = 0; i < count; i++) times.push(time - dtMs * this.rng.float());
    times.sort((a, b) => a - b);
    for (let i = 0; i < times.length; i++) {
      const status = this.rng.weightedIndex([97, 3]);
      this.ctx.metrics.add('tiny_requests_total', this.labels[status]!, 1);
      const sigma = Math.log(0.5 / 0.1) / Z99;
      this.ctx.metrics.observe(
        'tiny_request_duration_seconds',
        {},
        Math.max(0, this.rng.logNormal(0.1, sigma)),
      );
    }
    if (time - this.lastGauge >= 15_000) {
      this.lastGauge = time;
      this.ctx.metrics.set('tiny_pool_in_use', {}, this.pool(time));
    }
  }

  private pool(time: number): number {
    return 10 + 4 * Math.sin((2 * Math.PI * time) / 600_000);
  }
}

function recorded(system: SystemDefinition, seed: number): string {
  const systems = [system, platform([system])];
  const clock: { sim?: Simulation } = {};
  const store = new MemoryMetrics(
    systems.flatMap((s) => s.metrics),
    { now: () => clock.sim?.now() ?? 0 },
  );
  const sim = new Simulation({ systems, seed, startTime: 0, sink: { metrics: store } });
  clock.sim = sim;
  const recorder = new SeriesRecorder(store, [{ job: JOB, instance: 0, address: '127.0.0.1:9470' }]);
  for (let t = 0; t <= 30 * 60_000; t += 15_000) {
    sim.advanceTo(t);
    recorder.sample();
  }
  return JSON.stringify(recorder.recorded());
}

describe('a system declared in YAML and the same system written in TypeScript', () => {
  const declared = parseSystem('tiny.system.yaml', TINY);
  const written: SystemDefinition = {
    name: 'tiny',
    jobs: { api: JOB },
    metrics: declared.metrics,
    faults: [],
    knobs: declared.knobs,
    createServices: (ctx) => [new TinyApi(ctx)],
  };

  it.each([1, 2, 3])('produce identical series (seed %i)', (seed) => {
    const yaml = recorded(declared, seed);
    expect(yaml.length).toBeGreaterThan(10_000);
    expect(yaml).toBe(recorded(written, seed));
  });
});
