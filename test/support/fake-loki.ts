import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

interface PushBody {
  streams: { stream: Record<string, string>; values: [string, string][] }[];
}

/**
 * A stand-in for Loki's documented push API (POST /loki/api/v1/push, JSON streams/values, 204 on
 * success), counting the lines it accepts; `listen` on a given port lets it come up late.
 */
export class FakeLoki {
  lines = 0;
  /** The headers of every push it accepted, in order. */
  readonly pushHeaders: IncomingHttpHeaders[] = [];
  private server: Server | undefined;

  async listen(port = 0): Promise<string> {
    this.server = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (chunk: Buffer) => chunks.push(chunk));
      req.on('end', () => {
        if (req.method !== 'POST' || req.url !== '/loki/api/v1/push') return res.writeHead(404).end();
        const body = JSON.parse(Buffer.concat(chunks).toString('utf8')) as PushBody;
        for (const stream of body.streams) this.lines += stream.values.length;
        this.pushHeaders.push(req.headers);
        res.writeHead(204).end();
      });
    });
    await new Promise<void>((resolve) => this.server!.listen(port, '127.0.0.1', resolve));
    return `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
  }

  async close(): Promise<void> {
    const server = this.server;
    if (!server) return;
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  }
}
