import { Agent, request } from 'node:https';
import { tlsAgentOptions, type PushTls } from '../push-tls.js';

/**
 * A `fetch` for an https receiver with TLS settings of its own (a private CA, a client certificate, no
 * verification), which Node's fetch takes only through an undici dispatcher. It answers what the Loki
 * pusher asks of a fetch: a POST with headers, a string body and an abort signal; a socket error is a
 * `TypeError('fetch failed')` with the error as its cause, as Node's fetch rejects.
 */
export function tlsFetch(tls: PushTls): typeof fetch {
  const agent = new Agent({ keepAlive: true, ...tlsAgentOptions(tls) });
  return ((input: string | URL, init: RequestInit = {}) =>
    new Promise<Response>((resolve, reject) => {
      const req = request(
        input,
        {
          method: init.method ?? 'GET',
          headers: init.headers as Record<string, string> | undefined,
          agent,
          signal: init.signal ?? undefined,
        },
        (res) => {
          const chunks: Buffer[] = [];
          res.on('data', (chunk: Buffer) => chunks.push(chunk));
          res.on('error', reject);
          res.on('end', () => {
            const headers = new Headers();
            for (const [name, value] of Object.entries(res.headers))
              for (const one of [value ?? []].flat()) headers.append(name, one);
            const status = res.statusCode ?? 502;
            const body = chunks.length === 0 ? null : Buffer.concat(chunks);
            resolve(new Response(body, { status, statusText: res.statusMessage, headers }));
          });
        },
      );
      req.on('error', (error) => reject(new TypeError('fetch failed', { cause: error })));
      req.end(init.body as string | undefined);
    })) as typeof fetch;
}
