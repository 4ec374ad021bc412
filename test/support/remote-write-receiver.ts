import { spawn } from 'node:child_process';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { freePort, waitFor } from './ports.js';
import { reapedRun } from './reaped-run.js';

export interface Vector {
  metric: Record<string, string>;
  value: number;
}

export interface RemoteWriteReceiver {
  /** Where to push: /api/v1/write. */
  url: string;
  /** Prometheus' base URL (its own /metrics, the API). */
  api: string;
  /** Prometheus' process id. */
  pid: number;
  /** Every series with a sample at or shortly before `time` (ms), as Prometheus stores it. */
  everything(time: number): Promise<Vector[]>;
  stop(): Promise<void>;
}

/** The real Prometheus as a remote-write receiver on 127.0.0.1, scraping nothing, with a temporary data dir. */
export async function startReceiver(binary: string): Promise<RemoteWriteReceiver> {
  const { dir, env, release } = await reapedRun('obs-sandbox-rw-prometheus-');
  await writeFile(join(dir, 'prometheus.yml'), 'global:\n  scrape_interval: 1h\n');
  const port = await freePort();
  const child = spawn(
    binary,
    [
      `--config.file=${join(dir, 'prometheus.yml')}`,
      `--storage.tsdb.path=${join(dir, 'data')}`,
      `--web.listen-address=127.0.0.1:${port}`,
      '--web.enable-remote-write-receiver',
    ],
    { stdio: 'ignore', env },
  );
  const api = `http://127.0.0.1:${port}`;
  const stop = async () => {
    if (child.exitCode === null) {
      child.kill('SIGTERM');
      await new Promise((r) => child.once('exit', r));
    }
    await release();
  };
  try {
    await waitFor(
      'Prometheus ready',
      async () => ((await fetch(`${api}/-/ready`)).ok ? true : undefined),
      60_000,
    );
  } catch (error) {
    await stop();
    throw error;
  }
  return {
    url: `${api}/api/v1/write`,
    api,
    pid: child.pid!,
    everything: async (time) => {
      const query = `${api}/api/v1/query?query=${encodeURIComponent('{__name__=~".+"}')}&time=${time / 1000}`;
      const body = (await (await fetch(query)).json()) as {
        status: string;
        error?: string;
        data: { result: { metric: Record<string, string>; value: [number, string] }[] };
      };
      if (body.status !== 'success') throw new Error(`query failed: ${body.error}`);
      return body.data.result.map(({ metric, value }) => ({ metric, value: parseSampleValue(value[1]) }));
    },
    stop,
  };
}

/** A sample value as Prometheus and the text format write it (+Inf, -Inf, NaN included). */
export function parseSampleValue(text: string): number {
  if (text === '+Inf' || text === 'Inf') return Infinity;
  if (text === '-Inf') return -Infinity;
  return Number(text);
}
