import { copyFile, mkdir, mkdtemp, readFile, rm, stat, writeFile, cp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ensureBinary } from '../../binaries/index.js';
import { MANAGED_LABEL, docker, imageExists } from './engine.js';
import { processRuns } from '../../process-runs.js';

/** The C library the Debian builds link against: all a FROM scratch image needs besides the binary. */
const LIBC = ['/lib/x86_64-linux-gnu/libc.so.6', '/lib64/ld-linux-x86-64.so.2'];

export type LocalImage = 'prometheus' | 'alertmanager';

/** Name of the locally built image for a service, tagged with the binary's version. */
export async function localImageName(service: LocalImage): Promise<string> {
  const binary = await ensureBinary(service);
  return `obs-sandbox-local/${service}:${binary.version}`;
}

/**
 * Takes the lock on building an image between processes (a directory naming its holder's pid); one whose
 * holder is gone (killed mid-build) is taken over.
 */
async function takeBuildLock(lock: string): Promise<boolean> {
  try {
    await mkdir(lock);
    await writeFile(join(lock, 'pid'), String(process.pid));
    return true;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    const holder = Number(await readFile(join(lock, 'pid'), 'utf8').catch(() => ''));
    // No pid: the holder is between its mkdir and its write, or died there (then long ago).
    const age = Date.now() - ((await stat(lock).catch(() => undefined))?.mtimeMs ?? Date.now());
    if (holder > 0 ? !processRuns(holder) : age > 10_000) await rm(lock, { recursive: true, force: true });
    return false;
  }
}

/**
 * Builds (once) a FROM scratch image of Prometheus (with promtool) or Alertmanager from the real binaries
 * the sandbox provisions, for engines that cannot pull the official images (and for the test suite).
 * Processes asking at once wait for one build (two test files building the same tag together each took
 * 35 s, against 23 s for one).
 */
export async function buildLocalImage(service: LocalImage): Promise<string> {
  const name = await localImageName(service);
  const lock = join(tmpdir(), `obs-sandbox-build-${name.replace(/[^\w.-]+/g, '_')}`);
  for (;;) {
    if (await imageExists(name)) return name;
    if (await takeBuildLock(lock)) break;
    await new Promise((resolve) => setTimeout(resolve, 500));
  }
  try {
    // Built meanwhile by the holder before us.
    if (!(await imageExists(name))) await build(service, name);
    return name;
  } finally {
    await rm(lock, { recursive: true, force: true });
  }
}

async function build(service: LocalImage, name: string): Promise<void> {
  const context = await mkdtemp(join(tmpdir(), 'obs-sandbox-image-'));
  try {
    const files: string[] = ['Dockerfile'];
    const copy: string[] = [];
    const add = async (from: string, to: string) => {
      const local = `f${files.length}`;
      await copyFile(from, join(context, local));
      files.push(local);
      copy.push(`COPY ${local} ${to}`);
    };
    for (const lib of LIBC) await add(lib, lib);
    let entrypoint: string;
    if (service === 'prometheus') {
      await add((await ensureBinary('prometheus')).path, '/bin/prometheus');
      await add((await ensureBinary('promtool')).path, '/bin/promtool');
      entrypoint = '/bin/prometheus';
    } else {
      const alertmanager = await ensureBinary('alertmanager');
      await add(alertmanager.path, '/bin/alertmanager');
      if (alertmanager.assetsDir) {
        // Debian's build reads its templates from this absolute path.
        await mkdir(join(context, 'templates'));
        await cp(alertmanager.assetsDir, join(context, 'templates'), { recursive: true });
        files.push('templates');
        copy.push('COPY templates /usr/share/prometheus/alertmanager/');
      }
      entrypoint = '/bin/alertmanager';
    }
    await writeFile(
      join(context, 'Dockerfile'),
      [
        'FROM scratch',
        ...copy,
        `LABEL ${MANAGED_LABEL}=true org.obs-sandbox.image=local`,
        `ENTRYPOINT ["${entrypoint}"]`,
        '',
      ].join('\n'),
    );
    const stream = await docker().buildImage(
      { context, src: files },
      { t: name, labels: { [MANAGED_LABEL]: 'true' } },
    );
    await new Promise<void>((resolve, reject) => {
      docker().modem.followProgress(stream, (error: Error | null, output: { error?: string }[]) => {
        const reason = error?.message ?? output.find((o) => o.error)?.error;
        if (reason) reject(new Error(`building ${name} failed: ${reason}`));
        else resolve();
      });
    });
  } finally {
    await rm(context, { recursive: true, force: true });
  }
}
