import { createRequire } from 'node:module';
import type Docker from 'dockerode';

// dockerode (~190 ms of CPU to load, gRPC included) only when the engine is first asked: a native start never
// is. It is CommonJS, which an import would load too, so requiring it keeps docker() synchronous.
const require = createRequire(import.meta.url);

/** Label on everything the sandbox creates in Docker, so `sandbox down` can find leftovers. */
export const MANAGED_LABEL = 'org.obs-sandbox.managed';

let client: Docker | undefined;

/** The Docker client (DOCKER_HOST or the default socket). */
export function docker(): Docker {
  client ??= new (require('dockerode') as typeof Docker)();
  return client;
}

/** Whether a Docker engine answers within the timeout. */
export async function engineAvailable(timeoutMs = 2000): Promise<boolean> {
  // The client first: loading dockerode took more than the whole timeout on a loaded machine, and a
  // `--runtime docker` start then said no engine answers.
  const client = docker();
  const timeout = new Promise<boolean>((resolve) => setTimeout(() => resolve(false), timeoutMs).unref());
  const ping = client.ping().then(
    () => true,
    () => false,
  );
  return Promise.race([ping, timeout]);
}

export async function imageExists(name: string): Promise<boolean> {
  return docker()
    .getImage(name)
    .inspect()
    .then(
      () => true,
      () => false,
    );
}

/** Pulls an image; resolves to undefined when done, or to the first line of the error. */
export async function pullImage(image: string): Promise<string | undefined> {
  try {
    const stream = await docker().pull(image);
    await new Promise<void>((resolve, reject) =>
      docker().modem.followProgress(stream, (error: Error | null) => (error ? reject(error) : resolve())),
    );
    return undefined;
  } catch (error) {
    return (error as Error).message.split('\n')[0] ?? 'pull failed';
  }
}
