import { chmod, mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { VirtualClock } from '../../generators/clock.js';
import { LiveGenerators } from '../../generators/live/live-generators.js';
import { UserError } from '../../generators/user-error.js';
import {
  generatorRoutes,
  startGeneratorControl,
  type GeneratorControl,
  type GeneratorState,
} from '../../sandbox/generate-control/generator-control.js';
import { MAX_CONTROL_BODY } from '../../sandbox/generate-control/json-control-server.js';
import { GeneratorClient } from '../../sandbox/replay/live/remote/generator-client.js';
import { RemoteTarget } from '../../sandbox/replay/live/remote/remote-target.js';

const dir = await mkdtemp(join(tmpdir(), 'obs-sandbox-generator-control-'));
afterAll(() => rm(dir, { recursive: true, force: true }));
const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

/** A generator (model only, on a clock that stands still) with its control API on a free port. */
async function generator(tokenFile?: string): Promise<{ live: LiveGenerators; control: GeneratorControl }> {
  const live = await LiveGenerators.start({
    seed: 1,
    port: 0,
    clock: new VirtualClock(Date.UTC(2026, 0, 5, 12)),
    stepIntervalMs: 60_000,
  });
  cleanups.push(() => live.stop());
  const control = await startGeneratorControl(live, { hosts: ['127.0.0.1'], port: 0, tokenFile });
  cleanups.push(() => control.stop());
  return { live, control };
}

const tokenOf = async (control: GeneratorControl) => (await readFile(control.tokenFile, 'utf8')).trim();

describe("a generator's control API", () => {
  it('refuses a missing or wrong token with 401, before reading the body', async () => {
    const { control } = await generator();
    const url = `${control.urls[0]}/v1/state`;
    expect((await fetch(url)).status).toBe(401);
    expect((await fetch(url, { headers: { authorization: 'Bearer wrong' } })).status).toBe(401);
    const right = await fetch(url, { headers: { authorization: `Bearer ${await tokenOf(control)}` } });
    expect(right.status).toBe(200);
    expect(await right.json()).toMatchObject({ faults: [], knobs: { rate_scale: 1 } });
  });

  it('refuses a body over the limit with 413', async () => {
    const { control } = await generator();
    const response = await fetch(`${control.urls[0]}/v1/faults/emergency`, {
      method: 'PUT',
      headers: { authorization: `Bearer ${await tokenOf(control)}`, 'content-type': 'application/json' },
      body: JSON.stringify({ params: { pad: 'x'.repeat(MAX_CONTROL_BODY) } }),
    });
    expect(response.status).toBe(413);
  });

  it('switches faults and knobs, and says what is wrong with a bad one (400)', async () => {
    const { live, control } = await generator();
    const client = new GeneratorClient(control.urls[0]!, await tokenOf(control));
    await client.setFault({ name: 'node_unhealthy', params: { node: 'node-ams-01' } });
    expect(live.simulation.activeFaults()).toEqual([
      { name: 'node_unhealthy', params: { node: 'node-ams-01' } },
    ]);
    await client.setKnob('rate_scale', 2);
    expect(live.simulation.knobs().rate_scale).toBe(2);
    await client.clearFault('node_unhealthy');
    expect((await client.state()).faults).toEqual([]);
    await expect(client.setFault({ name: 'node_unhealthy', params: { node: 'node-xyz' } })).rejects.toThrow(
      /node must be one of node-ams-01/,
    );
    await expect(client.setFault({ name: 'no_such_fault', params: {} })).rejects.toBeInstanceOf(UserError);
  });

  it('makes the token file 0600 and prints nowhere the token; refuses a file others can read', async () => {
    const file = join(dir, 'made.token');
    const { control } = await generator(file);
    expect(control.tokenFile).toBe(file);
    expect((await stat(file)).mode & 0o777).toBe(0o600);
    const shared = join(dir, 'shared.token');
    await writeFile(shared, 'abc\n');
    await chmod(shared, 0o644);
    await expect(generator(shared)).rejects.toThrow(/readable by others \(mode 644\); run `chmod 600/);
  });

  it('removes the temporary token file it made when it stops', async () => {
    const { control } = await generator();
    expect((await stat(control.tokenFile)).mode & 0o777).toBe(0o600);
    await control.stop();
    await expect(stat(control.tokenFile)).rejects.toThrow(/ENOENT/);
  });

  it('a live replay switches a fault in every shard, and puts it back', async () => {
    const shards = [await generator(), await generator()];
    const clients = await Promise.all(
      shards.map(async (s) => new GeneratorClient(s.control.urls[0]!, await tokenOf(s.control))),
    );
    const target = new RemoteTarget({ url: 'http://127.0.0.1:1', headers: {} }, undefined, clients, 1000, {
      faults: [],
      knobs: {},
    });
    await target.setFault({ name: 'emergency', params: {} });
    for (const s of shards)
      expect(s.live.simulation.activeFaults().map((f) => f.name)).toEqual(['emergency']);
    await target.clearFault('emergency');
    for (const s of shards) expect(s.live.simulation.activeFaults()).toEqual([]);
  });
});

describe("a scaled generator's control API", () => {
  /** The routes of a generator of `scale` replicas (model only: no socket), and each replica's faults. */
  async function scaled(scale: number) {
    const live = await LiveGenerators.start({
      seed: 1,
      port: 0,
      clock: new VirtualClock(Date.UTC(2026, 0, 5, 12)),
      stepIntervalMs: 60_000,
      scale,
      scrape: false,
    });
    cleanups.push(() => live.stop());
    const routes = generatorRoutes(live);
    const faults = () =>
      [...live.simulations().values()].map((s) =>
        s
          .activeFaults()
          .map((f) => f.name)
          .join(','),
      );
    return { live, routes, faults };
  }

  it('switches a fault or knob in every replica when the request names none', async () => {
    const { live, routes, faults } = await scaled(3);
    const put = routes({ method: 'PUT', path: '/v1/faults/emergency', body: {} });
    expect(put.status).toBe(200);
    expect(faults()).toEqual(['emergency', 'emergency', 'emergency']);
    expect(routes({ method: 'PUT', path: '/v1/knobs/rate_scale', body: { value: 3 } }).status).toBe(200);
    for (const s of live.simulations().values()) expect(s.knobs().rate_scale).toBe(3);
    const state = routes({ method: 'GET', path: '/v1/state', body: undefined }).body as GeneratorState;
    expect(state).toMatchObject({ faults: [{ name: 'emergency' }], replicas: ['0', '1', '2'] });
    expect(state.differing).toBeUndefined();
    routes({ method: 'DELETE', path: '/v1/faults/emergency', body: undefined });
    expect(faults()).toEqual(['', '', '']);
  });

  it('switches one replica when the request names it, and says which replicas differ', async () => {
    const { live, routes, faults } = await scaled(3);
    expect(routes({ method: 'PUT', path: '/v1/faults/emergency', body: { replica: '1' } }).status).toBe(200);
    const knob = routes({ method: 'PUT', path: '/v1/knobs/rate_scale', body: { value: 2, replica: 2 } });
    expect(faults()).toEqual(['', 'emergency', '']);
    expect([...live.simulations().values()].map((s) => s.knobs().rate_scale)).toEqual([1, 1, 2]);
    const state = knob.body as GeneratorState;
    expect(state.faults).toEqual([]);
    expect(Object.keys(state.differing ?? {})).toEqual(['1', '2']);
    expect(state.differing?.['1']?.faults).toEqual([{ name: 'emergency', params: {} }]);
    routes({ method: 'DELETE', path: '/v1/faults/emergency', body: { replica: '1' } });
    expect(faults()).toEqual(['', '', '']);
  });

  it('refuses a replica it does not simulate, or a bad fault, before changing any replica', async () => {
    const { routes, faults } = await scaled(2);
    for (const replica of ['7', 'x', -1, 0.5]) {
      const answer = routes({ method: 'PUT', path: '/v1/faults/emergency', body: { replica } });
      expect(answer.status).toBe(400);
      expect(answer.body).toMatchObject({
        error: expect.stringMatching(/is not one of those simulated here/),
      });
    }
    const bad = routes({
      method: 'PUT',
      path: '/v1/faults/node_unhealthy',
      body: { params: { node: 'node-xyz' } },
    });
    expect(bad.status).toBe(400);
    expect(faults()).toEqual(['', '']);
  });
});
