import type { FaultRequest } from '../../../generators/model/faults/fault-catalogue.js';
import type { ParamValue } from '../../../generators/model/faults/definition.js';
import type { Notification } from '../../stack/webhook-receiver.js';

/**
 * What a live replay drives and reads: a running sandbox (in this process, or behind its control API), or
 * an environment of your own (a Prometheus-compatible rule evaluator, Alertmanager, remote generators).
 */
export interface LiveTarget {
  /** Prometheus' base URL (a path prefix included), for /api/v1/rules (its alerts, with their rule files). */
  readonly prometheusUrl: string;
  /** Headers every request to Prometheus and Alertmanager carries (auth, tenant); none for the sandbox's. */
  readonly apiHeaders?: { prometheus: Record<string, string>; alertmanager: Record<string, string> };
  /** What the run is against, in words, for the report; absent: the sandbox's own stack. */
  readonly environment?: string;
  /** Where `notifications()` come from: the sandbox's webhook (default), or Alertmanager's view of its alerts. */
  readonly notificationSource?: 'webhook' | 'alertmanager';
  /** Whether Alertmanager runs, so that its notifications can be expected. */
  readonly alertmanagerRunning: boolean;
  /** The scrape and rule evaluation interval of the stack's Prometheus, ms. */
  readonly evaluationIntervalMs: number;
  /** URLs of the running services by name, for the {grafana}-style links in captions. */
  links(): Readonly<Record<string, string>>;
  setFault(request: FaultRequest): void | Promise<void>;
  clearFault(name: string): void | Promise<void>;
  setKnob(name: string, value: ParamValue): void | Promise<void>;
  /** The faults that are on, as they were asked for. */
  activeFaults(): FaultRequest[];
  knobs(): Readonly<Record<string, ParamValue>>;
  /** Notifications the webhook received (or alerts Alertmanager routed to receivers), oldest first. */
  notifications(): readonly Notification[];
  /** The rule file a scenario names for a file Prometheus loaded (the stack keeps copies under other names). */
  ruleFileOf(loaded: string): string | undefined;
  /** Multiplies every alerting rule's `for:` by `scale` (1 restores them) and waits until Prometheus has them. */
  setForScale(scale: number): Promise<void>;
}
