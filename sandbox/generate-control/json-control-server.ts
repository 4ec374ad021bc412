import { timingSafeEqual } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/** A control request is a fault or a knob: a few hundred bytes. Larger bodies are refused (413). */
export const MAX_CONTROL_BODY = 64 * 1024;

export interface ControlRequest {
  method: string;
  path: string;
  body: unknown;
}

export interface ControlResponse {
  status: number;
  body: object;
}

class BodyTooLarge extends Error {}

async function readBody(req: IncomingMessage): Promise<unknown> {
  if (Number(req.headers['content-length'] ?? 0) > MAX_CONTROL_BODY) throw new BodyTooLarge();
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > MAX_CONTROL_BODY) throw new BodyTooLarge();
    chunks.push(chunk);
  }
  const text = Buffer.concat(chunks).toString('utf8');
  return text.trim() === '' ? undefined : JSON.parse(text);
}

function send(res: ServerResponse, { status, body }: ControlResponse): void {
  res.writeHead(status, { 'content-type': 'application/json' }).end(`${JSON.stringify(body)}\n`);
}

/**
 * A small JSON API that every request must authenticate to with `Authorization: Bearer <token>` (compared
 * in constant time), with bodies limited to MAX_CONTROL_BODY. The same mechanisms as the sandbox's control
 * API (sandbox/stack/control-server.ts), for the processes of `sandbox generate`.
 */
export class JsonControlServer {
  private readonly servers: Server[] = [];

  constructor(
    private readonly token: string,
    private readonly handle: (request: ControlRequest) => ControlResponse,
  ) {}

  /** Listens on each host at `port` (0: one free port, the same on every host); returns the URLs. */
  async start(hosts: readonly string[], port: number): Promise<string[]> {
    const urls: string[] = [];
    for (const host of hosts) {
      const server = createServer((req, res) => {
        this.respond(req, res).catch((error: unknown) => {
          if (!res.headersSent) send(res, { status: 500, body: { error: (error as Error).message } });
          else res.end();
        });
      });
      this.servers.push(server);
      await new Promise<void>((resolve, reject) => {
        server.once('error', reject);
        server.listen(urls.length === 0 ? port : Number(new URL(urls[0]!).port), host, resolve);
      });
      const bound = (server.address() as AddressInfo).port;
      urls.push(`http://${host.includes(':') ? `[${host}]` : host}:${bound}`);
    }
    return urls;
  }

  async stop(): Promise<void> {
    await Promise.all(
      this.servers.map((server) => {
        server.closeAllConnections();
        return new Promise((resolve) => server.close(resolve));
      }),
    );
  }

  private authorised(req: IncomingMessage): boolean {
    const given = Buffer.from(req.headers.authorization ?? '');
    const expected = Buffer.from(`Bearer ${this.token}`);
    return given.length === expected.length && timingSafeEqual(given, expected);
  }

  private async respond(req: IncomingMessage, res: ServerResponse): Promise<void> {
    if (!this.authorised(req)) {
      res.setHeader('connection', 'close');
      return send(res, { status: 401, body: { error: 'missing or wrong control token' } });
    }
    let body: unknown;
    try {
      body = await readBody(req);
    } catch (error) {
      res.setHeader('connection', 'close');
      if (error instanceof BodyTooLarge) {
        return send(res, {
          status: 413,
          body: { error: `request body larger than ${MAX_CONTROL_BODY} bytes` },
        });
      }
      return send(res, { status: 400, body: { error: 'the request body is not JSON' } });
    }
    const path = new URL(req.url ?? '/', 'http://control').pathname;
    send(res, this.handle({ method: req.method ?? 'GET', path, body }));
  }
}
