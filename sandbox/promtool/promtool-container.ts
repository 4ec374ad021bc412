import { randomUUID } from 'node:crypto';
import { dirname } from 'node:path';
import { PassThrough } from 'node:stream';
import { UserError } from '../../generators/user-error.js';
import type { Promtool } from './promtool-interface.js';
import { trackDockerRun } from '../cleanup.js';
import { MANAGED_LABEL, docker, imageExists, pullImage } from '../stack/docker/engine.js';

async function ensureImage(image: string): Promise<void> {
  if (await imageExists(image)) return;
  const failure = await pullImage(image);
  if (failure !== undefined) {
    throw new UserError(
      `promtool is not installed and the image ${image} cannot be pulled (${failure}); ` +
        'install promtool with `sandbox install promtool`, or set OBS_SANDBOX_PROMETHEUS_IMAGE to an image you have',
    );
  }
}

/** promtool inside a Prometheus image: the files it reads are mounted read-only at the same paths. */
export function containerPromtool(image: string): Promtool {
  let ready: Promise<void> | undefined;
  return {
    describe: `promtool in ${image}`,
    run: async (args, paths) => {
      ready ??= ensureImage(image);
      await ready;
      const binds = [...new Set(paths.map((p) => dirname(p)))].map((dir) => `${dir}:${dir}:ro`);
      // AutoRemove acts only once the container has run: one created when this process is stopped is removed
      // by the exit reaper, found by a run label of its own.
      const run = `promtool-${randomUUID()}`;
      const untrack = trackDockerRun(run);
      try {
        return await runContainer(image, args, binds, run);
      } finally {
        untrack();
      }
    },
  };
}

async function runContainer(
  image: string,
  args: readonly string[],
  binds: string[],
  run: string,
): Promise<{ code: number; output: string }> {
  const container = await docker().createContainer({
    Image: image,
    Entrypoint: ['/bin/promtool'],
    Cmd: [...args],
    Labels: { [MANAGED_LABEL]: 'true', 'org.obs-sandbox.role': 'promtool', 'org.obs-sandbox.run': run },
    HostConfig: {
      Binds: binds,
      AutoRemove: true,
      NetworkMode: 'none',
      ReadonlyRootfs: true,
      // promtool's test storage lives in /tmp.
      Tmpfs: { '/tmp': 'rw,size=512m' },
    },
  });
  const stream = await container.attach({ stream: true, stdout: true, stderr: true });
  const ended = new Promise((resolve) => stream.once('end', resolve));
  // Kept apart and joined at the end, as for a local promtool: interleaved, a line of one could split
  // a line of the other.
  const [stdout, stderr] = [new PassThrough(), new PassThrough()];
  const chunks: Record<'out' | 'err', Buffer[]> = { out: [], err: [] };
  stdout.on('data', (chunk: Buffer) => chunks.out.push(chunk));
  stderr.on('data', (chunk: Buffer) => chunks.err.push(chunk));
  container.modem.demuxStream(stream, stdout, stderr);
  const exited = container.wait({ condition: 'next-exit' }) as Promise<{ StatusCode: number }>;
  await container.start();
  const { StatusCode } = await exited;
  await ended;
  return { code: StatusCode, output: Buffer.concat([...chunks.out, ...chunks.err]).toString('utf8') };
}
