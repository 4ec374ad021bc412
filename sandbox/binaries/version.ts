import { execFile } from 'node:child_process';
import { promisify } from 'node:util';

const execFileAsync = promisify(execFile);

const LABELLED = /\bversion:?\s+v?(\d+\.\d+\.\d+(?:-[0-9A-Za-z.]+)?)/i;
const BARE = /\bv?(\d+\.\d+\.\d+(?:-[0-9A-Za-z.]+)?)/;
/**
 * A build from source without a version number: "loki, version  (branch: , revision: unknown)" (`go build`),
 * or "tempo, version main-3f1c2a9 (branch: main, ...)" (a Makefile build names the commit instead).
 */
const UNSTAMPED = /^[\w.-]+,? version\s+(?:[\w.-]*\s+)?\(branch:/m;

/** The version of a binary that says it is one but was built without a version number. */
export const UNKNOWN_VERSION = 'unknown';

/**
 * The version in a `--version` output such as "prometheus, version 3.5.0 (branch: HEAD, ...)" or
 * "grafana version 12.0.2". Debian's "+ds1" style suffixes are dropped: "3.5.3+ds1" gives "3.5.3". A
 * version line with no number (a build from source) gives UNKNOWN_VERSION.
 */
export function parseVersion(output: string): string | undefined {
  const found = (LABELLED.exec(output) ?? BARE.exec(output))?.[1];
  if (found !== undefined) return found;
  return UNSTAMPED.test(output) ? UNKNOWN_VERSION : undefined;
}

/** Negative, zero or positive like a sort comparator; compares major.minor.patch only. */
export function compareVersions(a: string, b: string): number {
  const parts = (v: string) => v.split(/[.-]/, 3).map((p) => Number.parseInt(p, 10) || 0);
  const [pa, pb] = [parts(a), parts(b)];
  for (let i = 0; i < 3; i++) {
    const diff = (pa[i] ?? 0) - (pb[i] ?? 0);
    if (diff !== 0) return diff;
  }
  return 0;
}

/** Runs `<path> --version` (or the given arguments) and returns the parsed version. */
export async function probeVersion(
  path: string,
  args: readonly string[] = ['--version'],
  timeoutMs = 15_000,
): Promise<string> {
  // Older Go CLIs print their version on stderr, newer ones on stdout.
  const { stdout, stderr } = await execFileAsync(path, [...args], { timeout: timeoutMs });
  const output = `${stdout}\n${stderr}`;
  const version = parseVersion(output);
  if (version === undefined) {
    const firstLine = output.trim().split('\n')[0] ?? '';
    throw new Error(`\`${path} ${args.join(' ')}\` printed no version ("${firstLine.slice(0, 80)}")`);
  }
  return version;
}
