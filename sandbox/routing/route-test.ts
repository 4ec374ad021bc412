import { execFile } from 'node:child_process';
import { promisify } from 'node:util';

const execFileAsync = promisify(execFile);

/**
 * The receivers Alertmanager routes an alert with these labels to, as the real
 * `amtool config routes test` computes them from the configuration file.
 */
export async function routedReceivers(
  amtool: string,
  configFile: string,
  labels: Readonly<Record<string, string>>,
): Promise<string[]> {
  const matchers = Object.entries(labels).map(([k, v]) => `${k}=${JSON.stringify(v)}`);
  const { stdout } = await execFileAsync(
    amtool,
    ['config', 'routes', 'test', `--config.file=${configFile}`, ...matchers],
    { timeout: 30_000 },
  );
  const last = stdout.trim().split('\n').at(-1) ?? '';
  return last
    .split(',')
    .map((r) => r.trim())
    .filter(Boolean);
}
