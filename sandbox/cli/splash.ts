import isInCi from 'is-in-ci';

const PLAIN = ['--no-tui', '--json', '--detach', '--help', '-h'];

/** A terminal the UI can draw in: ink draws nothing but the last frame when CI is set, so CI gets lines. */
export function interactiveTerminal(stdout: NodeJS.WriteStream = process.stdout): boolean {
  return stdout.isTTY === true && !isInCi;
}

/** Whether `sandbox start` will open the terminal UI (decided from argv alone, before anything loads). */
export function opensTui(argv: readonly string[], stdout: NodeJS.WriteStream = process.stdout): boolean {
  return argv[0] === 'start' && interactiveTerminal(stdout) && !argv.some((a) => PLAIN.includes(a));
}

/**
 * The TUI's first frame, drawn before the UI's modules load (they take most of a second to read): one line
 * that the UI clears when it draws.
 */
export function drawSplash(stdout: NodeJS.WriteStream = process.stdout): void {
  stdout.write('\u001B[1m obs-sandbox \u001B[22m starting the stack and the generators…');
  splashOn = true;
}

let splashOn = false;

/** Removes the splash line (once), for the UI to draw in its place. */
export function clearSplash(stdout: NodeJS.WriteStream = process.stdout): void {
  if (!splashOn) return;
  stdout.write('\r\u001B[2K');
  splashOn = false;
}
