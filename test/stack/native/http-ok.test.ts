import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { httpOk } from '../../../sandbox/stack/native/http-ok.js';

let server: Server | undefined;

async function serve(handler: Parameters<typeof createServer>[1]): Promise<string> {
  server = createServer(handler);
  await new Promise<void>((resolve) => server!.listen(0, '127.0.0.1', resolve));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

afterEach(async () => {
  server?.closeAllConnections();
  await new Promise((resolve) => server?.close(resolve) ?? resolve(undefined));
  server = undefined;
});

describe('httpOk', () => {
  it('is true for a 2xx answer, on the path asked for', async () => {
    const paths: string[] = [];
    const base = await serve((req, res) => {
      paths.push(req.url ?? '');
      res.end('Prometheus Server is Ready.\n');
    });
    expect(await httpOk(`${base}/-/ready`, 5000)).toBe(true);
    expect(paths).toEqual(['/-/ready']);
  });

  it('is false for an error status', async () => {
    const base = await serve((_req, res) => {
      res.statusCode = 503;
      res.end('Service Unavailable');
    });
    expect(await httpOk(`${base}/-/ready`, 5000)).toBe(false);
  });

  it('is false when nothing listens', async () => {
    const base = await serve((_req, res) => res.end());
    server!.close();
    expect(await httpOk(`${base}/-/ready`, 5000)).toBe(false);
  });

  it('is false when the answer does not come within the timeout', async () => {
    const base = await serve(() => undefined);
    expect(await httpOk(`${base}/-/ready`, 100)).toBe(false);
  });
});
