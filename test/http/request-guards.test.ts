import type { IncomingMessage } from 'node:http';
import { Readable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import {
  BodyTooLarge,
  checkBearer,
  readBoundedBody,
  startsWithSecret,
} from '../../sandbox/http/request-guards.js';

/** A request as the guards see it: headers and a body stream (no socket). */
function request(chunks: readonly string[], headers: Record<string, string> = {}): IncomingMessage {
  return Object.assign(Readable.from(chunks.map((c) => Buffer.from(c))), { headers }) as never;
}

describe('the HTTP request guards', () => {
  it('accept exactly the bearer token', () => {
    expect(checkBearer(request([], { authorization: 'Bearer s3cret' }), 's3cret')).toBe(true);
    for (const given of ['Bearer s3cre', 'Bearer s3cret2', 'bearer s3cret', 's3cret', ''])
      expect(checkBearer(request([], { authorization: given }), 's3cret'), given).toBe(false);
    expect(checkBearer(request([]), 's3cret')).toBe(false);
  });

  it('accept a path only when it starts with the whole secret', () => {
    expect(startsWithSecret('/alertmanager/abc/team', '/alertmanager/abc/')).toBe(true);
    expect(startsWithSecret('/alertmanager/ab/team', '/alertmanager/abc/')).toBe(false);
    expect(startsWithSecret('/alertmanager/abd/team', '/alertmanager/abc/')).toBe(false);
    expect(startsWithSecret('/alert', '/alertmanager/abc/')).toBe(false);
  });

  it('read a body up to the limit, and refuse one over it by its Content-Length or while reading', async () => {
    expect((await readBoundedBody(request(['ab', 'cd']), 4)).toString()).toBe('abcd');
    await expect(readBoundedBody(request(['ab', 'cde']), 4)).rejects.toBeInstanceOf(BodyTooLarge);
    const declared = request(['a'], { 'content-length': '5' });
    await expect(readBoundedBody(declared, 4)).rejects.toThrow('request body larger than 4 bytes');
  });
});
