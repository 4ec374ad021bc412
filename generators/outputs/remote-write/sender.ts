import { request as httpRequest, Agent as HttpAgent } from 'node:http';
import { request as httpsRequest, Agent as HttpsAgent } from 'node:https';
import { tlsAgentOptions, type PushTls } from '../push-tls.js';
import { REMOTE_WRITE_HEADERS } from './write-request.js';

/** Where and how to push; the TLS settings (CA, client certificate and key) apply to an https receiver. */
export interface SenderOptions extends PushTls {
  url: string;
  /** Extra headers: auth, tenant, the user's own. */
  headers?: Readonly<Record<string, string>>;
  timeoutMs?: number;
  /** Attempts in all, the first included, before a batch is given up on. */
  maxAttempts?: number;
  minBackoffMs?: number;
  maxBackoffMs?: number;
  /** Waits; replaced in tests. */
  sleep?: (ms: number) => Promise<void>;
}

export type SendOutcome =
  | { ok: true; attempts: number }
  | { ok: false; attempts: number; status?: number; reason: string; retryable: boolean };

/**
 * POSTs encoded WriteRequests to one receiver. A 5xx, a 429 or a failed connection is retried with
 * exponential backoff (the spec's recoverable errors); any other 4xx is not: the same batch would fail again.
 */
export class RemoteWriteSender {
  private readonly agent: HttpAgent | HttpsAgent;
  private readonly url: URL;
  private closed = false;

  constructor(private readonly options: SenderOptions) {
    this.url = new URL(options.url);
    this.agent =
      this.url.protocol === 'https:'
        ? new HttpsAgent({ keepAlive: true, ...tlsAgentOptions(options) })
        : new HttpAgent({ keepAlive: true });
  }

  async send(body: Buffer): Promise<SendOutcome> {
    const maxAttempts = this.options.maxAttempts ?? 6;
    let backoff = this.options.minBackoffMs ?? 100;
    for (let attempt = 1; ; attempt++) {
      const result = await this.post(body);
      if (result.status !== undefined && result.status >= 200 && result.status < 300)
        return { ok: true, attempts: attempt };
      const retryable = result.status === undefined || result.status === 429 || result.status >= 500;
      const reason =
        result.status === undefined
          ? result.error
          : `HTTP ${result.status}${result.error === '' ? '' : `: ${result.error}`}`;
      if (!retryable || attempt >= maxAttempts || this.closed)
        return { ok: false, attempts: attempt, status: result.status, reason, retryable };
      await (this.options.sleep ?? sleep)(backoff);
      backoff = Math.min(backoff * 2, this.options.maxBackoffMs ?? 5000);
    }
  }

  /** Stops retrying (a send in flight ends at its next failure) and closes idle connections. */
  close(): void {
    this.closed = true;
    this.agent.destroy();
  }

  private post(body: Buffer): Promise<{ status?: number; error: string }> {
    const request = this.url.protocol === 'https:' ? httpsRequest : httpRequest;
    return new Promise((resolve) => {
      const req = request(
        this.url,
        {
          method: 'POST',
          agent: this.agent,
          timeout: this.options.timeoutMs ?? 30_000,
          headers: { ...this.options.headers, ...REMOTE_WRITE_HEADERS, 'Content-Length': body.length },
        },
        (res) => {
          const chunks: Buffer[] = [];
          res.on('data', (chunk: Buffer) => chunks.push(chunk));
          res.on('end', () =>
            resolve({
              status: res.statusCode,
              error: firstLine(Buffer.concat(chunks).toString('utf8')),
            }),
          );
          res.on('error', (error) => resolve({ status: res.statusCode, error: firstLine(error.message) }));
        },
      );
      req.on('timeout', () => req.destroy(new Error('timed out')));
      // One line: OpenSSL's messages end with a newline, and a status line must stay one line.
      req.on('error', (error) => resolve({ error: firstLine(error.message) }));
      req.end(body);
    });
  }
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms).unref());
}

/** A body's first line, bounded: what a status line or panel row can hold. */
function firstLine(text: string): string {
  const line = text.trim().split('\n', 1)[0]!.trim();
  return line.length > 200 ? `${line.slice(0, 200)}…` : line;
}
