import { UserError } from '../../../generators/user-error.js';
import type { ReplayRequest } from '../../stack/control-server.js';
import { processAlive, readState, type SandboxState } from '../../stack/state.js';
import type { ScenarioResult } from '../replay-scenarios.js';
import type { LiveReplayEvent } from './live-replay.js';

/** The running sandbox's control API, from its state file; a clear error when none runs. */
export async function runningSandbox(): Promise<SandboxState & { control: { url: string; token: string } }> {
  const state = await readState();
  if (!state || !processAlive(state.pid) || !state.control) {
    throw new UserError(
      'no sandbox is running; start one with `sandbox start` (or `sandbox start --detach`), then run this again',
    );
  }
  return state as SandboxState & { control: { url: string; token: string } };
}

/**
 * Waits until the running sandbox's alert rules are loaded (they load after Prometheus' first scrapes, once
 * it is ready), saying so; bounded. The sandbox waits for them too before a scenario starts: this is the
 * message, and an end to a wait on a sandbox that went away.
 */
export async function untilRulesLoaded(
  onStatus: (line: string) => void,
  signal?: AbortSignal,
  timeoutMs = 120_000,
  pollMs = 250,
): Promise<void> {
  let state = await readState();
  if (state?.rules !== 'loading') return;
  onStatus(
    "live: the sandbox is loading its alert rules (after Prometheus' first scrapes); the scenario starts then",
  );
  const deadline = Date.now() + timeoutMs;
  while (state?.rules === 'loading' && processAlive(state.pid)) {
    signal?.throwIfAborted();
    if (Date.now() > deadline)
      throw new UserError(
        `the sandbox had not loaded its alert rules after ${timeoutMs / 1000}s; see its output`,
        1,
      );
    await new Promise((r) => setTimeout(r, pollMs));
    state = await readState();
  }
  if (state?.rules !== 'loaded')
    throw new UserError('the sandbox stopped before its alert rules were loaded; see its output', 1);
}

/** Runs a scenario in the running sandbox, streaming its events; aborting the signal stops it there. */
export async function replayInSandbox(
  control: { url: string; token: string },
  request: ReplayRequest,
  onEvent: (event: LiveReplayEvent) => void,
  signal?: AbortSignal,
): Promise<ScenarioResult> {
  const response = await fetch(`${control.url}/v1/replay`, {
    method: 'POST',
    headers: { authorization: `Bearer ${control.token}`, 'content-type': 'application/json' },
    body: JSON.stringify(request),
    signal,
  }).catch((error: unknown) => {
    throw new UserError(
      `cannot reach the sandbox's control API at ${control.url} (${(error as Error).message}); is it still running? see \`sandbox status\``,
    );
  });
  if (!response.ok || !response.body) {
    const body = (await response.json().catch(() => ({}))) as { error?: string };
    throw new UserError(
      body.error ?? `the sandbox answered ${response.status}`,
      response.status === 409 ? 1 : 2,
    );
  }
  let buffered = '';
  let result: ScenarioResult | undefined;
  const decoder = new TextDecoder();
  for await (const chunk of response.body as AsyncIterable<Uint8Array>) {
    buffered += decoder.decode(chunk, { stream: true });
    let newline;
    while ((newline = buffered.indexOf('\n')) !== -1) {
      const event = JSON.parse(buffered.slice(0, newline)) as
        LiveReplayEvent | { type: 'error'; error: string };
      buffered = buffered.slice(newline + 1);
      if (event.type === 'error') throw new UserError(`live replay failed in the sandbox: ${event.error}`, 1);
      if (event.type === 'finished') result = event.result;
      onEvent(event);
    }
  }
  if (!result) throw new UserError('the sandbox ended the live replay without a result; see its output', 1);
  return result;
}
