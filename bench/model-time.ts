/**
 * Cost of one second of model time: the pure model (metrics written to a no-op sink), with the in-memory
 * store a replay samples, and with every log line and span produced (to no-op sinks).
 *
 *   npx tsx bench/model-time.ts [virtual hours]
 */
import { Simulation } from '../generators/model/simulation.js';
import type { MetricWriter, ModelSink } from '../generators/model/types.js';
import { MemoryMetrics } from '../generators/outputs/metrics/memory-store.js';
import { defaultSystems } from '../generators/systems/index.js';
import { isMain } from './support.js';

const noop: MetricWriter = { touch() {}, add() {}, set() {}, observe() {}, remove() {}, setTargetUp() {} };

function microsPerVirtualSecond(sink: ModelSink, hours: number): number {
  const systems = defaultSystems();
  const start = Date.UTC(2026, 0, 1);
  const sim = new Simulation({ systems, seed: 1, startTime: start, sink });
  sim.advanceTo(start + 600_000);
  const t0 = performance.now();
  sim.advanceTo(start + 600_000 + hours * 3_600_000);
  return ((performance.now() - t0) * 1000) / (hours * 3600);
}

export function main(hours = 6) {
  const systems = defaultSystems();
  const results = {
    model: microsPerVirtualSecond({ metrics: noop }, hours),
    memoryStore: microsPerVirtualSecond(
      { metrics: new MemoryMetrics(systems.flatMap((s) => s.metrics)) },
      hours,
    ),
    withLogsAndSpans: microsPerVirtualSecond({ metrics: noop, log() {}, span() {} }, hours / 3),
  };
  console.log(`model only:            ${results.model.toFixed(1)} µs per virtual second (goal <= 100 µs)`);
  console.log(`with in-memory store:  ${results.memoryStore.toFixed(1)} µs per virtual second`);
  console.log(`with logs and spans:   ${results.withLogsAndSpans.toFixed(1)} µs per virtual second`);
  console.log(`virtual-to-wall speed-up, model only: ${Math.round(1e6 / results.model)}x`);
  return results;
}

if (isMain(import.meta.url)) main(Number(process.argv[2] ?? 6));
