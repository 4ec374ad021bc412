import { Box, Text } from 'ink';
import { memo, type ReactElement } from 'react';
import type { ServiceStatus } from '../../stack/native/native-stack.js';
import type { TuiViewModel } from '../view-model.js';
import { PanelTitle } from './panel-title.js';

export interface ServicesPanelProps {
  services: readonly ServiceStatus[];
  grafanaLogin?: TuiViewModel['grafanaLogin'];
  /** One line for all services instead of a row each (no reasons, versions or URLs). */
  compact: boolean;
  maxRows: number;
}

const SERVICE_STATE_COLOR: Record<ServiceStatus['state'], string> = {
  running: 'green',
  starting: 'yellow',
  unavailable: 'gray',
  failed: 'red',
  crashed: 'red',
};

function hasReason(s: ServiceStatus): boolean {
  return s.reason !== undefined && s.state !== 'running' && s.state !== 'starting';
}

/** Rows the panel uses when given room: the layout sizes itself on this. */
export function servicesPanelRows(
  services: readonly ServiceStatus[],
  grafanaLogin: boolean,
  compact: boolean,
): number {
  const login = grafanaLogin ? 1 : 0;
  if (compact) return 1 + login;
  return 1 + services.length + services.filter(hasReason).length + login;
}

function ServiceRow({ status }: { status: ServiceStatus }) {
  return (
    <Text wrap="truncate-end">
      {status.service.padEnd(13)}
      <Text color={SERVICE_STATE_COLOR[status.state]}>{status.state.padEnd(12)}</Text>
      {status.runtime.padEnd(7)}
      <Text dimColor>{(status.version ?? '').padEnd(10)}</Text>
      {status.url ?? ''}
    </Text>
  );
}

function CompactServices({ services }: { services: readonly ServiceStatus[] }) {
  return (
    <PanelTitle title="Services">
      {services.map((s) => (
        <Text key={s.service}>
          {' '}
          <Text color={SERVICE_STATE_COLOR[s.state]}>●</Text> {s.service}
          {s.state === 'running' ? '' : <Text color={SERVICE_STATE_COLOR[s.state]}> {s.state}</Text>}
        </Text>
      ))}
    </PanelTitle>
  );
}

/** The stack's services and their state, then the Grafana login. */
export const ServicesPanel = memo(function ServicesPanel({
  services,
  grafanaLogin,
  compact,
  maxRows,
}: ServicesPanelProps) {
  const lines: ReactElement[] = [];
  if (compact) {
    lines.push(<CompactServices key="services" services={services} />);
  } else {
    lines.push(<PanelTitle key="title" title="Services" />);
    for (const status of services) {
      lines.push(<ServiceRow key={status.service} status={status} />);
      if (hasReason(status)) {
        lines.push(
          <Text
            key={`${status.service}-reason`}
            color={SERVICE_STATE_COLOR[status.state]}
            wrap="truncate-end"
          >
            {`  ↳ ${status.reason}`}
          </Text>,
        );
      }
    }
  }
  if (grafanaLogin) {
    lines.push(
      <Text key="grafana-login" wrap="truncate-end">
        <Text bold>Grafana</Text> {grafanaLogin.url} <Text dimColor>user</Text> {grafanaLogin.user}{' '}
        <Text dimColor>password</Text> {grafanaLogin.password}
      </Text>,
    );
  }
  return <Box flexDirection="column">{lines.slice(0, Math.max(0, maxRows))}</Box>;
});
