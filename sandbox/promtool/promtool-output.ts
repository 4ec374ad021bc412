import { parseDuration } from '../../generators/model/duration.js';

/** One alert seen by the rule engine at a probe time. */
export interface AlertObservation {
  /** Promtool time in ms. */
  at: number;
  alertname: string;
  state: 'pending' | 'firing';
  labels: Record<string, string>;
  /** The rule file of the rule that produced it, where known. */
  ruleFile?: string;
}

/** Label sets printed by Go's labels.String(): `{a="x", b="y"}`, values Go-quoted. */
export function parseLabelSets(text: string): Record<string, string>[] {
  const sets: Record<string, string>[] = [];
  let i = 0;
  while ((i = text.indexOf('{', i)) !== -1) {
    const labels: Record<string, string> = {};
    i++;
    for (;;) {
      while (text[i] === ' ' || text[i] === ',') i++;
      if (text[i] === '}' || i >= text.length) break;
      const eq = text.indexOf('=', i);
      const name = text.slice(i, eq);
      let j = eq + 2;
      while (j < text.length && text[j] !== '"') j += text[j] === '\\' ? 2 : 1;
      labels[name] = JSON.parse(text.slice(eq + 1, j + 1)) as string;
      i = j + 1;
    }
    sets.push(labels);
    i++;
  }
  return sets;
}

/**
 * Reads what `promtool test rules` printed for our probes: each failed `ALERTS` expectation lists the alerts
 * active at that time. Returns undefined when the output is not such a report (an error to show instead).
 */
export function parsePromtoolReport(output: string): AlertObservation[] | undefined {
  if (/^\s*SUCCESS\s*$/m.test(output)) return [];
  if (!/^\s*FAILED:\s*$/m.test(output) || !/expr: "ALERTS"/.test(output)) return undefined;
  const observations: AlertObservation[] = [];
  const blocks = output.split(/\n\s*expr: "ALERTS", time: /).slice(1);
  for (const block of blocks) {
    const at = parseDuration(block.slice(0, block.indexOf(','))) ?? 0;
    const got = /\n\s*got:\s*(.*)/.exec(block)?.[1] ?? '';
    for (const labels of parseLabelSets(got)) {
      const { __name__: _name, alertname, alertstate, ...rest } = labels;
      if (!alertname || (alertstate !== 'pending' && alertstate !== 'firing')) continue;
      observations.push({ at, alertname, state: alertstate, labels: rest });
    }
  }
  return observations;
}
