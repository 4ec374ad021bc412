import { readUserFile } from '../../../generators/model/user-file.js';
import { formatDuration } from '../../../generators/model/duration.js';
import { UserError } from '../../../generators/model/errors.js';
import { onSignals } from '../../cleanup.js';
import { replayInSandbox, runningSandbox } from '../../replay/live/control-client.js';
import type { LiveReplayEvent } from '../../replay/live/live-replay.js';
import type { ScenarioResult } from '../../replay/replay.js';
import { resolveScenarioRef } from '../../scenario/catalogue.js';
import { systemTarget } from '../../systems/system-refs.js';
import type { CliIo } from '../io.js';

const clock = (ms: number) => formatDuration(Math.round(ms / 1000) * 1000);

/** Progress lines for a live run: steps, captions, and each expectation when it is decided. */
function progressPrinter(io: CliIo): (event: LiveReplayEvent) => void {
  const decided = new Set<string>();
  return (event) => {
    if (event.type === 'started') {
      io.status(
        `live: ${event.scenario} runs for ${clock(event.durationMs)} in real time (for-scale ${event.forScale})`,
      );
    } else if (event.type === 'step') {
      io.status(
        `  ${clock(event.atMs).padStart(7)}  ${event.action}${event.caption ? `: ${event.caption}` : ''}`,
      );
    } else if (event.type === 'progress') {
      for (const e of event.expectations) {
        if (e.status === 'waiting' || decided.has(e.expectation)) continue;
        decided.add(e.expectation);
        const mark = e.status === 'passed' ? 'ok  ' : 'FAIL';
        io.status(`  ${clock(event.elapsedMs).padStart(7)}  ${mark} ${e.expectation}: ${e.detail}`);
      }
    } else if (event.type === 'finished') {
      for (const line of event.result.vacuous ?? []) io.status(`warning: ${line}`);
    }
  };
}

/** `--system` as the running sandbox can check it: names, and absolute paths of system files. */
function runningSystemRefs(ref: string): string[] {
  const target = systemTarget(ref, process.cwd());
  if (target.kind === 'missing') throw new UserError(target.message);
  return target.kind === 'typescript' ? [target.name] : target.files;
}

/** `sandbox replay --mode live`: each scenario in turn, in the running sandbox, in real time. */
export async function replayLiveCli(
  refs: readonly string[],
  options: { forScale: number; systems: readonly string[] },
  io: CliIo,
): Promise<ScenarioResult[]> {
  if (refs.length === 0) {
    throw new UserError(
      '--mode live needs scenario names or files (it runs in real time), e.g. `sandbox replay --mode live node-down --for-scale 0.1`',
    );
  }
  // A misspelt scenario is worth saying even when no sandbox runs.
  const files = await Promise.all(refs.map(resolveScenarioRef));
  const systems = options.systems.flatMap(runningSystemRefs);
  const sandbox = await runningSandbox();
  const abort = new AbortController();
  const removeHandler = onSignals(() => abort.abort());
  try {
    const results: ScenarioResult[] = [];
    for (const file of files) {
      const text = await readUserFile(file, 'scenario file');
      const request = { file, text, forScale: options.forScale, systems };
      results.push(await replayInSandbox(sandbox.control, request, progressPrinter(io), abort.signal));
    }
    return results;
  } catch (error) {
    if (abort.signal.aborted)
      throw new UserError('live replay interrupted; the sandbox put its faults back', 130);
    throw error;
  } finally {
    removeHandler();
  }
}
