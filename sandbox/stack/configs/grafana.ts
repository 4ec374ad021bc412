import { stringify } from 'yaml';
import type { StackAddresses } from '../topology.js';

/** Where the dashboards are inside Grafana's container (or data dir, natively). */
export interface GrafanaDashboardPaths {
  bundled: string;
  user?: string;
}

/**
 * Datasources (Grafana's file provisioning format): Prometheus (default), Loki with a derived field from
 * `trace_id` to Jaeger, Jaeger with traces-to-logs in Loki (service.name → job), and Alertmanager.
 */
export function grafanaDatasources(addresses: StackAddresses): string {
  return stringify({
    apiVersion: 1,
    datasources: [
      {
        name: 'Prometheus',
        type: 'prometheus',
        uid: 'prometheus',
        access: 'proxy',
        url: `http://${addresses.service('prometheus')}`,
        isDefault: true,
        jsonData: { httpMethod: 'POST', timeInterval: '15s' },
        editable: false,
      },
      {
        name: 'Loki',
        type: 'loki',
        uid: 'loki',
        access: 'proxy',
        url: `http://${addresses.service('loki')}`,
        jsonData: {
          maxLines: 1000,
          derivedFields: [
            {
              name: 'trace_id',
              matcherType: 'regex',
              matcherRegex: '"trace_id":"([0-9a-f]{32})"',
              datasourceUid: 'jaeger',
              // `$$` because provisioning files expand environment variables.
              url: '$${__value.raw}',
              urlDisplayLabel: 'Open trace in Jaeger',
            },
          ],
        },
        editable: false,
      },
      {
        name: 'Jaeger',
        type: 'jaeger',
        uid: 'jaeger',
        access: 'proxy',
        url: `http://${addresses.service('jaeger', 'ui')}`,
        jsonData: {
          tracesToLogsV2: {
            datasourceUid: 'loki',
            spanStartTimeShift: '-5m',
            spanEndTimeShift: '5m',
            filterByTraceID: true,
            filterBySpanID: false,
            tags: [{ key: 'service.name', value: 'job' }],
          },
        },
        editable: false,
      },
      {
        name: 'Alertmanager',
        type: 'alertmanager',
        uid: 'alertmanager',
        access: 'proxy',
        url: `http://${addresses.service('alertmanager')}`,
        jsonData: { implementation: 'prometheus', handleGrafanaManagedAlerts: false },
        editable: false,
      },
    ],
  });
}

/** Dashboard providers: the bundled dashboards, and the user's own directory when given. */
export function grafanaDashboardProviders(paths: GrafanaDashboardPaths): string {
  const provider = (name: string, folder: string, path: string) => ({
    name,
    orgId: 1,
    folder,
    type: 'file',
    disableDeletion: true,
    allowUiUpdates: false,
    updateIntervalSeconds: 10,
    options: { path, foldersFromFilesStructure: false },
  });
  return stringify({
    apiVersion: 1,
    providers: [
      provider('obs-sandbox', 'obs-sandbox', paths.bundled),
      ...(paths.user ? [provider('user', 'Your dashboards', paths.user)] : []),
    ],
  });
}

/** Environment for Grafana: a generated admin password, no sign-up, no anonymous access, no phoning home. */
export function grafanaEnvironment(adminPassword: string): Record<string, string> {
  return {
    GF_SECURITY_ADMIN_USER: 'admin',
    GF_SECURITY_ADMIN_PASSWORD: adminPassword,
    GF_USERS_ALLOW_SIGN_UP: 'false',
    GF_AUTH_ANONYMOUS_ENABLED: 'false',
    GF_ANALYTICS_REPORTING_ENABLED: 'false',
    GF_ANALYTICS_CHECK_FOR_UPDATES: 'false',
    GF_NEWS_NEWS_FEED_ENABLED: 'false',
    GF_DASHBOARDS_DEFAULT_HOME_DASHBOARD_PATH: '/var/lib/grafana/dashboards/bundled/sandbox-overview.json',
  };
}
