import { UserError } from '../../../../generators/user-error.js';
import type { FaultRequest } from '../../../../generators/model/faults/fault-catalogue.js';
import type { ParamValue } from '../../../../generators/model/faults/definition.js';
import { shownUrl, type ApiEndpoint } from '../api-endpoint.js';
import type { LiveTarget } from '../live-target.js';
import type { AlertmanagerWatch } from './alertmanager-watch.js';
import type { GeneratorClient } from './generator-client.js';

/**
 * An environment of your own as a live replay drives it: a Prometheus-compatible rule evaluator and
 * Alertmanager to read, and every generator (each shard) to switch faults and knobs in, all at once.
 */
export class RemoteTarget implements LiveTarget {
  readonly notificationSource = 'alertmanager';
  readonly apiHeaders: { prometheus: Record<string, string>; alertmanager: Record<string, string> };
  private readonly faults = new Map<string, FaultRequest>();
  private readonly knobValues: Record<string, ParamValue>;

  constructor(
    private readonly prometheus: ApiEndpoint,
    private readonly alertmanager: { endpoint: ApiEndpoint; watch: AlertmanagerWatch } | undefined,
    private readonly generators: readonly GeneratorClient[],
    readonly evaluationIntervalMs: number,
    initial: { faults: readonly FaultRequest[]; knobs: Readonly<Record<string, ParamValue>> },
  ) {
    this.apiHeaders = {
      prometheus: { ...prometheus.headers },
      alertmanager: { ...(alertmanager?.endpoint.headers ?? {}) },
    };
    for (const f of initial.faults) this.faults.set(f.name, f);
    this.knobValues = { ...initial.knobs };
  }

  get prometheusUrl(): string {
    return this.prometheus.url;
  }

  get alertmanagerRunning(): boolean {
    return this.alertmanager !== undefined;
  }

  get environment(): string {
    const parts = [`Prometheus ${shownUrl(this.prometheus.url)}`];
    if (this.alertmanager) parts.push(`Alertmanager ${shownUrl(this.alertmanager.endpoint.url)}`);
    const n = this.generators.length;
    parts.push(
      n === 0
        ? 'no generators switched'
        : `${n} generator${n === 1 ? '' : 's'} ${this.generators.map((g) => shownUrl(g.url)).join(', ')}`,
    );
    return parts.join(', ');
  }

  links(): Readonly<Record<string, string>> {
    return {
      prometheus: this.prometheus.url,
      ...(this.alertmanager ? { alertmanager: this.alertmanager.endpoint.url } : {}),
    };
  }

  async setFault(request: FaultRequest): Promise<void> {
    await Promise.all(this.generators.map((g) => g.setFault(request)));
    this.faults.set(request.name, request);
  }

  async clearFault(name: string): Promise<void> {
    await Promise.all(this.generators.map((g) => g.clearFault(name)));
    this.faults.delete(name);
  }

  async setKnob(name: string, value: ParamValue): Promise<void> {
    await Promise.all(this.generators.map((g) => g.setKnob(name, value)));
    this.knobValues[name] = value;
  }

  activeFaults(): FaultRequest[] {
    return [...this.faults.values()];
  }

  knobs(): Readonly<Record<string, ParamValue>> {
    return { ...this.knobValues };
  }

  notifications() {
    return this.alertmanager?.watch.notifications() ?? [];
  }

  /** The evaluator names its rule files itself; a scenario's rule_file names them so too. */
  ruleFileOf(loaded: string): string {
    return loaded;
  }

  setForScale(): Promise<void> {
    return Promise.reject(
      new UserError(
        "--for-scale rewrites the sandbox's own rules; an environment of your own keeps its rules as they are (give a rule a short for: there instead)",
      ),
    );
  }
}
