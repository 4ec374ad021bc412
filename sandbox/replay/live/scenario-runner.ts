import { UserError } from '../../../generators/user-error.js';
import { assertRulesDistinct } from '../../rules/clash-check.js';
import { parseScenario, type LoadedScenario, type ScenarioVocabulary } from '../../scenario/load-scenario.js';
import type { ScenarioResult } from '../replay-scenarios.js';
import type { LiveTarget } from './live-target.js';
import { replayLive, type LiveReplayOptions } from './live-replay.js';

/** Runs live scenarios against one sandbox, one at a time (they would fight over the faults). */
export class LiveScenarioRunner {
  private current: { name: string; abort: AbortController } | undefined;
  /** Each parsed scenario's text, for the positions of what is reported about it. */
  private readonly texts = new WeakMap<LoadedScenario, string>();

  /** `rulesLoaded`: a scenario starts (its clock too) only once the target's alert rules are loaded. */
  constructor(
    private readonly target: LiveTarget,
    private readonly vocabulary: ScenarioVocabulary,
    private readonly rulesLoaded: Promise<void> = Promise.resolve(),
  ) {}

  /** The name of the scenario running now, if any. */
  get running(): string | undefined {
    return this.current?.name;
  }

  /**
   * Validates a scenario against this sandbox's systems, faults, knobs and loaded rules; `systems` are
   * more systems the run needs (`--system`: names or absolute paths).
   */
  parse(file: string, text: string, systems: readonly string[] = []): LoadedScenario {
    for (const ref of systems) {
      const problem = this.vocabulary.systemProblem?.(ref, file);
      if (problem) throw new UserError(`--system ${ref}: ${problem}`);
    }
    const loaded = parseScenario(file, text, this.vocabulary);
    const { rules, projectAlerts } = this.vocabulary;
    if (rules) assertRulesDistinct(rules, [loaded.scenario], projectAlerts);
    this.texts.set(loaded, text);
    return loaded;
  }

  async run(
    loaded: LoadedScenario,
    options: Omit<LiveReplayOptions, 'signal'> = {},
  ): Promise<ScenarioResult> {
    if (this.current) {
      throw new UserError(
        `scenario ${this.current.name} is running in this sandbox; wait for it or stop it first`,
      );
    }
    const abort = new AbortController();
    this.current = { name: loaded.scenario.name, abort };
    try {
      // Judged against a Prometheus without rules, every "no alert" would pass.
      await untilLoaded(this.rulesLoaded, abort.signal);
      const { rules } = this.vocabulary;
      const text = this.texts.get(loaded);
      const known = rules && text !== undefined ? { rules, text } : undefined;
      return await replayLive(loaded, this.target, { ...options, signal: abort.signal, loaded: known });
    } finally {
      this.current = undefined;
    }
  }

  /** Ends the running scenario early (its faults, knobs and rules are put back). */
  stop(): void {
    this.current?.abort.abort();
  }
}

/** Waits for the rules; a stop meanwhile ends the wait. */
async function untilLoaded(rulesLoaded: Promise<void>, signal: AbortSignal): Promise<void> {
  let onAbort = () => undefined as unknown;
  const stopped = new Promise<never>((_, reject) => {
    onAbort = () => reject(new UserError('stopped while waiting for the alert rules to load', 1));
    signal.addEventListener('abort', onAbort, { once: true });
  });
  try {
    await Promise.race([rulesLoaded, stopped]);
  } finally {
    signal.removeEventListener('abort', onAbort);
  }
}
