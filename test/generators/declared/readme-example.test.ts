import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { loadSystem } from '../../../generators/index.js';
import { Simulation } from '../../../generators/model/simulation.js';
import { MemoryMetrics } from '../../../generators/outputs/metrics/memory-store.js';
import { platform } from '../../../generators/systems/platform.js';

/** The system file example of the README, as a user would copy it. */
function readmeExample(): string {
  const readme = readFileSync('README.md', 'utf8');
  const section = readme.slice(readme.indexOf('## Your own services: system files'));
  const match = /```yaml\n([\s\S]*?)```/.exec(section);
  if (!match) throw new Error('the README has no system file example');
  return match[1]!;
}

describe("the README's system file example", () => {
  const dirs: string[] = [];
  afterAll(async () => {
    for (const dir of dirs) await rm(dir, { recursive: true, force: true });
  });

  it('loads with the package API, runs, and its faults do what they say', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'obs-sandbox-readme-'));
    dirs.push(dir);
    const file = join(dir, 'checkout.system.yaml');
    const example = readmeExample();
    await writeFile(file, example);
    const rulesLine = example.split('\n').findIndex((l) => l.startsWith('rules:')) + 1;
    await expect(loadSystem(file)).rejects.toThrow(
      `${file}:${rulesLine}:9: rules[0]: ${join(dir, 'checkout-alerts.yaml')} does not exist; paths are relative to the system file`,
    );
    await writeFile(join(dir, 'checkout-alerts.yaml'), 'groups: []\n');
    const system = await loadSystem(file);
    expect(system.jobs).toEqual({ api: 'checkout-api' });
    expect(system.instances).toEqual({ 'checkout-api': 2 });
    expect(system.faults.map((f) => f.name)).toEqual(['payment_errors', 'pod_down']);

    const systems = [system, platform([system])];
    const store = new MemoryMetrics(systems.flatMap((s) => s.metrics));
    const logs: string[] = [];
    const sim = new Simulation({
      systems,
      seed: 1,
      startTime: 0,
      sink: { metrics: store, log: (r) => logs.push(r.message) },
    });
    sim.setFault({ name: 'payment_errors', params: { tenant: 'globex', ratio: '1' } });
    sim.setFault({ name: 'pod_down', params: { pod: '1' } });
    sim.advanceTo(600_000);
    const failed = store
      .get('checkout_requests_total')
      .filter((s) => s.labels.tenant_id === 'globex' && s.labels.status === '200')
      .reduce((sum, s) => sum + (s.value as number), 0);
    expect(failed).toBe(0);
    expect(logs.filter((m) => m === 'checkout failed').length).toBeGreaterThan(100);
    expect(store.targetUp('checkout-api', 1)).toBe(false);
    expect(store.targetUp('checkout-api', 0)).toBe(true);
  });
});
