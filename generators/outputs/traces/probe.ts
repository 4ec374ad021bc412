import http from 'node:http';
import https from 'node:https';
import { tlsAgentOptions, type PushTls } from '../push-tls.js';

/** A short reason for a failed request: the socket error code (ECONNREFUSED) or the message. */
export function failureReason(error: unknown): string {
  if (error instanceof Error) {
    const code = (error as { code?: unknown }).code;
    if (typeof code === 'string') return code;
    if (typeof code === 'number') return `HTTP ${code}`;
    return error.message;
  }
  return String(error);
}

/**
 * Sends one empty OTLP/JSON export request (`{}`, no spans) without retries and resolves to the reason the
 * endpoint cannot take spans, or undefined when it answered. Checked before exporting while the endpoint
 * is unknown or down, because the OTLP exporter retries connection errors for up to its timeout.
 * The socket is unref'ed so a probe never keeps the process alive.
 */
export function probeEndpoint(
  tracesUrl: string,
  headers: Readonly<Record<string, string>>,
  timeoutMillis: number,
  tls?: PushTls,
): Promise<string | undefined> {
  const request = tracesUrl.startsWith('https:') ? https.request : http.request;
  return new Promise((resolve) => {
    const req = request(
      tracesUrl,
      {
        method: 'POST',
        headers: { ...headers, 'Content-Type': 'application/json' },
        agent: false,
        ...(tls && tlsAgentOptions(tls)),
        timeout: timeoutMillis,
      },
      (res) => {
        res.resume();
        const status = res.statusCode ?? 0;
        resolve(status >= 500 || status === 429 ? `HTTP ${status}` : undefined);
      },
    );
    req.on('socket', (socket) => socket.unref());
    req.on('timeout', () => {
      req.destroy();
      resolve(`no answer within ${timeoutMillis} ms`);
    });
    req.on('error', (error) => resolve(failureReason(error)));
    req.end('{}');
  });
}
