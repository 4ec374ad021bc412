import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Registry } from 'prom-client';
import { UserError } from '../../user-error.js';

export interface TargetServerOptions {
  job: string;
  registry: Registry;
  /** Addresses to listen on; loopback only unless the caller adds e.g. a container network gateway. */
  hosts: readonly string[];
  /** 0 picks a free port (the first host's; the others reuse it). */
  port: number;
  /** While false the target stops answering: connections are cut, so Prometheus records up == 0. */
  isUp: () => boolean;
  /** Runs before each scrape, so the model is advanced to the current time first. */
  beforeScrape?: () => void;
}

/** One job's Prometheus scrape target: GET /metrics renders its registry. */
export class TargetServer {
  private readonly servers: Server[] = [];
  private boundPort = 0;

  constructor(private readonly options: TargetServerOptions) {}

  get url(): string {
    return `http://${hostForUrl(this.options.hosts[0] ?? '127.0.0.1')}:${this.boundPort}/metrics`;
  }

  get port(): number {
    return this.boundPort;
  }

  async start(): Promise<void> {
    let port = this.options.port;
    for (const host of this.options.hosts) {
      const server = createServer((req, res) => {
        if (!this.options.isUp()) {
          req.socket.destroy();
          return;
        }
        if (req.method !== 'GET' || !req.url?.startsWith('/metrics')) {
          const body = req.url === '/' ? `${this.options.job}: metrics at /metrics\n` : 'not found\n';
          res.writeHead(req.url === '/' ? 200 : 404, { 'Content-Type': 'text/plain' }).end(body);
          return;
        }
        this.options.beforeScrape?.();
        const { registry } = this.options;
        registry.metrics().then(
          (text) => res.writeHead(200, { 'Content-Type': registry.contentType }).end(text),
          (error: unknown) => res.writeHead(500, { 'Content-Type': 'text/plain' }).end(`${String(error)}\n`),
        );
      });
      server.keepAliveTimeout = 65_000;
      port = await listen(server, host, port, this.options.job);
      this.servers.push(server);
    }
    this.boundPort = port;
  }

  async close(): Promise<void> {
    await Promise.all(
      this.servers.map(
        (server) =>
          new Promise<void>((resolve) => {
            server.close(() => resolve());
            server.closeAllConnections();
          }),
      ),
    );
    this.servers.length = 0;
  }
}

function listen(server: Server, host: string, port: number, job: string): Promise<number> {
  return new Promise((resolve, reject) => {
    server.once('error', (error: NodeJS.ErrnoException) => {
      if (error.code === 'EADDRINUSE') {
        reject(
          new UserError(
            `port ${port} on ${host} (target of ${job}) is already in use; choose a free base port with --port N, or --port 0 for any free ports`,
          ),
        );
      } else if (error.code === 'EADDRNOTAVAIL') {
        reject(new UserError(`cannot listen on ${host}: no such local address`));
      } else {
        reject(error);
      }
    });
    server.listen(port, host, () => resolve((server.address() as AddressInfo).port));
  });
}

function hostForUrl(host: string): string {
  return host.includes(':') ? `[${host}]` : host;
}
