import { randomBytes } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { z } from 'zod';
import { readJsonOrRefuse, refuse, startsWithSecret } from '../http/request-guards.js';
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

export interface WebhookReceiverOptions {
  /**
   * The secret in the path Alertmanager posts to (`/alertmanager/<secret>/<receiver>`), `true` for a random
   * one: anyone on the machine can reach the port, but only 0600 files hold the path (`start`: Alertmanager's
   * config and the state file; `generate --webhook-port`: its token file). `false` for none
   * (`/alertmanager/<receiver>`, `generate --webhook-open`): a private network's, where only Alertmanager
   * reaches the port (the compose variant's, whose Alertmanager configuration is a file of the repository).
   */
  secretPath: boolean | string;
}

/** Receives Alertmanager's webhook notifications on POST /alertmanager/<token>/<receiver> and keeps the latest. */
export class WebhookReceiver {
  readonly notifications = new BoundedLog<Notification>(notificationBytes);
  /** The path Alertmanager's webhook URLs start with (receiver names follow). Holds the secret. */
  readonly path: string;
  private server: Server | undefined;

  constructor(
    private readonly onNotification: ((n: Notification) => void) | undefined,
    options: WebhookReceiverOptions,
  ) {
    const secret = options.secretPath === true ? randomBytes(24).toString('base64url') : options.secretPath;
    this.path = secret === false ? '/alertmanager' : `/alertmanager/${secret}`;
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

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    if (req.method !== 'POST' || !startsWithSecret(req.url ?? '', `${this.path}/`))
      return refuse(res, 404, 'not found');
    const read = await readJsonOrRefuse(req, res, MAX_WEBHOOK_BODY);
    if (read === 'refused') return;
    const parsed = webhookPayload.safeParse(read.body);
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
