import { request } from 'node:http';

/** A notification as Alertmanager 0.33 sends it (payload version 4). */
export function payload(alertname = 'ReceiptWriteFailure', labels: Record<string, string> = {}) {
  return {
    version: '4',
    groupKey: '{}:{alertname="ReceiptWriteFailure"}',
    truncatedAlerts: 0,
    status: 'firing',
    receiver: 'sandbox-critical',
    groupLabels: { alertname },
    commonLabels: { alertname, severity: 'critical' },
    commonAnnotations: {},
    externalURL: 'http://127.0.0.1:9093',
    alerts: [
      {
        status: 'firing',
        labels: { alertname, severity: 'critical', ...labels },
        annotations: { summary: 'receipts are not written' },
        startsAt: '2026-12-01T00:00:00Z',
        endsAt: '0001-01-01T00:00:00Z',
        generatorURL: 'http://127.0.0.1:9090/graph',
        fingerprint: 'a1b2c3d4e5f60718',
      },
    ],
  };
}

/** POSTs with node:http (fetch would not let a body be cut off by the server without an error). */
export function post(port: number, path: string, body: string | Buffer): Promise<number> {
  return new Promise((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port, path, method: 'POST' }, (res) => {
      res.resume();
      resolve(res.statusCode ?? 0);
    });
    req.on('error', reject);
    req.end(body);
  });
}
