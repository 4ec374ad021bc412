import type { ServiceStatus } from './service-status.js';
import type { StackService } from './services/registry.js';

/** The state of each service of a stack, as both runtimes report it. */
export class ServiceBoard {
  readonly statuses = new Map<StackService, ServiceStatus>();

  constructor(
    private readonly runtime: ServiceStatus['runtime'],
    private readonly onStatus?: (status: ServiceStatus) => void,
  ) {}

  running(service: StackService): boolean {
    return this.statuses.get(service)?.state === 'running';
  }

  update(service: StackService, patch: Partial<ServiceStatus>): void {
    const current = this.statuses.get(service) ?? { service, state: 'starting', runtime: this.runtime };
    const next = { ...current, ...patch } as ServiceStatus;
    this.statuses.set(service, next);
    this.onStatus?.(next);
  }
}
