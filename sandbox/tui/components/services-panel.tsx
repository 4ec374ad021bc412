import { Box, Text } from 'ink';
import { memo, type ReactElement } from 'react';
import type { ServiceStatus } from '../../stack/native/native-stack.js';
import type { OutputView, TuiViewModel } from '../view-model.js';
import { wrapText } from './format.js';
import { PanelTitle } from './panel-title.js';

export interface ServicesPanelProps {
  services: readonly ServiceStatus[];
  grafanaLogin?: TuiViewModel['grafanaLogin'];
  /** The generators' pushes outside the stack: a row each, and its last error under it. */
  outputs?: readonly OutputView[];
  /** One line for all services instead of a row each (no reasons, versions or URLs). */
  compact: boolean;
  maxRows: number;
  width: number;
}

/** A reason wraps to at most this many lines under its service; the help overlay shows it whole. */
const MAX_REASON_LINES = 3;

const SERVICE_STATE_COLOR: Record<ServiceStatus['state'], string> = {
  running: 'green',
  starting: 'yellow',
  unavailable: 'gray',
  failed: 'red',
  crashed: 'red',
};

export function hasReason(s: ServiceStatus): boolean {
  return s.reason !== undefined && s.state !== 'running' && s.state !== 'starting';
}

/**
 * Why a service does not run, in lines of `width`: its fix when it has one (the reason's detail is in the
 * help overlay), wrapped rather than cut at the panel's edge; a longer text ends in "… (? for all)".
 */
export function reasonLines(status: ServiceStatus, width: number): string[] {
  const lines = wrapText(`↳ ${status.fix ?? status.reason ?? ''}`, Math.max(20, width - 2));
  if (lines.length <= MAX_REASON_LINES) return lines.map((l, i) => (i === 0 ? `  ${l}` : `    ${l}`));
  const kept = lines.slice(0, MAX_REASON_LINES);
  const more = ' … (? for all)';
  const last = kept[MAX_REASON_LINES - 1]!;
  kept[MAX_REASON_LINES - 1] = `${last.slice(0, Math.max(0, width - 6 - more.length))}${more}`;
  return kept.map((l, i) => (i === 0 ? `  ${l}` : `    ${l}`));
}

/** Rows the panel uses when given room: the layout sizes itself on this. */
export function servicesPanelRows(
  services: readonly ServiceStatus[],
  grafanaLogin: boolean,
  compact: boolean,
  width: number,
  outputs: readonly OutputView[] = [],
): number {
  const login = grafanaLogin ? 1 : 0;
  const pushes = outputs.reduce((n, o) => n + (o.lastError === undefined ? 1 : 2), 0);
  if (compact) return 1 + login + pushes;
  const reasons = services.filter(hasReason).reduce((n, s) => n + reasonLines(s, width).length, 0);
  return 1 + services.length + reasons + login + pushes;
}

const count = (n: number) => n.toLocaleString('en');

/**
 * A push output's row (the counts first: a narrow column cuts the URL), and its last error under it (each a
 * line, so that maxRows cuts them alike).
 */
function outputLines(output: OutputView): ReactElement[] {
  const trouble = output.dropped > 0 || output.lastError !== undefined;
  const lines = [
    <Text key={`output-${output.name}`} wrap="truncate-end">
      <Text color={trouble ? 'yellow' : 'green'}>{output.name.padEnd(13)}</Text>
      sent {count(output.sent)} queued {count(output.queued)}{' '}
      <Text color={output.dropped > 0 ? 'red' : undefined}>dropped {count(output.dropped)}</Text>{' '}
      <Text dimColor>{output.url}</Text>
    </Text>,
  ];
  if (output.lastError !== undefined)
    lines.push(
      <Text key={`output-${output.name}-error`} color="red" wrap="truncate-end">
        {`  ↳ last error: ${output.lastError}`}
      </Text>,
    );
  return lines;
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
      {services.some(hasReason) ? <Text dimColor>(? why)</Text> : null}
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
  outputs = [],
  compact,
  maxRows,
  width,
}: ServicesPanelProps) {
  const lines: ReactElement[] = [];
  if (compact) {
    lines.push(<CompactServices key="services" services={services} />);
  } else {
    lines.push(<PanelTitle key="title" title="Services" />);
    for (const status of services) {
      lines.push(<ServiceRow key={status.service} status={status} />);
      if (!hasReason(status)) continue;
      reasonLines(status, width).forEach((line, i) =>
        lines.push(
          <Text
            key={`${status.service}-reason-${i}`}
            color={SERVICE_STATE_COLOR[status.state]}
            wrap="truncate-end"
          >
            {line}
          </Text>,
        ),
      );
    }
  }
  for (const output of outputs) lines.push(...outputLines(output));
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
