import { execFileSync } from 'node:child_process';

/**
 * Processes whose command line mentions the directory (every service's config lives in the run's state
 * directory), leaving out pgrep itself and lines containing any of `ignore`.
 */
export function processesUsing(dir: string, ignore: readonly string[] = []): string[] {
  try {
    return execFileSync('pgrep', ['-af', dir], { encoding: 'utf8' })
      .trim()
      .split('\n')
      .filter((l) => l && !l.includes('pgrep') && !ignore.some((i) => l.includes(i)));
  } catch {
    return [];
  }
}
