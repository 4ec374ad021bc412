import { alertFiles, type RuleSet } from '../rules/rule-set.js';
import { namesRead, QUERYING_TEMPLATE } from '../rules/series-read.js';
import type { AlertObservation } from '../promtool/promtool-output.js';
import { replayKey, type ReplayCache, type ReplayInputs } from './replay-cache.js';

/** Series the rule engine writes for alerts: an expression reading them sees other files' alerts. */
const ALERT_SERIES = new Set(['ALERTS', 'ALERTS_FOR_STATE']);

/** Whether every series the expression selects is named literally, and none is an alert series. */
function readsOnlyNamedInput(expr: string): boolean {
  const names = namesRead(expr);
  return names !== undefined && ![...names].some((name) => ALERT_SERIES.has(name));
}

/**
 * Whether, inside promtool, the alerts of each of `files` depend on the input series alone, so that what a run
 * of all of them observes is the union of what each file's alerts do: no recording rule (any file may read
 * its series), no alert reading ALERTS, ALERTS_FOR_STATE or a series not named literally (it could see
 * another file's alerts) or with a label template that queries, and every alert name defined by one file only in the whole run (so that no file is
 * tagged and each observation is attributed to its file, as a run of these files alone would).
 */
export function filesIndependent(rules: RuleSet, files: readonly string[]): boolean {
  const mine = new Set(files);
  if (rules.records.some((r) => mine.has(r.file))) return false;
  return rules.alerts
    .filter((a) => mine.has(a.file))
    .every(
      (a) =>
        alertFiles(rules, a.alert).length === 1 &&
        readsOnlyNamedInput(a.expr) &&
        !Object.values(a.labels).some((value) => QUERYING_TEMPLATE.test(value)),
    );
}

/** Promtool's order of a probe's alerts (Go's labels.Compare over the ALERTS series), by time first. */
export function compareObservations(a: AlertObservation, b: AlertObservation): number {
  if (a.at !== b.at) return a.at - b.at;
  const series = (o: AlertObservation) =>
    Object.entries({ __name__: 'ALERTS', alertname: o.alertname, alertstate: o.state, ...o.labels }).sort(
      ([x], [y]) => (x < y ? -1 : x > y ? 1 : 0),
    );
  const [x, y] = [series(a), series(b)];
  for (let i = 0; i < Math.min(x.length, y.length); i++) {
    const [[xn, xv], [yn, yv]] = [x[i]!, y[i]!];
    if (xn !== yn) return xn < yn ? -1 : 1;
    if (xv !== yv) return xv < yv ? -1 : 1;
  }
  return x.length - y.length;
}

/**
 * What promtool observed in a replay, kept per rule file (with everything else that decides a replay, but
 * not the other rule files), so that a replay of the same scenario with rule files added or left out reuses
 * the observations of the files it shares (`check --rules x` after `check`). Used only for files that are
 * independent (filesIndependent): a wrong reuse would be a false PASS.
 */
export class ObservationCache {
  constructor(private readonly cache: ReplayCache) {}

  private key(inputs: ReplayInputs, file: ReplayInputs['ruleFiles'][number]): Promise<string> {
    return replayKey({ ...inputs, ruleFiles: [file], choices: `observations\0${inputs.choices}` });
  }

  /** The union of the files' observations, in promtool's order; undefined unless every file's is kept. */
  async get(inputs: ReplayInputs): Promise<AlertObservation[] | undefined> {
    const all: AlertObservation[] = [];
    for (const file of inputs.ruleFiles) {
      const kept = await this.cache.get<AlertObservation[]>(await this.key(inputs, file));
      if (!kept) return undefined;
      all.push(...kept);
    }
    return all.sort(compareObservations);
  }

  /** Keeps each file's share; nothing when an observation is not attributed to one of the files. */
  async set(inputs: ReplayInputs, observations: readonly AlertObservation[]): Promise<void> {
    const files = new Set(inputs.ruleFiles.map((f) => f.file));
    if (observations.some((o) => o.ruleFile === undefined || !files.has(o.ruleFile))) return;
    for (const file of inputs.ruleFiles)
      await this.cache.set(
        await this.key(inputs, file),
        observations.filter((o) => o.ruleFile === file.file),
      );
  }
}
