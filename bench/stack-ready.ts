/**
 * Native stack: time until every available service is ready, and live alert latency from switching a fault
 * on to the alert firing in Prometheus (goal: the rule's `for` + 2 x (scrape + evaluation interval)).
 *
 *   npx tsx bench/stack-ready.ts
 */
import { engineAvailable } from '../sandbox/stack/docker/engine.js';
import { buildLocalImage } from '../sandbox/stack/docker/local-images.js';
import { Sandbox } from '../sandbox/stack/sandbox-stack.js';
import { freePort } from '../test/support/ports.js';
import { reapedStateDir } from '../test/support/reaped-state-dir.js';
import { isMain } from './support.js';

async function firingAfter(api: string, alert: string, since: number): Promise<number> {
  for (;;) {
    const body = (await (await fetch(`${api}/api/v1/alerts`)).json()) as {
      data: { alerts: { labels: { alertname: string }; state: string }[] };
    };
    if (body.data.alerts.some((a) => a.labels.alertname === alert && a.state === 'firing'))
      return Date.now() - since;
    await new Promise((r) => setTimeout(r, 250));
  }
}

/** Docker stack with the locally built Prometheus and Alertmanager images (built first, not timed). */
async function dockerReady(): Promise<number> {
  process.env.TESTCONTAINERS_RYUK_DISABLED = 'true';
  process.env.OBS_SANDBOX_PROMETHEUS_IMAGE = await buildLocalImage('prometheus');
  process.env.OBS_SANDBOX_ALERTMANAGER_IMAGE = await buildLocalImage('alertmanager');
  for (const s of ['GRAFANA', 'LOKI', 'JAEGER'])
    process.env[`OBS_SANDBOX_${s}_IMAGE`] = `obs-sandbox-missing/${s.toLowerCase()}:0`;
  const started = Date.now();
  const sandbox = await Sandbox.start({
    runtime: 'docker',
    generatorPort: 0,
    hostPorts: { prometheus: await freePort(), alertmanager: await freePort() },
  });
  const readyMs = Date.now() - started;
  console.log(`docker stack (local images) ready in ${(readyMs / 1000).toFixed(2)} s (goal <= 10 s)`);
  await sandbox.stop();
  return readyMs;
}

export async function main() {
  // Watched by a reaper: a bench killed outright (SIGKILL, a crash) leaves no sandbox running.
  const stateDir = reapedStateDir('obs-sandbox-bench-');
  process.env.OBS_SANDBOX_STATE_DIR = stateDir.path;
  try {
    return await measure();
  } finally {
    stateDir.release();
  }
}

async function measure() {
  const started = Date.now();
  const sandbox = await Sandbox.start({
    runtime: 'native',
    generatorPort: 0,
    ports: { prometheus: await freePort(), alertmanager: await freePort() },
  });
  const readyMs = Date.now() - started;
  const running = sandbox.stack.services().filter((s) => s.state === 'running');
  console.log(
    `native stack ready in ${(readyMs / 1000).toFixed(2)} s (goal <= 3 s): ${running.map((s) => `${s.service} ${((s.readyMs ?? 0) / 1000).toFixed(2)}s`).join(', ')}`,
  );
  const api = sandbox.stack.statuses.get('prometheus')!.url!;
  // The rules load after ready (once Prometheus has scraped every target): the latency is an alert's own.
  await sandbox.rulesLoaded;
  const injected = Date.now();
  sandbox.generators.simulation.setFault({ name: 'emergency', params: {} });
  const latency = await firingAfter(api, 'EmergencyActive', injected);
  console.log(
    `live alert latency (EmergencyActive, for: 0m): ${(latency / 1000).toFixed(1)} s (goal <= 0 + 2 x (15 s + 15 s) = 60 s)`,
  );
  await sandbox.stop();
  const dockerReadyMs = (await engineAvailable()) ? await dockerReady() : undefined;
  return { readyMs, latency, dockerReadyMs };
}

if (isMain(import.meta.url)) await main();
