import type { Command } from 'commander';
import { readUserFile } from '../../../generators/model/user-file.js';
import { formatDuration } from '../../../generators/model/duration.js';
import { UserError } from '../../../generators/user-error.js';
import { onSignals } from '../../cleanup.js';
import { replayInSandbox, runningSandbox, untilRulesLoaded } from '../../replay/live/control-client.js';
import type { LiveReplayEvent } from '../../replay/live/live-replay.js';
import type { ScenarioResult } from '../../replay/replay-scenarios.js';
import { environmentOf, type EnvironmentFlags } from '../../replay/live/remote/environment-flags.js';
import { replayRemote } from '../../replay/live/remote/remote-replay.js';
import { resolveScenarioRef } from '../../scenario/scenario-catalogue.js';
import type { SystemCatalogue } from '../../systems/system-catalogue.js';
import { collect, parseUrl } from '../options.js';
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

/** The flags of `replay --mode live` against an environment of your own. */
export function withEnvironmentOptions(command: Command): Command {
  return command
    .option(
      '--prometheus <url>',
      'live: judge on this Prometheus-compatible API (a Mimir ruler: .../prometheus)',
      parseUrl,
    )
    .option(
      '--alertmanager <url>',
      "live: and on this Alertmanager's view of the alerts' receivers",
      parseUrl,
    )
    .option(
      '--prometheus-header <name=value>',
      'live: send this header to --prometheus (repeatable)',
      collect,
      [],
    )
    .option(
      '--alertmanager-header <name=value>',
      'live: send this header to --alertmanager (repeatable)',
      collect,
      [],
    )
    .option(
      '--prometheus-auth <kind:source>',
      'live: bearer-file:PATH, bearer-env:VAR, basic-file:PATH or basic-env:VAR',
    )
    .option('--alertmanager-auth <kind:source>', 'live: as --prometheus-auth, for --alertmanager')
    .option('--tenant <id>', 'live: X-Scope-OrgID for both (Mimir, Cortex)')
    .option(
      '--generators <urls>',
      'live: control APIs of `sandbox generate --control-port` (comma-separated)',
    )
    .option('--generators-token-file <file>', "live: the file holding the generators' control token (0600)");
}

const ENVIRONMENT_FLAGS = [
  'alertmanager',
  'prometheusAuth',
  'alertmanagerAuth',
  'tenant',
  'generators',
  'generatorsTokenFile',
] as const;

/** The environment flags given, when --prometheus is; refused without it, or outside --mode live. */
export function environmentFlagsOf(
  options: Partial<EnvironmentFlags>,
  mode: 'simulated' | 'live',
): EnvironmentFlags | undefined {
  const given = [
    ...ENVIRONMENT_FLAGS.filter((k) => options[k] !== undefined),
    ...(options.prometheusHeader?.length ? ['prometheusHeader'] : []),
    ...(options.alertmanagerHeader?.length ? ['alertmanagerHeader'] : []),
  ].map((k) => `--${k.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`)}`);
  if (options.prometheus === undefined && given.length === 0) return undefined;
  if (mode !== 'live')
    throw new UserError(`--prometheus and the flags of an environment of your own apply to --mode live only`);
  if (options.prometheus === undefined)
    throw new UserError(`${given.join(', ')} need --prometheus URL (the rule evaluator to judge on)`);
  return options as EnvironmentFlags;
}

/** `sandbox replay --mode live`: each scenario in turn, in real time, in the running sandbox or your environment. */
export async function replayLiveCli(
  refs: readonly string[],
  options: {
    forScale: number;
    systems: readonly string[];
    catalogue: SystemCatalogue;
    environment?: EnvironmentFlags;
  },
  io: CliIo,
): Promise<ScenarioResult[]> {
  if (refs.length === 0) {
    throw new UserError(
      '--mode live needs scenario names or files (it runs in real time), e.g. `sandbox replay --mode live node-down --for-scale 0.1`',
    );
  }
  // A misspelt scenario is worth saying even when no sandbox runs.
  const files = await Promise.all(refs.map(resolveScenarioRef));
  if (options.environment) return replayInEnvironment(files, options.environment, options, io);
  const systems = options.systems.flatMap(runningSystemRefs);
  const sandbox = await runningSandbox();
  const abort = new AbortController();
  const removeHandler = onSignals(() => abort.abort());
  try {
    await untilRulesLoaded(io.status, abort.signal);
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

async function replayInEnvironment(
  files: readonly string[],
  flags: EnvironmentFlags,
  options: { forScale: number; catalogue: SystemCatalogue },
  io: CliIo,
): Promise<ScenarioResult[]> {
  if (options.forScale !== 1) {
    throw new UserError(
      "--for-scale rewrites the sandbox's own rules; with --prometheus the rules stay as your evaluator has them (give a rule a short for: there)",
    );
  }
  const environment = await environmentOf(flags);
  const abort = new AbortController();
  const removeHandler = onSignals(() => abort.abort());
  try {
    return await replayRemote(files, environment, options.catalogue, progressPrinter(io), abort.signal);
  } finally {
    removeHandler();
  }
}
