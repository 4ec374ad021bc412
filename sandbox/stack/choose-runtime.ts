import { engineAvailable, imageExists, pullImage } from './docker/engine.js';
import { prometheus } from './services/prometheus.js';
import { imageFor } from './services/service-module.js';

/**
 * `auto`: Docker when an engine answers and the Prometheus image is there or can be pulled; else the native
 * runtime, saying why.
 */
export async function chooseRuntime(
  requested: 'auto' | 'native' | 'docker',
  report: (message: string) => void,
): Promise<'native' | 'docker'> {
  if (requested !== 'auto') return requested;
  if (!(await engineAvailable())) return 'native';
  const image = imageFor(prometheus);
  if (await imageExists(image)) return 'docker';
  const pulled = await pullImage(image);
  if (pulled === undefined) return 'docker';
  report(`Docker answers, but ${image} cannot be pulled (${pulled}); using the native runtime`);
  return 'native';
}
