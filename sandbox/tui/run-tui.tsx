import { render } from 'ink';
import { onSignals, signalExitCode } from '../cleanup.js';
import { clearSplash } from '../cli/splash.js';
import { App } from './components/index.js';
import { INK_OPTIONS } from './early-frame.js';
import type { SandboxSession } from '../session/session.js';
import type { TuiActions } from './view-model.js';

export interface TuiOptions {
  /** Redraws at least this often (elapsed times, spinners), ms. */
  tickMs?: number;
  /** At most one redraw per this many ms, however many events arrive. */
  minFrameMs?: number;
  /** Once running, start this scenario (the demo). */
  autoRunScenario?: string;
}

/**
 * The ink terminal UI over a session: starts it, redraws on its changes (throttled, so that rendering never
 * competes with the generators), and on q, Ctrl-C or a signal tears everything down with visible progress.
 * Resolves with the exit code.
 */
export async function runTui(session: SandboxSession, options: TuiOptions = {}): Promise<number> {
  let quitting: Promise<number> | undefined;
  let resolveExit: (code: number) => void = () => undefined;
  const exited = new Promise<number>((resolve) => (resolveExit = resolve));
  const quit = (code = 0) => {
    if (session.currentPhase === 'starting') {
      // Mid-start there is nothing to stop in order yet: the exit hooks kill the service processes, remove
      // the containers and the run's data.
      instance.unmount();
      process.exit(code === 0 ? 130 : code);
    }
    quitting ??= session.stop().then(
      () => code,
      () => 1,
    );
    void quitting.then((c) => {
      draw();
      instance.unmount();
      resolveExit(c);
    });
  };
  const actions: TuiActions = {
    runScenario: (name) => session.runScenario(name),
    stopScenario: () => session.stopScenario(),
    toggleFault: (name) => session.toggleFault(name),
    quit: () => quit(),
  };
  clearSplash();
  const instance = render(<App view={session.view()} actions={actions} />, INK_OPTIONS);
  let lastFrame = 0;
  let pending: NodeJS.Timeout | undefined;
  function draw() {
    clearTimeout(pending);
    pending = undefined;
    lastFrame = Date.now();
    instance.rerender(<App view={session.view()} actions={actions} />);
  }
  const minFrameMs = options.minFrameMs ?? 100;
  const unsubscribe = session.subscribe(() => {
    if (pending) return;
    pending = setTimeout(draw, Math.max(0, lastFrame + minFrameMs - Date.now()));
  });
  // Start-up and teardown steps move fast: redraw four times a second then, once a second once running.
  const tickMs = options.tickMs ?? 1000;
  const tick = setInterval(() => {
    if (session.currentPhase !== 'running' || Date.now() - lastFrame >= tickMs) draw();
  }, 250);
  const removeSignalHandler = onSignals((signal) => quit(signalExitCode(signal)));
  try {
    await session.start();
  } catch (error) {
    // The start-up panel shows the failure with its reason; it stays on screen, and the error is printed
    // once more below it as a plain line. The sandbox has already removed what it had started.
    draw();
    instance.unmount();
    cleanup();
    throw error;
  }
  draw();
  // Rules that cannot load after ready end the sandbox as a failed start does (exit 1).
  void session.failed.then(() => quit(1));
  if (options.autoRunScenario) session.runScenario(options.autoRunScenario);
  const code = await exited;
  cleanup();
  return code;

  function cleanup() {
    clearInterval(tick);
    clearTimeout(pending);
    unsubscribe();
    removeSignalHandler();
  }
}
