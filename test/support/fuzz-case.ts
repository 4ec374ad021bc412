import fc from 'fast-check';

/**
 * One command line of the CLI fuzz test. `refused`: the input is wrong and must exit 2; `any`: the mutation
 * may leave it valid (exit 0 or 1, after a real replay) or not (exit 2). `file`, when the input is a file,
 * must be named in an exit-2 line, and with `positioned` at `file:line:col` (the YAML parser or the schema
 * knows where the mistake is).
 */
export interface FuzzCase {
  id: string;
  kind: string;
  argv: string[];
  expect: 'refused' | 'any';
  file?: string;
  /** Another file a refusal may name instead (the scenario, whose alerts broken rules no longer define). */
  orFile?: string;
  positioned?: boolean;
}

/** What the runner measured of one case. */
export interface FuzzResult {
  id: string;
  code: number;
  stderr: string;
  stdout: string;
  wallMs: number;
  /** The highest resident set size seen during the case, minus the one before it. */
  rssGrowthMb: number;
  /** Entries of `$TMPDIR` that were not there before the case and still are after it. */
  tmpLeft: string[];
  /** The case had not ended after the time limit (the runner stops after reporting it). */
  hung?: boolean;
}

/** Messages from the runner to the test, over IPC. */
export type RunnerMessage = { type: 'start'; id: string } | { type: 'done'; result: FuzzResult };

export const CASE_LIMIT_MS = 10_000;
export const RSS_LIMIT_MB = 500;

/** A deterministic source of choices, from fast-check's generator with a fixed seed. */
export class SeededChoices {
  private readonly values: number[];
  private next = 0;

  constructor(seed: number, count = 20_000) {
    this.values = fc.sample(fc.nat(), { seed, numRuns: count });
  }

  int(below: number): number {
    const value = this.values[this.next++ % this.values.length]!;
    return below <= 0 ? 0 : value % below;
  }

  pick<T>(list: readonly T[]): T {
    return list[this.int(list.length)]!;
  }
}
