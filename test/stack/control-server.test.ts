import { afterEach, describe, expect, it } from 'vitest';
import { ControlServer, MAX_CONTROL_REQUEST } from '../../sandbox/stack/control-server.js';

/** A runner that is never reached: every request here is refused before a scenario is parsed. */
const idleRunner = {
  running: undefined,
  stop: () => undefined,
  parse: () => {
    throw new Error('not reached');
  },
} as never;

let server: ControlServer | undefined;
afterEach(async () => {
  await server?.stop();
  server = undefined;
});

describe("the sandbox's control API", () => {
  it('refuses a wrong token (401), a body over the limit (413) and one that is not a replay request (400)', async () => {
    server = new ControlServer(idleRunner);
    const url = `${await server.start()}/v1/replay`;
    const auth = { authorization: `Bearer ${server.token}` };
    const post = (body: string, headers: Record<string, string> = auth) =>
      fetch(url, { method: 'POST', headers, body });
    const wrong = await post('{}', { authorization: 'Bearer wrong' });
    expect([wrong.status, await wrong.json()]).toEqual([401, { error: 'missing or wrong control token' }]);
    const large = await post(JSON.stringify({ file: 'x', text: 'x'.repeat(MAX_CONTROL_REQUEST) }));
    expect([large.status, await large.json()]).toEqual([
      413,
      { error: `request body larger than ${MAX_CONTROL_REQUEST} bytes` },
    ]);
    expect((await post('not json')).status).toBe(400);
    const missing = await post('{"file": "a.yaml"}');
    expect([missing.status, await missing.json()]).toEqual([
      400,
      { error: 'expected {"file": ..., "text": ...}' },
    ]);
    expect((await fetch(url.replace('replay', 'other'), { headers: auth })).status).toBe(404);
  });

  it("answers the generators' pushes to GET /v1/outputs, with the token only", async () => {
    const outputs = [
      {
        name: 'loki' as const,
        url: 'https://loki.example.com/',
        sent: 10,
        queued: 2,
        dropped: 1,
        lastError: 'HTTP 429: slow down',
      },
    ];
    server = new ControlServer(idleRunner, () => outputs);
    const url = `${await server.start()}/v1/outputs`;
    const answer = await fetch(url, { headers: { authorization: `Bearer ${server.token}` } });
    expect([answer.status, await answer.json()]).toEqual([200, { outputs }]);
    expect((await fetch(url)).status).toBe(401);
  });
});
