import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { checkBearer, readJsonOrRefuse, refuseUnauthorised, sendJson } from '../http/request-guards.js';

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

/**
 * A small JSON API that every request must authenticate to with `Authorization: Bearer <token>` (compared
 * in constant time), with bodies limited to MAX_CONTROL_BODY: the sandbox's control API's guards
 * (sandbox/http/request-guards.ts), for the processes of `sandbox generate`.
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
          if (!res.headersSent) sendJson(res, 500, { error: (error as Error).message });
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

  private async respond(req: IncomingMessage, res: ServerResponse): Promise<void> {
    if (!checkBearer(req, this.token)) return refuseUnauthorised(res);
    const read = await readJsonOrRefuse(req, res, MAX_CONTROL_BODY);
    if (read === 'refused') return;
    const path = new URL(req.url ?? '/', 'http://control').pathname;
    const { status, body } = this.handle({ method: req.method ?? 'GET', path, body: read.body });
    sendJson(res, status, body);
  }
}
