import { basename } from 'node:path';
import type { LiveGenerators } from '../../generators/live/live-generators.js';
import type { FaultRequest } from '../../generators/model/faults/fault-catalogue.js';
import type { ParamValue } from '../../generators/model/faults/definition.js';
import type { LiveTarget } from '../replay/live/live-target.js';
import { scaleRuleFile } from '../rules/for-scale.js';
import type { StackRuleFile } from '../rules/stack-rules.js';
import { loadAlertRulesFromText } from '../rules/rule-files.js';
import { fetchAlertingRules } from './prometheus-api.js';
import type { RunningStack } from './running-stack.js';
import type { WebhookReceiver } from './webhook-receiver.js';

/** The running sandbox as a live replay (and the TUI) drive it: faults, knobs, rules, notifications. */
export class SandboxControl implements LiveTarget {
  private readonly faults = new Map<string, FaultRequest>();

  constructor(
    private readonly stack: RunningStack,
    private readonly generators: LiveGenerators,
    private readonly webhook: WebhookReceiver,
    private readonly rules: readonly StackRuleFile[],
    readonly evaluationIntervalMs: number,
    initialFaults: readonly FaultRequest[],
  ) {
    for (const f of initialFaults) this.faults.set(f.name, f);
  }

  get prometheusUrl(): string {
    return this.stack.service('prometheus')!.url();
  }

  get alertmanagerRunning(): boolean {
    return this.stack.running('alertmanager');
  }

  links(): Readonly<Record<string, string>> {
    return Object.fromEntries(
      this.stack
        .services()
        .filter((s) => s.state === 'running' && s.url)
        .map((s) => [s.service, s.url!]),
    );
  }

  setFault(request: FaultRequest): void {
    // The model catches up to now first, so the fault starts now and not at the last scrape.
    this.generators.step();
    this.generators.simulation.setFault(request);
    this.faults.set(request.name, request);
  }

  clearFault(name: string): void {
    this.generators.step();
    this.generators.simulation.clearFault(name);
    this.faults.delete(name);
  }

  setKnob(name: string, value: ParamValue): void {
    this.generators.step();
    this.generators.simulation.setKnob(name, value);
  }

  activeFaults(): FaultRequest[] {
    return [...this.faults.values()];
  }

  knobs(): Readonly<Record<string, ParamValue>> {
    return this.generators.simulation.knobs();
  }

  ruleFileOf(loaded: string): string | undefined {
    return this.rules.find((f) => basename(loaded) === f.name)?.source;
  }

  notifications() {
    return this.webhook.notifications.toArray();
  }

  async setForScale(scale: number, timeoutMs = 20_000): Promise<void> {
    const files = this.rules.map((f) => scaleRuleFile(f, scale));
    await this.stack.replaceRules(files);
    const expected = new Map(
      files.flatMap((f) => loadAlertRulesFromText(f.name, f.content)).map((r) => [r.alert, r.forMs / 1000]),
    );
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const loaded = await fetchAlertingRules(this.prometheusUrl).catch(() => []);
      if (
        loaded.length > 0 &&
        loaded.every((r) => !expected.has(r.name) || expected.get(r.name) === r.duration)
      )
        return;
      if (Date.now() > deadline) {
        throw new Error(
          `Prometheus did not reload the rules with for-scale ${scale} within ${timeoutMs / 1000}s`,
        );
      }
      await new Promise((r) => setTimeout(r, 200));
    }
  }
}
