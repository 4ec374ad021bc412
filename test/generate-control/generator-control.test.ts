import { chmod, mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { VirtualClock } from '../../generators/clock.js';
import { LiveGenerators } from '../../generators/live/live-generators.js';
import { UserError } from '../../generators/user-error.js';
import {
  startGeneratorControl,
  type GeneratorControl,
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
