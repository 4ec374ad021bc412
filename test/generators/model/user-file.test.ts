import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { UserError } from '../../../generators/user-error.js';
import { MAX_USER_FILE_BYTES, readUserFile } from '../../../generators/model/user-file.js';

const dir = mkdtempSync(join(tmpdir(), 'obs-sandbox-user-file-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const write = (name: string, content: string | Buffer) => {
  const file = join(dir, name);
  writeFileSync(file, content);
  return file;
};

/** The one line a refusal gives, and how long it took. */
async function refusal(file: string): Promise<{ message: string; ms: number }> {
  const started = performance.now();
  const error = await readUserFile(file, 'scenario file').then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(UserError);
  const message = (error as UserError).message;
  expect(message).not.toContain('\n');
  return { message, ms: performance.now() - started };
}

describe('readUserFile', () => {
  it('reads a regular UTF-8 file', async () => {
    expect(await readUserFile(write('ok.yaml', 'name: café ✓\n'), 'scenario file')).toBe('name: café ✓\n');
  });

  it('refuses a FIFO at once instead of waiting for a writer', async () => {
    const fifo = join(dir, 'fifo.yaml');
    execFileSync('mkfifo', [fifo]);
    const { message, ms } = await refusal(fifo);
    expect(message).toBe(
      `scenario file ${fifo} is not a regular file (a device, FIFO or socket) and is not read; give a file`,
    );
    expect(ms).toBeLessThan(5_000);
  }, 20_000);

  it.each(['/dev/zero', '/dev/urandom'])('refuses %s unread', async (device) => {
    const { message, ms } = await refusal(device);
    expect(message).toMatch(/is not a regular file \(a device, FIFO or socket\)/);
    expect(ms).toBeLessThan(5_000);
  });

  it('refuses a directory, a missing file and one over the size limit', async () => {
    expect((await refusal(dir)).message).toMatch(/is not a regular file but a directory; give a file$/);
    expect((await refusal(join(dir, 'missing.yaml'))).message).toMatch(
      /cannot be read; check the path \(it does not exist\)$/,
    );
    const big = write('big.yaml', Buffer.alloc(MAX_USER_FILE_BYTES + 1, 0x20));
    expect((await refusal(big)).message).toBe(
      `scenario file ${big} is ${MAX_USER_FILE_BYTES + 1} bytes; the limit is 1048576 (1 MiB): split it`,
    );
  });

  it('refuses invalid UTF-8 at the line and column of the first bad byte', async () => {
    const file = write(
      'latin1.yaml',
      Buffer.concat([Buffer.from('name: t\ndescription: caf'), Buffer.of(0xe9)]),
    );
    expect((await refusal(file)).message).toBe(
      `${file}:2:17: scenario file is not valid UTF-8 text; save it as UTF-8 (and without binary data)`,
    );
  });

  it('refuses NUL bytes at their line and column', async () => {
    const file = write('nul.yaml', 'name: t\nlabels: { a: "x\u0000" }\n');
    expect((await refusal(file)).message).toBe(
      `${file}:2:16: scenario file contains NUL bytes; it must be text`,
    );
  });
});
