import { chmodSync, copyFileSync, readFileSync } from 'node:fs';
import {
  createServer as createHttpServer,
  type IncomingHttpHeaders,
  type IncomingMessage,
  type Server,
  type ServerResponse,
} from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';

const FIXTURE = join(import.meta.dirname, '../fixtures/remote-write-tls');
/** A self-signed certificate for 127.0.0.1: the receiver's, the CA the client trusts, and the client's. */
export const TLS_CERT = join(FIXTURE, 'cert.pem');

/** The fixture's private key copied into `dir` as an owner-only file, as the CLI requires of a key. */
export function privateKeyIn(dir: string): string {
  const key = join(dir, 'client-key.pem');
  copyFileSync(join(FIXTURE, 'key.pem'), key);
  chmodSync(key, 0o600);
  return key;
}

export const LOKI_PATH = '/loki/api/v1/push';
export const OTLP_PATH = '/v1/traces';

/** Loki and an OTLP receiver in one server: every push, by path, with its headers and body. */
export class PushReceiver {
  readonly pushes: { path: string; headers: IncomingHttpHeaders; body: string }[] = [];
  private server: Server | undefined;

  /** Its URL. Over https with `key`: TLS_CERT, and a client certificate required of every caller. */
  async listen(key?: string): Promise<string> {
    const handler = (req: IncomingMessage, res: ServerResponse) => {
      let body = '';
      req.on('data', (chunk: Buffer) => (body += chunk.toString()));
      req.on('end', () => {
        this.pushes.push({ path: req.url ?? '', headers: req.headers, body });
        res.writeHead(req.url === OTLP_PATH ? 200 : 204, { 'Content-Type': 'application/json' });
        res.end(req.url === OTLP_PATH ? '{}' : undefined);
      });
    };
    const pem = readFileSync(TLS_CERT);
    const server = key
      ? createHttpsServer(
          { cert: pem, key: readFileSync(key), ca: pem, requestCert: true, rejectUnauthorized: true },
          handler,
        )
      : createHttpServer(handler);
    this.server = server;
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    return `${key ? 'https' : 'http'}://127.0.0.1:${(server.address() as AddressInfo).port}`;
  }

  headersOf(path: string): IncomingHttpHeaders[] {
    return this.pushes.filter((push) => push.path === path).map((push) => push.headers);
  }

  close(): Promise<void> {
    const server = this.server;
    if (!server) return Promise.resolve();
    server.closeAllConnections();
    return new Promise((resolve) => server.close(() => resolve()));
  }
}
