import type { Notification } from '../../../stack/webhook-receiver.js';
import { getJson, type ApiEndpoint } from '../api-endpoint.js';

interface ApiV2Alert {
  labels: Record<string, string>;
  startsAt: string;
  fingerprint: string;
  receivers: { name: string }[];
  status: { state: 'active' | 'suppressed' | 'unprocessed' };
}

/** How often Alertmanager's alerts are read: as often as Prometheus' are. */
const POLL_MS = 1000;

/**
 * Alertmanager's view of the alerts it holds, read every second from /api/v2/alerts: each active (not
 * silenced, not inhibited) alert, for each receiver its routes end on, counts as a notification from when
 * it was first seen there. A remote environment's webhook cannot be read; its routing can.
 */
export class AlertmanagerWatch {
  private readonly seen = new Map<string, Notification>();
  private timer: NodeJS.Timeout | undefined;
  private polling: Promise<void> | undefined;

  constructor(private readonly alertmanager: ApiEndpoint) {}

  start(): void {
    const tick = () => {
      this.polling = this.poll().finally(() => {
        if (this.timer) this.timer = setTimeout(tick, POLL_MS);
      });
    };
    this.timer = setTimeout(tick, 0);
  }

  async stop(): Promise<void> {
    clearTimeout(this.timer);
    this.timer = undefined;
    await this.polling;
  }

  notifications(): readonly Notification[] {
    return [...this.seen.values()];
  }

  async poll(): Promise<void> {
    const alerts = await getJson<ApiV2Alert[]>(this.alertmanager, '/api/v2/alerts').catch(() => []);
    const now = Date.now();
    for (const alert of alerts) {
      if (alert.status.state !== 'active') continue;
      const { alertname = '', ...labels } = alert.labels;
      for (const { name } of alert.receivers) {
        const key = `${alert.fingerprint}/${alert.startsAt}/${name}`;
        if (this.seen.has(key)) continue;
        this.seen.set(key, {
          receivedAt: now,
          receiver: name,
          status: 'firing',
          alertname,
          labels,
          startsAt: alert.startsAt,
        });
      }
    }
  }
}
