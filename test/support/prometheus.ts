import { spawn, type ChildProcess } from 'node:child_process';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { freePort, waitFor } from './ports.js';
import { reapedRun } from './reaped-run.js';

export interface RunningPrometheus {
  api: string;
  query(expr: string): Promise<{ metric: Record<string, string>; value: [number, string] }[]>;
  stop(): Promise<void>;
}

/** The real Prometheus on 127.0.0.1 with the given config (its data dir is temporary). */
export async function startPrometheus(binary: string, config: string): Promise<RunningPrometheus> {
  const { dir, env, release } = await reapedRun('obs-sandbox-prometheus-');
  await writeFile(join(dir, 'prometheus.yml'), config);
  const port = await freePort();
  const child: ChildProcess = spawn(
    binary,
    [
      `--config.file=${join(dir, 'prometheus.yml')}`,
      `--storage.tsdb.path=${join(dir, 'data')}`,
      `--web.listen-address=127.0.0.1:${port}`,
    ],
    { stdio: 'ignore', env },
  );
  const api = `http://127.0.0.1:${port}`;
  await waitFor('Prometheus ready', async () => ((await fetch(`${api}/-/ready`)).ok ? true : undefined));
  return {
    api,
    query: async (expr) => {
      const body = (await (await fetch(`${api}/api/v1/query?query=${encodeURIComponent(expr)}`)).json()) as {
        status: string;
        error?: string;
        data: { result: { metric: Record<string, string>; value: [number, string] }[] };
      };
      if (body.status !== 'success') throw new Error(`${expr}: ${body.error}`);
      return body.data.result;
    },
    stop: async () => {
      child.kill('SIGTERM');
      await new Promise((r) => (child.exitCode !== null ? r(undefined) : child.once('exit', r)));
      await release();
    },
  };
}
