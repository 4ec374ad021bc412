import { stringify } from 'yaml';

/** Where the dashboards are inside Grafana's container (or data dir, natively). */
export interface GrafanaDashboardPaths {
  bundled: string;
  user?: string;
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
