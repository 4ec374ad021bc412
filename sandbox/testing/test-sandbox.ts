import type { ParamValue } from '../../generators/model/faults/definition.js';
import type { LogRecord } from '../../generators/model/types.js';
import type { ApiAlert } from '../stack/prometheus-api.js';
import type { Sandbox } from '../stack/sandbox-stack.js';
import type { StackService } from '../stack/services/registry.js';
import type { ServiceHandle } from '../stack/services/service-module.js';
import type { Notification } from '../stack/webhook-receiver.js';
import { waitForAlert, type WaitForAlertOptions } from './wait-for-alert.js';

/** The stack's services: Prometheus and Alertmanager always run; the others when they could start. */
export type SandboxServices = Record<'prometheus' | 'alertmanager', ServiceHandle> &
  Partial<Record<StackService, ServiceHandle>>;

/** A running sandbox as a test drives it; `await using` stops it at the end of the block. */
export class TestSandbox implements AsyncDisposable {
  readonly services: SandboxServices;
  private stopping: Promise<void> | undefined;

  constructor(
    /** The sandbox underneath (its stack, generators and state), for what this handle does not cover. */
    readonly sandbox: Sandbox,
    private readonly ownMessages: readonly string[],
    private readonly teardown: () => Promise<void>,
  ) {
    const running = sandbox.stack.services().filter((s) => s.state === 'running');
    this.services = Object.fromEntries(
      running.map((s) => [s.service, sandbox.stack.service(s.service)!]),
    ) as SandboxServices;
  }

  /** Switches a fault on (its parameters as in `--fault name:k=v`, or their defaults). */
  fault(name: string, params: Readonly<Record<string, ParamValue>> = {}): void {
    this.sandbox.control.setFault({ name, params });
  }

  /** Switches a fault off. */
  clear(name: string): void {
    this.sandbox.control.clearFault(name);
  }

  /** Sets one of the systems' knobs. */
  knob(name: string, value: ParamValue): void {
    this.sandbox.control.setKnob(name, value);
  }

  /** Waits until Prometheus shows the alert in the state asked for (default firing); see WaitForAlertOptions. */
  waitForAlert(name: string, options?: WaitForAlertOptions): Promise<ApiAlert[]> {
    return waitForAlert(this.services.prometheus.url(), name, options);
  }

  /** The alerts Alertmanager has sent to the sandbox's webhook so far, oldest first. */
  notifications(): Notification[] {
    return this.sandbox.control.notifications();
  }

  /** The generators' latest log lines, oldest first. */
  logs(): LogRecord[] {
    return this.sandbox.generators.logs.toArray();
  }

  /** The sandbox's own messages (what it could not start, what it dropped). */
  messages(): string[] {
    return [...this.ownMessages];
  }

  /** Stops everything and removes what the sandbox made; a second call waits for the first. */
  stop(): Promise<void> {
    this.stopping ??= this.teardown();
    return this.stopping;
  }

  [Symbol.asyncDispose](): Promise<void> {
    return this.stop();
  }
}
