import { execFile } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { mkdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { UserError } from '../../generators/model/errors.js';
import { trackChild, trackTempDir } from '../cleanup.js';
import { promtoolTestFile } from '../../generators/replay/promtool-test-file.js';
import type { RecordedSeries } from '../../generators/replay/series-recorder.js';
import { parsePromtoolReport, type AlertObservation } from './promtool-output.js';

const run = promisify(execFile);

export interface PromtoolRun {
  promtool: string;
  ruleFiles: readonly string[];
  evaluationIntervalMs: number;
  series: readonly RecordedSeries[];
  probes: readonly number[];
  /** Keep the generated test file in this directory instead of a temporary one. */
  keepDir?: string;
  /** File name stem for the kept test file. */
  name: string;
}

async function execute(promtool: string, args: string[]): Promise<{ code: number; output: string }> {
  try {
    const pending = run(promtool, args, { maxBuffer: 512 * 1024 * 1024 });
    trackChild(pending.child);
    const { stdout, stderr } = await pending;
    return { code: 0, output: stdout + stderr };
  } catch (error) {
    const e = error as { code?: number | string; stdout?: string; stderr?: string; message: string };
    if (typeof e.code === 'string') throw new UserError(`cannot run promtool at ${promtool}: ${e.message}`);
    return { code: e.code ?? 1, output: (e.stdout ?? '') + (e.stderr ?? '') };
  }
}

/** Validates rule files with `promtool check rules`; a failure becomes one line naming file:line:column. */
export async function checkRules(promtool: string, ruleFiles: readonly string[]): Promise<void> {
  const { code, output } = await execute(promtool, ['check', 'rules', ...ruleFiles]);
  if (code === 0) return;
  const lines = output.split('\n').map((l) => l.trim());
  const located = lines.find((l) => ruleFiles.some((f) => l.startsWith(`${f}:`)));
  const failed = lines.findIndex((l) => l === 'FAILED:');
  const detail = located ?? lines.slice(failed + 1).find((l) => l !== '') ?? output.trim();
  throw new UserError(`rules fail promtool's check: ${detail}; fix the rule file and run again`);
}

/** Runs the real rule engine over the series and returns every alert it reported at the probe times. */
export async function runPromtool(options: PromtoolRun): Promise<AlertObservation[]> {
  // Created synchronously so that a signal cannot arrive between creating and tracking it.
  const dir = options.keepDir ?? mkdtempSync(join(tmpdir(), 'obs-sandbox-replay-'));
  const untrack = options.keepDir ? () => undefined : trackTempDir(dir);
  try {
    if (options.keepDir) await mkdir(dir, { recursive: true });
    const file = join(dir, `${options.name}.promtool-test.yml`);
    await writeFile(
      file,
      promtoolTestFile({
        ruleFiles: options.ruleFiles,
        evaluationIntervalMs: options.evaluationIntervalMs,
        series: options.series,
        probes: options.probes,
      }),
    );
    const { output } = await execute(options.promtool, ['test', 'rules', file]);
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
