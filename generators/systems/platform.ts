import type { ModelContext } from '../model/context.js';
import { defineFault, type ParamSpecs } from '../model/faults/definition.js';
import { knobHandles } from '../model/knob-handles.js';
import type { ServiceModel, SystemDefinition } from '../model/system.js';

// Every system's rates read it, so it lives with what is always loaded.
export const PLATFORM_KNOBS = {
  rate_scale: {
    type: 'number',
    default: 1,
    min: 0,
    max: 1000,
    description: 'multiplies every traffic rate',
  },
} satisfies ParamSpecs;

export const PLATFORM_KNOB = knobHandles(PLATFORM_KNOBS);

function serviceDownFault(services: readonly string[]) {
  return defineFault({
    name: 'service_down',
    summary: "a service's scrape target stops answering (up == 0)",
    service: 'any',
    alerts: [],
    params: {
      service: { type: 'enum', values: services, description: 'service whose target goes down' },
    },
  });
}

/**
 * Faults that apply to any system's services, such as a scrape target that stops answering. Built from the
 * systems it serves, so that `service_down:service=...` accepts exactly their services.
 */
export function platform(systems: readonly SystemDefinition[]): SystemDefinition {
  const jobs: Record<string, string> = Object.assign({}, ...systems.map((s) => s.jobs));
  const down = serviceDownFault(Object.keys(jobs));
  return {
    name: 'platform',
    jobs: {},
    metrics: [],
    knobs: PLATFORM_KNOBS,
    faults: [down],
    createServices: (ctx) => [new TargetHealth(ctx, jobs, down)],
  };
}

class TargetHealth implements ServiceModel {
  private readonly down = new Set<string>();

  constructor(
    private readonly ctx: ModelContext,
    private readonly jobs: Readonly<Record<string, string>>,
    private readonly serviceDown: ReturnType<typeof serviceDownFault>,
  ) {}

  start(time: number): void {
    for (const job of Object.values(this.jobs)) this.ctx.metrics.setTargetUp(job, true);
    this.tick(time);
  }

  tick(time: number): void {
    const service = this.ctx.fault(this.serviceDown)?.params.service;
    const job = service === undefined ? undefined : this.jobs[service];
    for (const existing of [...this.down]) {
      if (existing === job) continue;
      this.down.delete(existing);
      this.ctx.metrics.setTargetUp(existing, true);
      this.ctx.detail?.log(time, existing, 'info', 'metrics endpoint recovered', {});
    }
    if (job !== undefined && !this.down.has(job)) {
      this.down.add(job);
      this.ctx.metrics.setTargetUp(job, false);
      this.ctx.detail?.log(time, job, 'error', 'metrics endpoint crashed: scrape target not answering', {});
    }
  }
}
