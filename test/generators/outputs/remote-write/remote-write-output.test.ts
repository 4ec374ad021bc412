import { createServer, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { describe, expect, it } from 'vitest';
import { RemoteWriteOutput } from '../../../../generators/outputs/remote-write/remote-write-output.js';
import type { TimeSeries } from '../../../../generators/outputs/remote-write/write-request.js';

const tenSeries = (): TimeSeries[] =>
  Array.from({ length: 10 }, (_, i) => ({
    labels: [{ name: '__name__', value: `m${i}` }],
    samples: [{ value: i, timestamp: 1_700_000_000_000 }],
  }));

/** A receiver that holds every request until released, then answers `status`. */
async function slowReceiver(status: number) {
  const held: ServerResponse[] = [];
  let requests = 0;
  const server = createServer((req, res) => {
    requests++;
    req.resume();
    req.on('end', () => held.push(res));
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/api/v1/write`,
    requests: () => requests,
    release: () => held.splice(0).forEach((res) => res.writeHead(status).end()),
    close: () => new Promise((r) => (server.closeAllConnections(), server.close(r))),
  };
}

describe('remote write output', () => {
  it('keeps its queue bounded while the receiver is slow, and says how many it dropped', async () => {
    const receiver = await slowReceiver(204);
    const messages: string[] = [];
    const output = new RemoteWriteOutput({
      sender: { url: receiver.url },
      collect: () => Promise.resolve(tenSeries()),
      intervalMs: 3_600_000,
      queueCapacity: 15,
      maxSamplesPerSend: 5,
      onStatus: (m) => messages.push(m),
    });
    try {
      for (let i = 0; i < 4; i++) await output.collectOnce();
      expect(output.stats()).toMatchObject({ collected: 40, dropped: 20 });
      expect(messages).toEqual([
        'remote write: the queue is full (15 samples); dropped the 10 oldest (10 in all)',
        'remote write: the queue is full (15 samples); dropped the 10 oldest (20 in all)',
      ]);
      while (output.stats().sent + output.stats().dropped < 40) {
        receiver.release();
        await new Promise((r) => setTimeout(r, 20));
      }
      expect(output.stats()).toMatchObject({ sent: 20, dropped: 20 });
    } finally {
      receiver.release();
      await output.stop(1000);
      await receiver.close();
    }
  }, 30_000);

  it('drops a batch the receiver refuses and reports what was not delivered, its URL without secrets', async () => {
    const receiver = await slowReceiver(400);
    const messages: string[] = [];
    const output = new RemoteWriteOutput({
      sender: { url: `${receiver.url.replace('http://', 'http://bob:s3cret@')}?token=k3y` },
      collect: () => Promise.resolve(tenSeries()),
      intervalMs: 3_600_000,
      onStatus: (m) => messages.push(m),
    });
    try {
      await output.collectOnce();
      while (output.stats().dropped < 10) {
        receiver.release();
        await new Promise((r) => setTimeout(r, 20));
      }
      expect(receiver.requests()).toBe(1);
    } finally {
      await output.stop(1000);
      await receiver.close();
    }
    expect(messages).toEqual([
      `remote write to ${receiver.url} failed (HTTP 400); dropping that batch`,
      'remote write: 10 of 10 samples were not delivered (last error: HTTP 400)',
    ]);
    expect(output.stats()).toMatchObject({ url: receiver.url, lastError: 'HTTP 400' });
  }, 30_000);
});
