import { pathToFileURL } from 'node:url';

/** True when the module is the script being run (not imported by bench/run-all.ts). */
export function isMain(url: string): boolean {
  return process.argv[1] !== undefined && url === pathToFileURL(process.argv[1]).href;
}

export function percentile(values: readonly number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;
}

export const mb = (bytes: number) => Math.round((bytes / 1024 / 1024) * 10) / 10;
