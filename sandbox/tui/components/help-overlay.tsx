import { Box, Text } from 'ink';
import { memo, type ReactElement } from 'react';
import type { ServiceStatus } from '../../stack/native/native-stack.js';
import { wrapText } from './format.js';
import { PanelTitle } from './panel-title.js';
import { hasReason } from './services-panel.js';

const KEYS: readonly (readonly [string, string])[] = [
  ['q, Ctrl-C', 'quit: stop the stack and exit'],
  ['?', 'show or hide this help (Esc hides it)'],
  ['Tab, Shift-Tab', 'focus the next / previous panel: scenario → faults → logs'],
  ['s, f, l', 'focus the scenario, faults or logs panel'],
  ['', 'Scenario panel'],
  ['↑ ↓, k j', 'select a scenario'],
  ['Enter', 'run the selected scenario live'],
  ['x', 'stop the running scenario'],
  ['', 'Faults panel'],
  ['1-9, a-z', 'toggle the fault with that key (only q and ? keep their meaning)'],
  ['', 'Logs panel'],
  ['v', 'minimum level: all → info → warn → error → all'],
  ['J', 'job: each job seen in the logs in turn, then all'],
];

export interface HelpOverlayProps {
  maxRows: number;
  width: number;
  /** Services that do not run are listed first, each with its whole reason (the fix at its end). */
  services?: readonly ServiceStatus[];
}

/** Why each service that does not run does not, wrapped in full: the panel has room for its fix only. */
function serviceLines(services: readonly ServiceStatus[], width: number): ReactElement[] {
  const down = services.filter(hasReason);
  if (down.length === 0) return [];
  return [
    <Text key="services" bold wrap="truncate-end">
      Services not running
    </Text>,
    ...down.flatMap((s) =>
      wrapText(`${s.service} ${s.state}: ${s.reason}`, Math.max(20, width - 2)).map((line, i) => (
        <Text key={`${s.service}-${i}`} wrap="truncate-end">
          {`  ${line}`}
        </Text>
      )),
    ),
  ];
}

/** Every key and what it does, after the reasons of the services that do not run. */
export const HelpOverlay = memo(function HelpOverlay({ maxRows, width, services = [] }: HelpOverlayProps) {
  if (maxRows <= 0) return null;
  const keys = KEYS.map(([keys, what]) =>
    keys ? (
      <Text key={keys} wrap="truncate-end">
        <Text bold color="cyan">
          {`  ${keys.padEnd(16)}`}
        </Text>
        {what}
      </Text>
    ) : (
      <Text key={what} bold wrap="truncate-end">
        {what}
      </Text>
    ),
  );
  return (
    <Box flexDirection="column">
      <PanelTitle title="Help" focused />
      {[...serviceLines(services, width), ...keys].slice(0, maxRows - 1)}
    </Box>
  );
});
