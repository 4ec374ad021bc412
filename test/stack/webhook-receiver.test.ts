import { afterEach, describe, expect, it } from 'vitest';
import { BoundedLog } from '../../sandbox/stack/bounded-log.js';
import { MAX_WEBHOOK_BODY, WebhookReceiver } from '../../sandbox/stack/webhook-receiver.js';
import { payload, post } from '../support/alertmanager-webhook.js';

let receiver: WebhookReceiver | undefined;
afterEach(async () => {
  await receiver?.stop();
  receiver = undefined;
});

describe('WebhookReceiver with a secret path', () => {
  it('accepts a real notification on its secret path only, and keeps its alert', async () => {
    const seen: string[] = [];
    receiver = new WebhookReceiver((n) => seen.push(n.alertname), { secretPath: true });
    expect(receiver.path).toMatch(/^\/alertmanager\/[\w-]{32}$/);
    const port = await receiver.start();
    const body = JSON.stringify(payload());
    expect(await post(port, '/alertmanager/sandbox-critical', body)).toBe(404);
    expect(await post(port, `/alertmanager/${'x'.repeat(32)}/sandbox-critical`, body)).toBe(404);
    expect(seen).toEqual([]);
    expect(await post(port, `${receiver.path}/sandbox-critical`, body)).toBe(200);
    expect(seen).toEqual(['ReceiptWriteFailure']);
    expect(receiver.notifications.toArray()).toMatchObject([
      { receiver: 'sandbox-critical', status: 'firing', alertname: 'ReceiptWriteFailure' },
    ]);
  });

  it('rejects (400) what is not an Alertmanager webhook notification', async () => {
    receiver = new WebhookReceiver(undefined, { secretPath: true });
    const port = await receiver.start();
    const url = `${receiver.path}/sandbox-critical`;
    const forged = [
      'not json',
      '{}',
      JSON.stringify({ alerts: [{ status: 'firing', labels: { alertname: 'Forged' } }] }),
      JSON.stringify({ ...payload(), version: '3' }),
      JSON.stringify({ ...payload(), alerts: [{ ...payload().alerts[0], labels: { alertname: 5 } }] }),
    ];
    for (const body of forged) expect(await post(port, url, body), body).toBe(400);
    expect(receiver.notifications.toArray()).toEqual([]);
  });

  it('refuses a body over the limit (413) while reading it, keeping nothing', async () => {
    receiver = new WebhookReceiver(undefined, { secretPath: true });
    const port = await receiver.start();
    const before = process.memoryUsage().rss;
    const status = await post(port, `${receiver.path}/x`, Buffer.alloc(50 << 20, 0x20)).catch(
      // The server may close the connection before the client has sent everything.
      (error: NodeJS.ErrnoException) => error.code,
    );
    expect([413, 'EPIPE', 'ECONNRESET']).toContain(status);
    expect(process.memoryUsage().rss - before).toBeLessThan(120 << 20);
    const chunked = Buffer.from(JSON.stringify(payload('Big', { big: 'x'.repeat(MAX_WEBHOOK_BODY) })));
    expect(
      await post(port, `${receiver.path}/x`, chunked).catch((e: NodeJS.ErrnoException) => e.code),
    ).not.toBe(200);
    expect(receiver.notifications.toArray()).toEqual([]);
  });

  it('takes a given secret (generate --webhook-token-file) and refuses a path that only starts like it', async () => {
    receiver = new WebhookReceiver(undefined, { secretPath: 'given-secret' });
    expect(receiver.path).toBe('/alertmanager/given-secret');
    const port = await receiver.start();
    const body = JSON.stringify(payload());
    expect(await post(port, '/alertmanager/given-secret-more/team', body)).toBe(404);
    expect(await post(port, '/alertmanager/given-secre/team', body)).toBe(404);
    expect(await post(port, '/alertmanager/given-secret/team', body)).toBe(200);
  });

  it('without a secret path (generate --webhook-open) still validates', async () => {
    receiver = new WebhookReceiver(undefined, { secretPath: false });
    const port = await receiver.start();
    expect(await post(port, '/alertmanager/team', JSON.stringify(payload()))).toBe(200);
    expect(await post(port, '/alertmanager/team', '{"alerts":[]}')).toBe(400);
  });
});

describe('BoundedLog', () => {
  it('keeps the latest entries within both its count and its byte budget', () => {
    const log = new BoundedLog<string>((s) => s.length, 3, 100);
    for (const s of ['a', 'b', 'c', 'd']) log.push(s);
    expect(log.toArray()).toEqual(['b', 'c', 'd']);
    log.push('x'.repeat(99));
    expect(log.toArray()).toEqual(['d', 'x'.repeat(99)]);
    log.push('zz');
    expect(log.toArray()).toEqual(['zz']);
    expect(log.push('y'.repeat(101))).toBe(false);
    expect(log.bytes).toBe(2);
  });

  it('holds 1,000 large notifications in at most its byte budget', () => {
    const log = new BoundedLog<string>((s) => 2 * s.length);
    const big = 'x'.repeat(20_000);
    for (let i = 0; i < 1000; i++) log.push(big + i);
    expect(log.bytes).toBeLessThanOrEqual(4 << 20);
    expect(log.size).toBeLessThan(1000);
    expect(log.toArray().at(-1)).toBe(`${big}999`);
  });
});
