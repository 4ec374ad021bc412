import { vi } from 'vitest';
import { runCli } from '../../sandbox/cli/program.js';

export interface InProcessResult {
  code: number;
  /** What went to stderr: the CLI's status lines and commander's errors, as the built CLI prints them. */
  stderr: string;
  stdout: string;
}

/**
 * Runs the CLI in this process (no start-up cost), for arguments that fail before anything starts.
 * Commander writes its errors to process.stderr itself, so that is captured too.
 */
export async function runCliInProcess(args: readonly string[]): Promise<InProcessResult> {
  let stderr = '';
  let stdout = '';
  const write = vi.spyOn(process.stderr, 'write').mockImplementation((chunk: string | Uint8Array) => {
    stderr += String(chunk);
    return true;
  });
  try {
    const code = await runCli(args, {
      out: (line) => (stdout += `${line}\n`),
      status: (line) => (stderr += `sandbox: ${line}\n`),
    });
    return { code, stderr, stdout };
  } finally {
    write.mockRestore();
  }
}
