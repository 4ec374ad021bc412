import { readFileSync } from 'node:fs';
import { createServer, type IncomingMessage, type Server } from 'node:http';
import { createServer as createTlsServer } from 'node:https';
import { join } from 'node:path';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { RemoteWriteSender } from '../../../../generators/outputs/remote-write/sender.js';
import {
  decodeWriteRequest,
  encodeWriteRequest,
} from '../../../../generators/outputs/remote-write/write-request.js';

let server: Server | undefined;
afterEach(async () => {
  server?.closeAllConnections();
  await new Promise((r) => (server ? server.close(r) : r(undefined)));
  server = undefined;
});

/** A receiver answering the given statuses in turn (the last one from then on); keeps what it got. */
async function receiver(statuses: number[]) {
  const requests: { headers: IncomingMessage['headers']; body: Buffer }[] = [];
  server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      requests.push({ headers: req.headers, body: Buffer.concat(chunks) });
      res.writeHead(statuses[Math.min(requests.length, statuses.length) - 1]!).end('why');
    });
  });
  await new Promise<void>((r) => server!.listen(0, '127.0.0.1', r));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/api/v1/write`, requests };
}

const body = encodeWriteRequest([
  {
    labels: [
      { name: '__name__', value: 'up' },
      { name: 'job', value: 'x' },
    ],
    samples: [{ value: 1.5, timestamp: 1_700_000_000_123 }],
  },
]);
const noWait = { sleep: () => Promise.resolve(), minBackoffMs: 1 };

describe('the remote write sender', () => {
  it('posts protobuf + snappy with the 1.0 headers and the configured ones', async () => {
    const { url, requests } = await receiver([204]);
    const sender = new RemoteWriteSender({ url, headers: { 'X-Scope-OrgID': 'team-a' } });
    expect(await sender.send(body)).toEqual({ ok: true, attempts: 1 });
    sender.close();
    const [{ headers, body: got }] = requests as [(typeof requests)[0]];
    expect(headers).toMatchObject({
      'content-type': 'application/x-protobuf',
      'content-encoding': 'snappy',
      'x-prometheus-remote-write-version': '0.1.0',
      'x-scope-orgid': 'team-a',
    });
    expect(decodeWriteRequest(got)).toEqual([
      {
        labels: [
          { name: '__name__', value: 'up' },
          { name: 'job', value: 'x' },
        ],
        samples: [{ value: 1.5, timestamp: 1_700_000_000_123 }],
      },
    ]);
  });

  it('retries 5xx and 429 with growing waits, then succeeds', async () => {
    const { url, requests } = await receiver([503, 429, 500, 200]);
    const waits: number[] = [];
    const sender = new RemoteWriteSender({
      url,
      minBackoffMs: 10,
      sleep: (ms) => (waits.push(ms), Promise.resolve()),
    });
    expect(await sender.send(body)).toEqual({ ok: true, attempts: 4 });
    sender.close();
    expect(requests).toHaveLength(4);
    expect(waits).toEqual([10, 20, 40]);
  });

  it('does not retry another 4xx: the same batch would be refused again', async () => {
    const { url, requests } = await receiver([400]);
    const sender = new RemoteWriteSender({ url, ...noWait });
    expect(await sender.send(body)).toEqual({
      ok: false,
      attempts: 1,
      status: 400,
      reason: 'HTTP 400: why',
      retryable: false,
    });
    sender.close();
    expect(requests).toHaveLength(1);
  });

  it('gives up after its attempts when the receiver keeps failing or is not there', async () => {
    const { url } = await receiver([502]);
    const sender = new RemoteWriteSender({ url, maxAttempts: 3, ...noWait });
    expect(await sender.send(body)).toMatchObject({ ok: false, attempts: 3, status: 502, retryable: true });
    sender.close();
    const absent = new RemoteWriteSender({
      url: 'http://127.0.0.1:1/api/v1/write',
      maxAttempts: 2,
      ...noWait,
    });
    expect(await absent.send(body)).toMatchObject({
      ok: false,
      attempts: 2,
      reason: expect.stringMatching(/ECONNREFUSED/),
    });
    absent.close();
  });

  describe('over https', () => {
    /** A self-signed certificate for 127.0.0.1 (made once with openssl, valid for a century). */
    const tls = join(import.meta.dirname, '../../../fixtures/remote-write-tls');
    const ca = readFileSync(join(tls, 'cert.pem'));

    async function tlsReceiver(): Promise<string> {
      server = createTlsServer({ key: readFileSync(join(tls, 'key.pem')), cert: ca }, (req, res) => {
        req.resume();
        req.on('end', () => res.writeHead(204).end());
      }) as unknown as Server;
      await new Promise<void>((r) => server!.listen(0, '127.0.0.1', r));
      return `https://127.0.0.1:${(server.address() as AddressInfo).port}/api/v1/write`;
    }

    it('trusts a receiver whose certificate chains to the given CA, and refuses it without', async () => {
      const url = await tlsReceiver();
      const trusting = new RemoteWriteSender({ url, ca, ...noWait });
      expect(await trusting.send(body)).toEqual({ ok: true, attempts: 1 });
      trusting.close();
      const strict = new RemoteWriteSender({ url, maxAttempts: 1, ...noWait });
      expect(await strict.send(body)).toMatchObject({
        ok: false,
        reason: expect.stringMatching(/self-signed/),
      });
      strict.close();
    });

    it('presents a client certificate to a receiver that asks for one (mutual TLS), and is refused without', async () => {
      const key = readFileSync(join(tls, 'key.pem'));
      // The receiver trusts only clients whose certificate chains to its CA: here the same self-signed one.
      server = createTlsServer(
        { key, cert: ca, ca, requestCert: true, rejectUnauthorized: true },
        (req, res) => {
          req.resume();
          req.on('end', () => res.writeHead(204).end());
        },
      ) as unknown as Server;
      await new Promise<void>((r) => server!.listen(0, '127.0.0.1', r));
      const url = `https://127.0.0.1:${(server.address() as AddressInfo).port}/api/v1/write`;
      const mutual = new RemoteWriteSender({ url, ca, cert: ca, key, ...noWait });
      expect(await mutual.send(body)).toEqual({ ok: true, attempts: 1 });
      mutual.close();
      const anonymous = new RemoteWriteSender({ url, ca, maxAttempts: 1, ...noWait });
      expect(await anonymous.send(body)).toMatchObject({
        ok: false,
        reason: expect.stringMatching(/^[^\n]*certificate required[^\n]*$/),
      });
      anonymous.close();
    });

    it('skips verification when told to', async () => {
      const sender = new RemoteWriteSender({ url: await tlsReceiver(), insecureSkipVerify: true, ...noWait });
      expect(await sender.send(body)).toEqual({ ok: true, attempts: 1 });
      sender.close();
    });
  });
});
