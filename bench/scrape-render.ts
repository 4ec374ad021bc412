/**
 * Time to render every scrape target (all jobs' registries in text format), at the default cardinality and
 * with synthetic extra series up to ~10k.
 *
 *   npx tsx bench/scrape-render.ts
 */
import { Simulation } from '../generators/model/simulation.js';
import { PromRegistries } from '../generators/outputs/metrics/prom-registries.js';
import { defaultSystems } from '../generators/systems/index.js';
import { targetsOf } from '../generators/systems/targets.js';
import { isMain, percentile } from './support.js';

async function renderAll(registries: PromRegistries): Promise<{ ms: number; series: number }> {
  const start = performance.now();
  let series = 0;
  for (const { job, instance } of registries.targets()) {
    const text = await registries.registry(job, instance).metrics();
    for (const line of text.split('\n')) if (line !== '' && !line.startsWith('#')) series++;
  }
  return { ms: performance.now() - start, series };
}

async function measure(label: string, registries: PromRegistries, rounds = 200) {
  const times: number[] = [];
  let series = 0;
  for (let i = 0; i < rounds; i++) {
    const r = await renderAll(registries);
    times.push(r.ms);
    series = r.series;
  }
  const result = { label, series, medianMs: percentile(times, 50), p95Ms: percentile(times, 95) };
  console.log(
    `${label}: ${series} series, render all targets median ${result.medianMs.toFixed(2)} ms, p95 ${result.p95Ms.toFixed(2)} ms`,
  );
  return result;
}

export async function main() {
  const systems = defaultSystems();
  const registries = new PromRegistries(
    systems.flatMap((s) => s.metrics),
    targetsOf(systems),
  );
  const sim = new Simulation({ systems, seed: 1, startTime: Date.now(), sink: { metrics: registries } });
  sim.advanceTo(sim.now() + 3_600_000);
  const base = await measure('default cardinality (goal <= 5 ms)', registries);
  // Synthetic tenants' scrolls on the portal's counters and histograms to reach ~10k series.
  for (let i = 0; i < 720; i++) {
    const scroll = `tenant-${String(i).padStart(4, '0')}`;
    registries.add('vaultmesh_receipts_total', { scroll, type: 'attestation' }, i);
    registries.add('vaultmesh_receipts_total', { scroll, type: 'transfer' }, i);
    registries.observe('vaultmesh_receipt_write_duration_seconds', { scroll }, 0.01);
  }
  const large = await measure('~10k series (goal <= 50 ms)', registries, 50);
  return { base, large };
}

if (isMain(import.meta.url)) await main();
