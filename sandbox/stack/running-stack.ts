import type { StackRuleFile } from '../rules/stack-rules.js';
import { ServiceBoard } from './service-board.js';
import type { ServiceStatus } from './service-status.js';
import { StartedPrometheus } from './services/prometheus.js';
import type { StackService } from './services/registry.js';
import type { Ingest, ServiceHandle, StackServiceModule } from './services/service-module.js';

/** What both runtimes answer once started. */
export interface RunningStack {
  readonly statuses: ReadonlyMap<StackService, ServiceStatus>;
  services(): ServiceStatus[];
  running(service: StackService): boolean;
  /** A service that started (it may have crashed since: see `running`). */
  service(name: StackService): ServiceHandle | undefined;
  /** URL (on the host) of the running service that takes the generators' logs or traces. */
  ingestUrl(kind: Ingest['kind']): string | undefined;
  /** Replaces the rule files Prometheus loads (same names) and has it reload them. */
  replaceRules(files: readonly StackRuleFile[]): Promise<void>;
  stop(): Promise<void>;
}

/** The part of a running stack both runtimes share: its services' states and handles. */
export abstract class StartedServices implements RunningStack {
  protected readonly board: ServiceBoard;
  readonly statuses: ReadonlyMap<StackService, ServiceStatus>;
  protected readonly handles = new Map<StackService, ServiceHandle>();

  protected constructor(
    protected readonly modules: readonly StackServiceModule<StackService>[],
    runtime: ServiceStatus['runtime'],
    onStatus?: (status: ServiceStatus) => void,
  ) {
    this.board = new ServiceBoard(runtime, onStatus);
    this.statuses = this.board.statuses;
  }

  services(): ServiceStatus[] {
    return this.modules.map((m) => this.statuses.get(m.name)).filter((s) => s !== undefined);
  }

  running(service: StackService): boolean {
    return this.board.running(service);
  }

  service(name: StackService): ServiceHandle | undefined {
    return this.handles.get(name);
  }

  ingestUrl(kind: Ingest['kind']): string | undefined {
    const module = this.modules.find((m) => m.ingest?.kind === kind);
    if (!module || !this.running(module.name)) return undefined;
    return this.service(module.name)?.url(module.ingest!.port);
  }

  async replaceRules(files: readonly StackRuleFile[]): Promise<void> {
    const handle = this.handles.get('prometheus');
    if (handle) await new StartedPrometheus(handle).reloadRules(files);
  }

  abstract stop(): Promise<void>;
}
