import Docker from 'dockerode';

/** Label on everything the sandbox creates in Docker, so `sandbox down` can find leftovers. */
export const MANAGED_LABEL = 'org.obs-sandbox.managed';

let client: Docker | undefined;

/** The Docker client (DOCKER_HOST or the default socket). */
export function docker(): Docker {
  client ??= new Docker();
  return client;
}

/** Whether a Docker engine answers within the timeout. */
export async function engineAvailable(timeoutMs = 2000): Promise<boolean> {
  const timeout = new Promise<boolean>((resolve) => setTimeout(() => resolve(false), timeoutMs).unref());
  const ping = docker()
    .ping()
    .then(
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
