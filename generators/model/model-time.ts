import type { Simulation } from './simulation.js';

/**
 * The model time of a simulation to be built, for outputs created before it (summary windows in a store or
 * registries): its services write their first series while it is being built, at its start time.
 */
export class ModelTime {
  private simulation: Simulation | undefined;

  constructor(private readonly startTime: number) {}

  /** Current model time in ms since the Unix epoch. */
  readonly now = (): number => this.simulation?.now() ?? this.startTime;

  /** From now on, the simulation's time; returns it. */
  follow(simulation: Simulation): Simulation {
    this.simulation = simulation;
    return simulation;
  }
}
