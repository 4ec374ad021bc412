import { Box, Text } from 'ink';
import { memo, type ReactElement } from 'react';
import type { Notification } from '../../stack/webhook-receiver.js';
import { distinguishingLabels } from '../../session/alert-rows.js';
import type { AlertRow, AlertState } from '../view-model.js';
import { formatAge, truncate } from './format.js';
import { PanelTitle } from './panel-title.js';

export interface AlertsPanelProps {
  alerts: readonly AlertRow[];
  notifications: readonly Notification[];
  nowMs: number;
  maxRows: number;
  /** At most this many of the latest notifications (fewer when space is short). */
  maxNotifications?: number;
  /** While the rules wait for Prometheus' first scrapes: said on the first line, with the bound. */
  rulesLoading?: { waitMs: number };
}

const STATE_RANK: Record<AlertState, number> = { firing: 0, pending: 1, inactive: 2 };
const SEVERITY_RANK: Record<string, number> = { critical: 0, warning: 1 };
const NAME_WIDTH = 28;

function severityColor(severity: string | undefined): string {
  if (severity === 'critical') return 'red';
  if (severity === 'warning') return 'yellow';
  return 'cyan';
}

/** Firing, then pending, then inactive; the most severe first within each. */
function sortAlerts(alerts: readonly AlertRow[]): AlertRow[] {
  const severity = (a: AlertRow) => SEVERITY_RANK[a.severity ?? ''] ?? 2;
  return [...alerts].sort(
    (a, b) =>
      STATE_RANK[a.state] - STATE_RANK[b.state] || severity(a) - severity(b) || a.name.localeCompare(b.name),
  );
}

function AlertLine({ alert, nowMs }: { alert: AlertRow; nowMs: number }) {
  const active = alert.state !== 'inactive';
  const color = active ? severityColor(alert.severity) : 'gray';
  const name = alert.count > 1 ? `${alert.name} ×${alert.count}` : alert.name;
  const labels = Object.entries(alert.labels ?? {}).map(([k, v]) => `${k}=${v}`);
  return (
    <Text wrap="truncate-end" dimColor={!active}>
      <Text color={color}>{alert.state === 'firing' ? '●' : alert.state === 'pending' ? '◐' : '○'}</Text>{' '}
      <Text color={color} bold={alert.state === 'firing'}>
        {alert.state.padEnd(9)}
        {(alert.severity ?? '').padEnd(9)}
        {truncate(name, NAME_WIDTH).padEnd(NAME_WIDTH)}
      </Text>
      {active && alert.sinceMs !== undefined ? ` for ${formatAge(nowMs - alert.sinceMs)}` : ''}
      {labels.length > 0 ? <Text dimColor> {labels.join(' ')}</Text> : null}
    </Text>
  );
}

function NotificationLine({
  notification: n,
  labels,
  nowMs,
}: {
  notification: Notification;
  /** What tells it apart from the other notifications of its alert. */
  labels: Readonly<Record<string, string>>;
  nowMs: number;
}) {
  const apart = Object.entries(labels).map(([k, v]) => `${k}=${v}`);
  return (
    <Text wrap="truncate-end">
      <Text dimColor>↳ {n.receiver} </Text>
      <Text color={n.status === 'firing' ? 'red' : 'green'}>{n.status.padEnd(9)}</Text>
      {n.alertname}
      {apart.length > 0 ? ` ${apart.join(' ')}` : ''}{' '}
      <Text dimColor>{formatAge(nowMs - n.receivedAt)} ago</Text>
    </Text>
  );
}

function countLine(hiddenActive: number, hiddenInactive: number, shownInactive: number): string {
  const parts: string[] = [];
  if (hiddenActive > 0) parts.push(`+${hiddenActive} more firing/pending`);
  if (hiddenInactive > 0) parts.push(`${hiddenInactive}${shownInactive > 0 ? ' more' : ''} inactive`);
  return parts.join(' · ');
}

/** Alerting rules by state and severity, then Alertmanager's latest notifications. */
export const AlertsPanel = memo(function AlertsPanel({
  alerts,
  notifications,
  nowMs,
  maxRows,
  maxNotifications = 3,
  rulesLoading,
}: AlertsPanelProps) {
  if (maxRows <= 0) return null;
  const sorted = sortAlerts(alerts);
  const count = (state: AlertState) => sorted.filter((a) => a.state === state).length;
  const room = maxRows - 1 - (rulesLoading ? 1 : 0);
  const active = sorted.length - count('inactive');
  // Firing and pending alerts (and the line counting the others) come before notifications.
  const roomLeft = room - active - (active < sorted.length ? 1 : 0);
  const notifyCount = Math.min(
    maxNotifications,
    notifications.length,
    Math.floor(room / 3),
    Math.max(0, roomLeft),
  );
  const labels = distinguishingLabels(notifications);
  const notified =
    notifyCount > 0
      ? notifications
          .map((notification, i) => ({ notification, labels: labels[i]! }))
          .slice(-notifyCount)
          .reverse()
      : [];
  const alertRoom = room - notified.length;
  const lines: ReactElement[] = [];
  if (sorted.length <= alertRoom) {
    lines.push(...sorted.map((a) => <AlertLine key={a.name} alert={a} nowMs={nowMs} />));
  } else if (alertRoom > 0) {
    const shown = sorted.slice(0, alertRoom - 1);
    const shownInactive = shown.filter((a) => a.state === 'inactive').length;
    const hiddenInactive = count('inactive') - shownInactive;
    lines.push(...shown.map((a) => <AlertLine key={a.name} alert={a} nowMs={nowMs} />));
    lines.push(
      <Text key="hidden" dimColor wrap="truncate-end">
        {`  ${countLine(sorted.length - shown.length - hiddenInactive, hiddenInactive, shownInactive)}`}
      </Text>,
    );
  }
  lines.push(
    ...notified.map((n, i) => (
      <NotificationLine key={`n${i}`} notification={n.notification} labels={n.labels} nowMs={nowMs} />
    )),
  );
  return (
    <Box flexDirection="column">
      <PanelTitle title="Alerts">
        <Text color="red"> {count('firing')} firing</Text>
        <Text color="yellow"> · {count('pending')} pending</Text>
        <Text dimColor> · {count('inactive')} inactive</Text>
      </PanelTitle>
      {rulesLoading ? (
        <Text color="yellow" wrap="truncate-end">
          {`the alert rules load after Prometheus' first scrape (at most ${formatAge(rulesLoading.waitMs)})`}
        </Text>
      ) : null}
      {lines}
    </Box>
  );
});
