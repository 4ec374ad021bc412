import type { SandboxState } from '../../stack/state.js';
import type { OutputView } from '../../tui/view-model.js';

/** The generators' pushes outside the stack, or why the running sandbox did not say. */
export type PushesAnswer = { outputs: OutputView[] } | { unknown: string };

/** Asks the running sandbox's control API (its token from the 0600 state file) for its pushes. */
export async function fetchPushes(control: NonNullable<SandboxState['control']>): Promise<PushesAnswer> {
  try {
    const res = await fetch(`${control.url}/v1/outputs`, {
      headers: { authorization: `Bearer ${control.token}` },
      signal: AbortSignal.timeout(3000),
    });
    if (!res.ok) return { unknown: `the control API answered HTTP ${res.status}` };
    const body = (await res.json()) as { outputs?: unknown };
    if (!Array.isArray(body.outputs)) return { unknown: 'the control API answered no outputs' };
    return { outputs: body.outputs as OutputView[] };
  } catch (error) {
    return { unknown: `the control API did not answer (${(error as Error).message})` };
  }
}

const count = (n: number) => n.toLocaleString('en');

/** `status`'s lines for the pushes: one each, and its last error under it; none without pushes. */
export function pushLines(answer: PushesAnswer): string[] {
  if ('unknown' in answer) return [`pushes: unknown: ${answer.unknown}`];
  if (answer.outputs.length === 0) return [];
  return [
    'pushes:',
    ...answer.outputs.flatMap((o) => [
      `  ${o.name.padEnd(13)}sent ${count(o.sent)} queued ${count(o.queued)} dropped ${count(o.dropped)}  ${o.url}`,
      ...(o.lastError === undefined ? [] : [`    last error: ${o.lastError}`]),
    ]),
  ];
}

/** `status --json`'s pushes: `outputs` (an empty list without pushes), or `outputsUnknown` saying why not. */
export function pushesJson(answer: PushesAnswer): { outputs: OutputView[] } | { outputsUnknown: string } {
  return 'unknown' in answer ? { outputsUnknown: answer.unknown } : { outputs: answer.outputs };
}
