/**
 * Declared systems against the hand-written VaultMesh: model cost per virtual second and scrape render time,
 * both per series (goal: within 1.5x of VaultMesh's); and a synthetic declared system of 50 metrics and
 * 100,000 series rendering one scrape (goal: under 250 ms).
 *
 *   npx tsx bench/declared-systems.ts
 */
import { existsSync } from 'node:fs';
import { parseSystem, loadSystem } from '../generators/declared/load-system.js';
import { Simulation } from '../generators/model/simulation.js';
import type { SystemDefinition } from '../generators/model/system.js';
import type { MetricWriter } from '../generators/model/types.js';
import { PromRegistries } from '../generators/outputs/metrics/prom-registries.js';
import { platform } from '../generators/systems/platform.js';
import { targetsOf } from '../generators/systems/targets.js';
import { vaultmesh } from '../generators/systems/vaultmesh/index.js';
import { isMain, percentile } from './support.js';

const noop: MetricWriter = { touch() {}, add() {}, set() {}, observe() {}, remove() {}, setTargetUp() {} };
const START = Date.UTC(2026, 0, 1);
const HOUR = 3_600_000;

function modelMicrosPerVirtualSecond(system: SystemDefinition, hours: number): number {
  const systems = [system, platform([system])];
  const sim = new Simulation({ systems, seed: 1, startTime: START, sink: { metrics: noop } });
  sim.advanceTo(START + 600_000);
  const t0 = performance.now();
  sim.advanceTo(START + 600_000 + hours * HOUR);
  return ((performance.now() - t0) * 1000) / (hours * 3600);
}

async function render(system: SystemDefinition, rounds: number, simulatedMs = HOUR) {
  const systems = [system, platform([system])];
  const clock: { sim?: Simulation } = {};
  const registries = new PromRegistries(
    systems.flatMap((s) => s.metrics),
    targetsOf(systems),
    { now: () => clock.sim?.now() ?? START },
  );
  const sim = new Simulation({ systems, seed: 1, startTime: START, sink: { metrics: registries } });
  clock.sim = sim;
  sim.advanceTo(START + simulatedMs);
  const times: number[] = [];
  let series = 0;
  for (let i = 0; i < rounds; i++) {
    const t0 = performance.now();
    let count = 0;
    for (const { job, instance } of registries.targets()) {
      const text = await registries.registry(job, instance).metrics();
      for (const line of text.split('\n')) if (line !== '' && !line.startsWith('#')) count++;
    }
    times.push(performance.now() - t0);
    series = count;
  }
  return { series, medianMs: percentile(times, 50) };
}

/** 50 metrics over 40 x 50 label values: 25 counters and 25 walking gauges, 100,000 series in all. */
function syntheticSystem(): SystemDefinition {
  const metrics: string[] = [];
  for (let i = 0; i < 50; i++) {
    const gauge = i % 2 === 1;
    metrics.push(
      `  bench_metric_${i}${gauge ? '' : '_total'}:`,
      `    type: ${gauge ? 'gauge' : 'counter'}`,
      `    help: synthetic metric ${i}`,
      `    labels: [region, shard]`,
      ...(gauge ? ['    value: { walk: { start: 50, step: 5, min: 0, max: 100 } }', '    every: 1m'] : []),
    );
  }
  const values = (prefix: string, n: number) =>
    `[${Array.from({ length: n }, (_, i) => `${prefix}-${i}`).join(', ')}]`;
  const text = [
    'system: bench',
    'services:',
    '  api: null',
    'labels:',
    `  region: ${values('region', 40)}`,
    `  shard: ${values('shard', 50)}`,
    'metrics:',
    ...metrics,
    'events:',
    '  request:',
    '    rate: 200',
    '    labels: { region: null, shard: null }',
    '    do:',
    ...Array.from({ length: 25 }, (_, i) => `      - inc: bench_metric_${i * 2}_total`),
  ].join('\n');
  return parseSystem('bench.system.yaml', text);
}

export async function main() {
  const declared: SystemDefinition[] = [];
  for (const name of ['vex-lens', 'lexecon', 'sankofa-phoenix']) {
    const file = `generators/systems/${name}/${name}.system.yaml`;
    if (existsSync(file)) declared.push(await loadSystem(file));
  }
  const rows: { name: string; series: number; modelUs: number; renderMs: number }[] = [];
  for (const system of [vaultmesh, ...declared]) {
    const { series, medianMs } = await render(system, 50);
    rows.push({
      name: system.name,
      series,
      modelUs: modelMicrosPerVirtualSecond(system, 2),
      renderMs: medianMs,
    });
  }
  const base = rows[0]!;
  console.log(
    'system            series  model µs/virtual s  per series  render ms  µs/series  vs vaultmesh (model, render)',
  );
  for (const r of rows) {
    const modelPer = r.modelUs / r.series;
    const renderPer = (r.renderMs * 1000) / r.series;
    console.log(
      `${r.name.padEnd(16)} ${String(r.series).padStart(7)}  ${r.modelUs.toFixed(1).padStart(18)}  ${modelPer.toFixed(3).padStart(10)}  ${r.renderMs.toFixed(2).padStart(9)}  ${renderPer.toFixed(2).padStart(9)}  ${(modelPer / (base.modelUs / base.series)).toFixed(2)}x, ${(renderPer / ((base.renderMs * 1000) / base.series)).toFixed(2)}x (goal <= 1.5x)`,
    );
  }
  const t0 = performance.now();
  const synthetic = syntheticSystem();
  const compileMs = performance.now() - t0;
  const big = await render(synthetic, 5, 60_000);
  console.log(
    `synthetic declared system: 50 metrics, ${big.series} series; compile ${compileMs.toFixed(0)} ms, one scrape rendered in ${big.medianMs.toFixed(0)} ms median (goal < 250 ms)`,
  );
  return { rows, synthetic: big };
}

if (isMain(import.meta.url)) await main();
