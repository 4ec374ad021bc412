import { engineAvailable } from '../../sandbox/stack/docker/engine.js';

/**
 * Whether tests that need a Docker engine can run. In CI (CI=true) a missing engine fails the file;
 * elsewhere the tests skip with the reason printed.
 */
export async function requireDocker(): Promise<{ available: boolean; reason?: string }> {
  if (await engineAvailable(5000)) return { available: true };
  const reason = 'no Docker engine answers (start dockerd, or set DOCKER_HOST)';
  if (process.env.CI === 'true') throw new Error(`Docker is required in CI: ${reason}`);
  console.warn(`[docker] skipping tests that need Docker: ${reason}`);
  return { available: false, reason };
}
