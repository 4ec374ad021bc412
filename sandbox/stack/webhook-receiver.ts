import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { RingBuffer } from '../../generators/outputs/logs/ring-buffer.js';

/** One alert of an Alertmanager webhook notification (payload version 4). */
export interface Notification {
  receivedAt: number;
  receiver: string;
  status: 'firing' | 'resolved';
  alertname: string;
  labels: Record<string, string>;
  startsAt: string;
}

interface WebhookPayload {
  version?: string;
  receiver?: string;
  alerts?: { status?: string; labels?: Record<string, string>; startsAt?: string }[];
}

/** Receives Alertmanager's webhook notifications on POST /alertmanager/<receiver> and keeps the latest. */
export class WebhookReceiver {
  readonly notifications = new RingBuffer<Notification>(1000);
  private server: Server | undefined;

  constructor(private readonly onNotification?: (n: Notification) => void) {}

  async start(host = '127.0.0.1', port = 0): Promise<number> {
    this.server = createServer((req, res) => {
      if (req.method !== 'POST' || !req.url?.startsWith('/alertmanager')) {
        res.writeHead(404).end();
        return;
      }
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        try {
          this.accept(JSON.parse(Buffer.concat(chunks).toString('utf8')) as WebhookPayload);
          res.writeHead(200).end();
        } catch {
          res.writeHead(400).end('invalid webhook payload\n');
        }
      });
    });
    await new Promise<void>((resolve, reject) => {
      this.server!.once('error', reject);
      this.server!.listen(port, host, resolve);
    });
    return (this.server.address() as AddressInfo).port;
  }

  async stop(): Promise<void> {
    await new Promise((resolve) => (this.server ? this.server.close(resolve) : resolve(undefined)));
  }

  private accept(payload: WebhookPayload): void {
    for (const alert of payload.alerts ?? []) {
      const notification: Notification = {
        receivedAt: Date.now(),
        receiver: payload.receiver ?? '',
        status: alert.status === 'resolved' ? 'resolved' : 'firing',
        alertname: alert.labels?.alertname ?? '',
        labels: alert.labels ?? {},
        startsAt: alert.startsAt ?? '',
      };
      this.notifications.push(notification);
      this.onNotification?.(notification);
    }
  }
}
