import { ModelTime } from '../../generators/model/model-time.js';
import { Simulation } from '../../generators/model/simulation.js';
import type { FaultCatalogue } from '../../generators/model/faults/fault-catalogue.js';
import type { SystemDefinition } from '../../generators/model/system.js';
import { MemoryMetrics } from '../../generators/outputs/metrics/memory-store.js';
import {
  SeriesRecorder,
  type RecordedSeries,
  type ScrapeTarget,
} from '../../generators/promtool-tests/series-recorder.js';
import { targetsOf } from '../../generators/systems/targets.js';
import type { Scenario } from '../scenario/scenario-schema.js';
import { WorkSlicer } from '../../generators/live/work-slicer.js';
import { UserError } from '../../generators/user-error.js';
import { formatDuration } from '../../generators/model/duration.js';
import { SampleEstimate } from '../../generators/promtool-tests/sample-estimate.js';

/**
 * The most samples (series x evaluations) one replay may produce: the bundled `baseline` (6h at 15s) makes
 * 0.5 million, the largest bundled scenario (`lexecon-baseline`) 4 million.
 */
export const REPLAY_SAMPLE_BUDGET = 10_000_000;

export interface SimulatedScenario {
  series: RecordedSeries[];
  /** Promtool times (ms since its time 0) at which alerts are read: every evaluation from the start on. */
  probes: number[];
  /** Promtool time of the scenario's t=0 (the end of the warm-up). */
  startMs: number;
}

/** Addresses the series carry as `instance`, as the live targets have them by default (ports in order). */
export function scrapeTargets(systems: readonly SystemDefinition[]): ScrapeTarget[] {
  return targetsOf(systems).map((target, i) => ({ ...target, address: `127.0.0.1:${9470 + i}` }));
}

/** Promtool time of a scenario's t=0: the end of its warm-up, on an evaluation. */
export function replayStartMs(scenario: Pick<Scenario, 'warmup' | 'evaluation_interval'>): number {
  return Math.ceil(scenario.warmup / scenario.evaluation_interval) * scenario.evaluation_interval;
}

/**
 * Runs the model on a virtual clock from promtool's time 0 (so `time()` agrees), applying the scenario's
 * steps after the warm-up, and samples every series once per evaluation interval. Refuses a scenario whose
 * samples would exceed REPLAY_SAMPLE_BUDGET, and lets the event loop run every few tens of milliseconds.
 */
export async function simulateScenario(
  scenario: Scenario,
  systems: readonly SystemDefinition[],
  file = scenario.name,
  faultCatalogue?: FaultCatalogue,
): Promise<SimulatedScenario> {
  const time = new ModelTime(0);
  const store = new MemoryMetrics(
    systems.flatMap((s) => s.metrics),
    { now: time.now },
  );
  const simulation = time.follow(
    new Simulation({
      systems,
      ...(faultCatalogue ? { faultCatalogue } : {}),
      seed: scenario.seed,
      startTime: 0,
      sink: { metrics: store },
      knobs: scenario.traffic,
      faults: (scenario.faults ?? []).map((f) => ({ name: f.name, params: f.params ?? {} })),
    }),
  );
  const recorder = new SeriesRecorder(store, scrapeTargets(systems));
  const interval = scenario.evaluation_interval;
  const startMs = replayStartMs(scenario);
  const endMs = startMs + scenario.duration;
  const steps = [...scenario.steps].sort((a, b) => a.at - b.at);
  let next = 0;
  const probes: number[] = [];
  const slicer = new WorkSlicer();
  const evaluations = Math.floor(endMs / interval) + 1;
  const estimate = new SampleEstimate(evaluations);
  for (let t = 0; t <= endMs; t += interval) {
    while (next < steps.length && startMs + steps[next]!.at <= t) {
      const step = steps[next++]!;
      await slicer.advance(simulation, startMs + step.at);
      if (step.clear) simulation.clearFault(step.clear);
      if (step.fault) simulation.setFault({ name: step.fault, params: step.params ?? {} });
      for (const [knob, value] of Object.entries(step.traffic ?? {})) simulation.setKnob(knob, value);
    }
    await slicer.advance(simulation, t);
    recorder.sample();
    // Series come and go as the model runs: the estimate is made again after every evaluation.
    checkBudget(estimate.observe(recorder.recorded()), evaluations, scenario, file);
    if (t >= startMs) probes.push(t);
  }
  return { series: recorder.recorded(), probes, startMs };
}

function checkBudget(
  { samples, live }: { samples: number; live: number },
  evaluations: number,
  scenario: Scenario,
  file: string,
): void {
  if (samples <= REPLAY_SAMPLE_BUDGET) return;
  const millions = (n: number) => `${(n / 1e6).toFixed(2)} million`;
  throw new UserError(
    `${file}: this replay would produce about ${millions(samples)} samples (${live} series x ${evaluations} evaluations ` +
      `of ${formatDuration(scenario.evaluation_interval)} over ${formatDuration(scenario.warmup)} warm-up and ` +
      `${formatDuration(scenario.duration)}), more than the budget of ${millions(REPLAY_SAMPLE_BUDGET)}; ` +
      'shorten duration or warmup, raise evaluation_interval, or load fewer systems',
  );
}
