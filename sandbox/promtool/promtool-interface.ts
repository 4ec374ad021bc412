export interface PromtoolOutput {
  code: number;
  output: string;
}

/** promtool, wherever it runs: a local binary, or inside the Prometheus image. */
export interface Promtool {
  /** For messages, e.g. "promtool at /usr/bin/promtool". */
  describe: string;
  /** A local binary's path (none: promtool runs in a container). */
  path?: string;
  /** Runs promtool; `paths` are the files the arguments name (a container gets them mounted). */
  run(args: readonly string[], paths: readonly string[]): Promise<PromtoolOutput>;
}
