import { Box, Text } from 'ink';
import { memo } from 'react';
import { PanelTitle } from './panel-title.js';

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

/** Every key and what it does. */
export const HelpOverlay = memo(function HelpOverlay({ maxRows }: { maxRows: number }) {
  if (maxRows <= 0) return null;
  return (
    <Box flexDirection="column">
      <PanelTitle title="Keys" focused />
      {KEYS.slice(0, maxRows - 1).map(([keys, what]) =>
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
      )}
    </Box>
  );
});
