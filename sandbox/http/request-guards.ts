import { timingSafeEqual } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';

/**
 * What the sandbox's HTTP listeners (the control APIs, the Alertmanager webhook) share: a secret compared in
 * constant time, a body read only up to a limit, and the answers to a request they refuse.
 */

/** A body over the limit, found while reading it (or from its Content-Length) before it is all in memory. */
export class BodyTooLarge extends Error {
  constructor(readonly limit: number) {
    super(`request body larger than ${limit} bytes`);
  }
}

/** The request's body, refused with BodyTooLarge once it passes `limit` bytes. */
export async function readBoundedBody(req: IncomingMessage, limit: number): Promise<Buffer> {
  if (Number(req.headers['content-length'] ?? 0) > limit) throw new BodyTooLarge(limit);
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > limit) throw new BodyTooLarge(limit);
    chunks.push(chunk);
  }
  return Buffer.concat(chunks);
}

const sameBytes = (a: Buffer, b: Buffer) => a.length === b.length && timingSafeEqual(a, b);

/** Whether `given` starts with `secret`, compared in constant time (the time taken tells nothing of a near miss). */
export function startsWithSecret(given: string, secret: string): boolean {
  const expected = Buffer.from(secret);
  return sameBytes(Buffer.from(given).subarray(0, expected.length), expected);
}

/** Whether the request carries `Authorization: Bearer <token>`, compared in constant time. */
export const checkBearer = (req: IncomingMessage, token: string): boolean =>
  sameBytes(Buffer.from(req.headers.authorization ?? ''), Buffer.from(`Bearer ${token}`));

export function sendJson(res: ServerResponse, status: number, body: object): void {
  res.writeHead(status, { 'content-type': 'application/json' }).end(`${JSON.stringify(body)}\n`);
}

/** Answers `{"error": message}` and closes the connection: what the client still sends is not read. */
export function refuse(res: ServerResponse, status: number, message: string): void {
  res.writeHead(status, { 'content-type': 'application/json', connection: 'close' });
  res.end(`${JSON.stringify({ error: message })}\n`, () => res.socket?.destroy());
}

/** The answer to a request without the control token (before its body is read). */
export const refuseUnauthorised = (res: ServerResponse) => refuse(res, 401, 'missing or wrong control token');

/**
 * The request's body as JSON (undefined when empty), or, when it is over `limit` bytes (413), cannot be
 * read or is not JSON (400), the refusal answered and `refused` returned.
 */
export async function readJsonOrRefuse(
  req: IncomingMessage,
  res: ServerResponse,
  limit: number,
): Promise<{ body: unknown } | 'refused'> {
  let text: string;
  try {
    text = (await readBoundedBody(req, limit)).toString('utf8');
  } catch (error) {
    if (error instanceof BodyTooLarge) refuse(res, 413, error.message);
    else refuse(res, 400, `the request body could not be read (${(error as Error).message})`);
    return 'refused';
  }
  try {
    return { body: text.trim() === '' ? undefined : (JSON.parse(text) as unknown) };
  } catch {
    refuse(res, 400, 'the request body is not JSON');
    return 'refused';
  }
}
