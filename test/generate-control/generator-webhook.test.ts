import { chmod, mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import {
  startGeneratorWebhook,
  type GeneratorWebhook,
} from '../../sandbox/generate-control/generator-webhook.js';
import { payload, post } from '../support/alertmanager-webhook.js';

const dir = await mkdtemp(join(tmpdir(), 'obs-sandbox-generator-webhook-'));
afterAll(() => rm(dir, { recursive: true, force: true }));
const started: GeneratorWebhook[] = [];
afterEach(async () => {
  for (const webhook of started.splice(0)) await webhook.stop();
});

async function webhook(options: { tokenFile?: string; open?: boolean } = {}) {
  const seen: string[] = [];
  const started_ = await startGeneratorWebhook({
    host: '127.0.0.1',
    port: 0,
    ...options,
    onNotification: (n) => seen.push(n.alertname),
  });
  started.push(started_);
  return { webhook: started_, seen, port: Number(new URL(started_.url.replace(/<\w+>/g, 'x')).port) };
}

const body = JSON.stringify(payload());

describe("generate --webhook-port's receiver", () => {
  it('answers only on the secret path of its 0600 token file, which it removes when it made it', async () => {
    const { webhook: w, seen, port } = await webhook();
    expect(w.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/alertmanager\/<token>\/<receiver>$/);
    expect((await stat(w.tokenFile!)).mode & 0o777).toBe(0o600);
    const token = (await readFile(w.tokenFile!, 'utf8')).trim();
    expect(token).toMatch(/^[\w-]{32}$/);
    expect(await post(port, '/alertmanager/team', body)).toBe(404);
    expect(seen).toEqual([]);
    expect(await post(port, `/alertmanager/${token}/team`, body)).toBe(200);
    expect(seen).toEqual(['ReceiptWriteFailure']);
    await w.stop();
    await expect(stat(w.tokenFile!)).rejects.toThrow(/ENOENT/);
  });

  it('keeps the secret of a named token file across restarts, and refuses one others can read', async () => {
    const file = join(dir, 'webhook.token');
    const first = await webhook({ tokenFile: file });
    expect(first.webhook.tokenFile).toBe(file);
    expect((await stat(file)).mode & 0o777).toBe(0o600);
    await first.webhook.stop();
    const second = await webhook({ tokenFile: file });
    const token = (await readFile(file, 'utf8')).trim();
    expect(await post(second.port, `/alertmanager/${token}/team`, body)).toBe(200);
    const shared = join(dir, 'shared.token');
    await writeFile(shared, 'abc\n');
    await chmod(shared, 0o644);
    await expect(webhook({ tokenFile: shared })).rejects.toThrow(
      /--webhook-token-file .*shared\.token: readable by others \(mode 644\); run `chmod 600/,
    );
    const slashed = join(dir, 'slashed.token');
    await writeFile(slashed, 'a/b\n', { mode: 0o600 });
    await expect(webhook({ tokenFile: slashed })).rejects.toThrow(/may hold only letters, digits, - and _/);
  });

  it('with open, answers on /alertmanager/<receiver> and has no token file', async () => {
    const { webhook: w, seen, port } = await webhook({ open: true });
    expect(w.url).toMatch(/\/alertmanager\/<receiver>$/);
    expect(w.tokenFile).toBeUndefined();
    expect(await post(port, '/alertmanager/team', body)).toBe(200);
    expect(seen).toEqual(['ReceiptWriteFailure']);
  });

  it('says in one line that its port is in use', async () => {
    const busy = createServer();
    await new Promise<void>((resolve) => busy.listen(0, '127.0.0.1', resolve));
    const port = (busy.address() as { port: number }).port;
    try {
      await expect(
        startGeneratorWebhook({ host: '127.0.0.1', port, onNotification: () => undefined }),
      ).rejects.toThrow(`--webhook-port ${port} is in use; choose another, or 0 for any free port`);
    } finally {
      busy.close();
    }
  });
});
