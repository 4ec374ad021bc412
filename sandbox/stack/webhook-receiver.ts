import { randomBytes, timingSafeEqual } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { z } from 'zod';
import { BoundedLog } from './bounded-log.js';

/** One alert of an Alertmanager webhook notification (payload version 4). */
export interface Notification {
  receivedAt: number;
  receiver: string;
  status: 'firing' | 'resolved';
  alertname: string;
  labels: Record<string, string>;
  startsAt: string;
}

/** Larger requests are refused (413) while they are read: Alertmanager's notifications are a few KiB. */
export const MAX_WEBHOOK_BODY = 1 << 20;

const labelSet = z.record(z.string(), z.string());
const status = z.enum(['firing', 'resolved']);

/** Alertmanager's webhook payload, as documented (https://prometheus.io/docs/alerting/latest/configuration/#webhook_config). */
export const webhookPayload = z.object({
  version: z.literal('4'),
  groupKey: z.string(),
  truncatedAlerts: z.number().int().nonnegative().optional(),
  status,
  receiver: z.string(),
  groupLabels: labelSet,
  commonLabels: labelSet,
  commonAnnotations: labelSet,
  externalURL: z.string(),
  alerts: z.array(
    z.object({
      status,
      labels: labelSet,
      annotations: labelSet,
      startsAt: z.string(),
      endsAt: z.string(),
      generatorURL: z.string(),
      fingerprint: z.string(),
    }),
  ),
});

/** What a kept notification costs, roughly: its strings (UTF-16) plus a fixed overhead. */
const notificationBytes = (n: Notification) =>
  2 * (n.receiver.length + n.alertname.length + n.startsAt.length) +
  Object.entries(n.labels).reduce((sum, [k, v]) => sum + 2 * (k.length + v.length) + 64, 256);

class BodyTooLarge extends Error {}

async function readBody(req: IncomingMessage): Promise<Buffer> {
  if (Number(req.headers['content-length'] ?? 0) > MAX_WEBHOOK_BODY) throw new BodyTooLarge();
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > MAX_WEBHOOK_BODY) throw new BodyTooLarge();
    chunks.push(chunk);
  }
  return Buffer.concat(chunks);
}

/** Answers and closes the connection: what the client still sends is not read. */
function refuse(res: ServerResponse, code: number, text: string): void {
  res.writeHead(code, { 'content-type': 'text/plain', connection: 'close' });
  res.end(`${text}\n`, () => res.socket?.destroy());
}

export interface WebhookReceiverOptions {
  /**
   * A random secret in the path Alertmanager posts to (`/alertmanager/<token>/<receiver>`): anyone on the
   * machine can reach the port, but only Alertmanager's config (0600) and the state file (0600) hold the path.
   * Without it (`sandbox generate --webhook-port`, whose port the user publishes) the path is `/alertmanager/<receiver>`.
   */
  secretPath?: boolean;
}

/** Receives Alertmanager's webhook notifications on POST /alertmanager/<token>/<receiver> and keeps the latest. */
export class WebhookReceiver {
  readonly notifications = new BoundedLog<Notification>(notificationBytes);
  /** The path Alertmanager's webhook URLs start with (receiver names follow). Holds the secret. */
  readonly path: string;
  private server: Server | undefined;

  constructor(
    private readonly onNotification?: (n: Notification) => void,
    options: WebhookReceiverOptions = {},
  ) {
    this.path = options.secretPath
      ? `/alertmanager/${randomBytes(24).toString('base64url')}`
      : '/alertmanager';
  }

  async start(host = '127.0.0.1', port = 0): Promise<number> {
    this.server = createServer((req, res) => void this.handle(req, res));
    await new Promise<void>((resolve, reject) => {
      this.server!.once('error', reject);
      this.server!.listen(port, host, resolve);
    });
    return (this.server.address() as AddressInfo).port;
  }

  async stop(): Promise<void> {
    this.server?.closeAllConnections();
    await new Promise((resolve) => (this.server ? this.server.close(resolve) : resolve(undefined)));
  }

  /** Whether the request's path is this receiver's secret path followed by a receiver name. */
  private addressed(url: string | undefined): boolean {
    const prefix = Buffer.from(`${this.path}/`);
    const given = Buffer.from(url ?? '').subarray(0, prefix.length);
    return given.length === prefix.length && timingSafeEqual(given, prefix);
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    if (req.method !== 'POST' || !this.addressed(req.url)) return refuse(res, 404, 'not found');
    let body: Buffer;
    try {
      body = await readBody(req);
    } catch (error) {
      if (error instanceof BodyTooLarge)
        return refuse(res, 413, `request body over ${MAX_WEBHOOK_BODY} bytes`);
      return refuse(res, 400, 'request not read');
    }
    let parsed;
    try {
      parsed = webhookPayload.safeParse(JSON.parse(body.toString('utf8')));
    } catch {
      return refuse(res, 400, 'invalid webhook payload: not JSON');
    }
    if (!parsed.success) {
      const issue = parsed.error.issues[0];
      return refuse(
        res,
        400,
        `invalid webhook payload: ${issue?.path.join('.') ?? ''}: ${issue?.message ?? ''}`,
      );
    }
    this.accept(parsed.data);
    res.writeHead(200).end();
  }

  private accept(payload: z.infer<typeof webhookPayload>): void {
    for (const alert of payload.alerts) {
      const notification: Notification = {
        receivedAt: Date.now(),
        receiver: payload.receiver,
        status: alert.status,
        alertname: alert.labels.alertname ?? '',
        labels: alert.labels,
        startsAt: alert.startsAt,
      };
      this.notifications.push(notification);
      this.onNotification?.(notification);
    }
  }
}
