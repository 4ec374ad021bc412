import type { AlertObservation } from '../promtool/promtool-output.js';

/** An alerting rule that actually fired in a run: its name, its file, and when it first fired. */
export interface FiredAlert {
  alert: string;
  ruleFile?: string;
  /** Scenario time (ms after the warm-up) of its first firing. */
  at: number;
}

/** Which rules fired from the scenario's start on, each once, in the order they first fired. */
export function firedAlerts(observations: readonly AlertObservation[], startMs: number): FiredAlert[] {
  const fired = new Map<string, FiredAlert>();
  for (const o of [...observations].sort((a, b) => a.at - b.at)) {
    if (o.state !== 'firing' || o.at < startMs) continue;
    const key = `${o.alertname}\u0000${o.ruleFile ?? ''}`;
    if (!fired.has(key))
      fired.set(key, {
        alert: o.alertname,
        ...(o.ruleFile ? { ruleFile: o.ruleFile } : {}),
        at: o.at - startMs,
      });
  }
  return [...fired.values()];
}

/** The alerts firing at a scenario time (ms after `startMs`), each label set with its alertname. */
export function firingAt(
  observations: readonly AlertObservation[],
  startMs: number,
): (t: number) => Record<string, string>[] {
  const byTime = new Map<number, Record<string, string>[]>();
  for (const o of observations) {
    if (o.state !== 'firing') continue;
    const list = byTime.get(o.at - startMs) ?? [];
    list.push({ alertname: o.alertname, ...o.labels });
    byTime.set(o.at - startMs, list);
  }
  return (t) => byTime.get(t) ?? [];
}
