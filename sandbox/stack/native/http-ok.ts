import { get } from 'node:http';

/**
 * Whether a GET of `url` (plain HTTP) answers 2xx within `timeoutMs`; any error is false. Node's http, not
 * fetch: a service's health check is on the path to `ready`, and fetch's first call loads undici (~0.15 s of
 * CPU) on the main thread, which simulates the history meanwhile.
 */
export function httpOk(url: string, timeoutMs: number): Promise<boolean> {
  return new Promise((resolve) => {
    const req = get(url, { agent: false, timeout: timeoutMs }, (res) => {
      res.resume();
      const status = res.statusCode ?? 0;
      resolve(status >= 200 && status < 300);
    });
    req.on('timeout', () => req.destroy(new Error('timeout')));
    req.on('error', () => resolve(false));
  });
}
