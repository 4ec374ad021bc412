import type { FaultRequest } from '../../../generators/model/faults/catalogue.js';
import type { ParamValue } from '../../../generators/model/faults/definition.js';
import type { Notification } from '../../stack/webhook-receiver.js';

/** What a live replay drives and reads: a running sandbox (in this process, or behind its control API). */
export interface LiveTarget {
  /** Prometheus' base URL, for /api/v1/rules (its alerts, with their rule files). */
  readonly prometheusUrl: string;
  /** Whether Alertmanager runs, so that its notifications can be expected. */
  readonly alertmanagerRunning: boolean;
  /** The scrape and rule evaluation interval of the stack's Prometheus, ms. */
  readonly evaluationIntervalMs: number;
  /** URLs of the running services by name, for the {grafana}-style links in captions. */
  links(): Readonly<Record<string, string>>;
  setFault(request: FaultRequest): void;
  clearFault(name: string): void;
  setKnob(name: string, value: ParamValue): void;
  /** The faults that are on, as they were asked for. */
  activeFaults(): FaultRequest[];
  knobs(): Readonly<Record<string, ParamValue>>;
  /** Notifications the webhook received, oldest first. */
  notifications(): readonly Notification[];
  /** The rule file a scenario names for a file Prometheus loaded (the stack keeps copies under other names). */
  ruleFileOf(loaded: string): string | undefined;
  /** Multiplies every alerting rule's `for:` by `scale` (1 restores them) and waits until Prometheus has them. */
  setForScale(scale: number): Promise<void>;
}
