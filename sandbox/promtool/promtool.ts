import { createHash } from 'node:crypto';
import { chmodSync, mkdtempSync } from 'node:fs';
import { rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { UserError } from '../../generators/user-error.js';
import { removeOnExit } from '../cleanup.js';
import { makeUserDirectory } from '../user-directory.js';
import { withOriginalRuleFiles } from '../rules/prometheus-rule-resource.js';
import { promtoolIdentity, type Promtool } from './promtool-runner.js';
import { promtoolTestFile } from '../../generators/promtool-tests/promtool-test-file.js';
import type { RecordedSeries } from '../../generators/promtool-tests/series-recorder.js';
import { parsePromtoolReport, type AlertObservation } from './promtool-output.js';
import { explainCheckFailure } from './promtool-check-output.js';
import { readUserFile } from '../../generators/model/user-file.js';
import { RuleFilePlaces } from '../rules/rule-file-places.js';
import { ruleFileProblem } from '../rules/rule-file-limits.js';
import { loadRuleSet } from '../rules/rule-set.js';
import { inputNamesRead } from '../rules/series-read.js';

export interface PromtoolRun {
  promtool: Promtool;
  ruleFiles: readonly string[];
  evaluationIntervalMs: number;
  series: readonly RecordedSeries[];
  probes: readonly number[];
  /** Keep the generated test file in this directory instead of a temporary one. */
  keepDir?: string;
  /** File name stem for the kept test file. */
  name: string;
}

/** Rule files promtool passed in this process: by the promtool, and each file's path and text. */
const passedChecks = new Set<string>();

/** The check's key, when every file reads (else the check runs, and reports what does not read as before). */
async function checkKey(promtool: Promtool, ruleFiles: readonly string[]): Promise<string | undefined> {
  const hash = createHash('sha256').update(await promtoolIdentity(promtool));
  for (const file of ruleFiles) {
    const text = await readUserFile(file, 'rule file').catch(() => undefined);
    if (text === undefined) return undefined;
    hash.update(`\0${file}\0${text.length}\0`).update(text);
  }
  return hash.digest('hex');
}

/**
 * Validates rule files with `promtool check rules`, then what the sandbox needs beyond it (rules in every
 * file, alerts that can fire in a scenario); a failure is one line naming file:line:col, group and rule.
 * Files of the same text that the same promtool passed in this process are not handed to it again (`check`
 * checks its rules, then its replays do).
 */
export async function checkRules(promtool: Promtool, ruleFiles: readonly string[]): Promise<void> {
  const key = await checkKey(promtool, ruleFiles);
  const { code, output } =
    key !== undefined && passedChecks.has(key)
      ? { code: 0, output: '' }
      : await promtool.run(['check', 'rules', ...ruleFiles], ruleFiles);
  const places = new Map<string, RuleFilePlaces>();
  for (const file of ruleFiles) places.set(file, new RuleFilePlaces(await readUserFile(file, 'rule file')));
  if (code !== 0) {
    const detail =
      explainCheckFailure(output, ruleFiles, (file) => places.get(file)) ??
      output.trim().replace(/\s*\n\s*/g, ' ');
    throw new UserError(
      `rules fail promtool's check: ${withOriginalRuleFiles(detail)}; fix the rule file and run again`,
    );
  }
  if (key !== undefined) passedChecks.add(key);
  for (const [file, filePlaces] of places) {
    const problem = ruleFileProblem(file, filePlaces);
    if (problem) throw new UserError(withOriginalRuleFiles(problem));
  }
}

/**
 * The series the rule files can read: promtool's time goes into evaluating rules over the series they
 * select, and a series of a name no selector names changes nothing it reports (all when any may be read).
 */
export async function seriesRead(
  ruleFiles: readonly string[],
  series: readonly RecordedSeries[],
): Promise<readonly RecordedSeries[]> {
  const names = inputNamesRead(await loadRuleSet(ruleFiles));
  return names ? series.filter((s) => names.has(s.name)) : series;
}

/** Runs the real rule engine over the series and returns every alert it reported at the probe times. */
export async function runPromtool(options: PromtoolRun): Promise<AlertObservation[]> {
  // Created synchronously so that a signal cannot arrive between creating and tracking it.
  const dir = options.keepDir ?? mkdtempSync(join(tmpdir(), 'obs-sandbox-replay-'));
  // Readable by a container's promtool, which may run as another user.
  if (!options.keepDir) chmodSync(dir, 0o755);
  const untrack = options.keepDir ? () => undefined : removeOnExit(dir);
  try {
    if (options.keepDir) await makeUserDirectory(dir, '--keep');
    const file = join(dir, `${options.name}.promtool-test.yml`);
    await writeFile(
      file,
      promtoolTestFile({
        ruleFiles: options.ruleFiles,
        evaluationIntervalMs: options.evaluationIntervalMs,
        series: await seriesRead(options.ruleFiles, options.series),
        probes: options.probes,
      }),
    );
    const { output } = await options.promtool.run(['test', 'rules', file], [file, ...options.ruleFiles]);
    const observations = parsePromtoolReport(output);
    if (!observations) {
      const reason = output.trim().split('\n').slice(0, 4).join(' ').replace(/\s+/g, ' ');
      throw new UserError(`promtool could not run the replay of ${options.name}: ${reason}`);
    }
    return observations;
  } finally {
    if (!options.keepDir) await rm(dir, { recursive: true, force: true });
    untrack();
  }
}
