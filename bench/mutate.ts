/**
 * Mutation testing of every bundled alert against the bundled scenarios: mutants per second and total wall
 * time, then, for a few scenarios, what a mutant costs against a plain replay of the same scenario.
 *
 *   npx tsx bench/mutate.ts
 *   BENCH_MUTATE_SYSTEMS=vex-lens,lexecon,sankofa-phoenix npx tsx bench/mutate.ts   (the declared systems too)
 */
import { availableParallelism } from 'node:os';
import { mutate } from '../sandbox/mutate/mutation-testing.js';
import { runPromtool } from '../sandbox/promtool/promtool.js';
import { resolvePromtool } from '../sandbox/promtool/promtool-runner.js';
import { prepareScenario } from '../sandbox/replay/replay-scenarios.js';
import { simulateScenario } from '../sandbox/replay/simulate.js';
import { resolveScenarioRef } from '../sandbox/scenario/scenario-catalogue.js';
import { loadSystemCatalogue } from '../sandbox/systems/system-catalogue.js';
import { isMain } from './support.js';

const SAMPLES = ['proof-verification-failures', 'anchor-delayed', 'lexecon-high-latency', 'baseline'];

/** promtool's own time for a plain replay of the scenario: the original rules only, nothing mutated. */
async function plainPromtoolMs(name: string): Promise<number> {
  const catalogue = await loadSystemCatalogue({});
  const prepared = await prepareScenario(await resolveScenarioRef(name), catalogue, {});
  const { scenario } = prepared.loaded;
  const simulated = await simulateScenario(scenario, prepared.systems.systems);
  const started = performance.now();
  await runPromtool({
    promtool: await resolvePromtool(),
    ruleFiles: prepared.ruleFiles,
    evaluationIntervalMs: scenario.evaluation_interval,
    series: simulated.series,
    probes: simulated.probes,
    name,
  });
  return performance.now() - started;
}

export async function main() {
  const systems = (process.env.BENCH_MUTATE_SYSTEMS ?? '').split(',').filter(Boolean);
  const report = await mutate([], { systems });
  console.log(`systems: the defaults${systems.length > 0 ? ` and ${systems.join(', ')}` : ''}`);
  const mutants = report.killed + report.survived;
  console.log(
    `${report.alerts.length} alerts, ${mutants} mutants (+${report.invalid} promtool rejects), ` +
      `${report.scenarios.length} scenarios, ${availableParallelism() + 1} promtool runs at once`,
  );
  console.log(`mutation score:            ${Math.round(report.score * 100)}%`);
  console.log(`total wall time:           ${(report.wallMs / 1000).toFixed(1)} s (goal < 180 s)`);
  console.log(`mutants per second:        ${(mutants / (report.wallMs / 1000)).toFixed(1)}`);
  const ran = report.scenarios.filter((s) => s.passed !== null);
  const simulateMs = ran.reduce((sum, s) => sum + s.simulateMs, 0);
  const promtoolMs = ran.reduce((sum, s) => sum + s.promtoolMs, 0);
  console.log(
    `scenarios replayed:        ${ran.length} (the others' mutants were all killed already); ` +
      `simulation ${(simulateMs / 1000).toFixed(1)} s, promtool ${(promtoolMs / 1000).toFixed(1)} s in all`,
  );
  console.log('cost per mutant against a plain replay of the same scenario (goal <= 1.2x promtool alone):');
  for (const name of SAMPLES) {
    const plain = await plainPromtoolMs(name);
    const one = await mutate([name], { concurrency: 1 });
    const run = one.scenarios[0]!;
    const perMutant = run.promtoolMs / run.mutants;
    console.log(
      `  ${name.padEnd(28)} plain promtool ${(plain / 1000).toFixed(2)} s; with ${run.mutants} mutants ` +
        `${(run.promtoolMs / 1000).toFixed(2)} s (${(run.promtoolMs / plain).toFixed(2)}x), ` +
        `${(perMutant / 1000).toFixed(3)} s per mutant = ${(perMutant / plain).toFixed(3)}x a plain replay`,
    );
  }
  return report;
}

if (isMain(import.meta.url)) await main();
