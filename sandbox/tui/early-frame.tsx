import { render } from 'ink';
import { clearSplash } from '../cli/splash.js';
import { App } from './components/index.js';
import type { TuiViewModel } from './view-model.js';

/** Ink's options for the sandbox's UI; the first render() on a stream fixes them for the later ones. */
export const INK_OPTIONS = { exitOnCtrlC: false, patchConsole: true } as const;

function loadingView(): TuiViewModel {
  return {
    nowMs: Date.now(),
    phase: 'starting',
    progress: [{ id: 'load', label: 'loading the sandbox', state: 'running', elapsedMs: 0 }],
    services: [],
    traffic: [],
    alerts: [],
    notifications: [],
    scenarios: [],
    faults: [],
    logs: [],
  };
}

/**
 * Draws the UI's start-up screen while the rest of the CLI loads (the stack's modules take most of a
 * second); ink keeps one instance per stream, so the session's UI takes this one over. Nothing has started
 * yet: q or Ctrl-C just exit.
 */
export function drawEarlyFrame(): void {
  clearSplash();
  const exit = () => process.exit(130);
  render(
    <App
      view={loadingView()}
      actions={{
        runScenario: () => undefined,
        stopScenario: () => undefined,
        toggleFault: () => undefined,
        quit: exit,
      }}
    />,
    INK_OPTIONS,
  );
}
