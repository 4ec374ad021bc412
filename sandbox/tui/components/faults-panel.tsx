import { Box, Text } from 'ink';
import { memo, type ReactElement } from 'react';
import type { FaultView } from '../view-model.js';
import { truncate } from './format.js';
import { PanelTitle } from './panel-title.js';

export interface FaultsPanelProps {
  faults: readonly FaultView[];
  focused: boolean;
  width: number;
  maxRows: number;
}

const MIN_CELL_WIDTH = 22;

function maxGridColumns(width: number): number {
  return Math.max(1, Math.floor(width / MIN_CELL_WIDTH));
}

/** The fewest rows that show every fault (in columns, without parameters) at this width. */
export function faultsPanelMinRows(faultCount: number, width: number): number {
  return 1 + Math.max(1, Math.ceil(faultCount / maxGridColumns(width)));
}

function Marker({ fault }: { fault: FaultView }) {
  return fault.active ? <Text color="red">●</Text> : <Text color="gray">○</Text>;
}

/** One fault per line: key, state, name, service and parameters. */
function faultRows(faults: readonly FaultView[]): ReactElement[] {
  const nameWidth = Math.max(...faults.map((f) => f.name.length));
  const serviceWidth = Math.max(...faults.map((f) => f.service.length));
  return faults.map((f) => (
    <Text key={f.name} wrap="truncate-end">
      <Text bold>[{f.key}]</Text> <Marker fault={f} />{' '}
      <Text color={f.active ? 'red' : undefined} bold={f.active}>
        {f.name.padEnd(nameWidth)}
      </Text>{' '}
      <Text color="cyan">{f.service.padEnd(serviceWidth)}</Text> <Text dimColor={!f.active}>{f.params}</Text>
    </Text>
  ));
}

/**
 * Faults in columns, filled downwards, without service and parameters; when even that does not fit,
 * the active faults stay and the last cell counts the hidden ones.
 */
function faultGrid(faults: readonly FaultView[], width: number, rows: number): ReactElement[] {
  const columns = Math.min(Math.ceil(faults.length / rows), maxGridColumns(width));
  const capacity = columns * rows;
  let shown: readonly FaultView[] = faults;
  if (faults.length > capacity) {
    let inactiveRoom = capacity - 1 - faults.filter((f) => f.active).length;
    shown = faults
      .filter((f) => {
        if (f.active) return true;
        inactiveRoom--;
        return inactiveRoom >= 0;
      })
      .slice(0, capacity - 1);
  }
  const hidden = faults.length - shown.length;
  const cellWidth = Math.floor(width / columns);
  const lines: ReactElement[] = [];
  for (let row = 0; row < Math.min(rows, shown.length + (hidden ? 1 : 0)); row++) {
    const cells: ReactElement[] = [];
    for (let column = 0; column < columns; column++) {
      const at = column * rows + row;
      const fault = shown[at];
      if (fault) {
        cells.push(
          <Text key={fault.name} color={fault.active ? 'red' : undefined}>
            <Text bold>[{fault.key}]</Text> <Marker fault={fault} />{' '}
            {truncate(fault.name, cellWidth - 7).padEnd(cellWidth - 6)}
          </Text>,
        );
      } else if (at === shown.length && hidden > 0) {
        cells.push(
          <Text key="hidden" dimColor>
            +{hidden} more
          </Text>,
        );
      }
    }
    lines.push(
      <Text key={row} wrap="truncate-end">
        {cells}
      </Text>,
    );
  }
  return lines;
}

/** The faults that can be injected live, each with the key that toggles it. */
export const FaultsPanel = memo(function FaultsPanel({ faults, focused, width, maxRows }: FaultsPanelProps) {
  if (maxRows <= 0) return null;
  const room = maxRows - 1;
  const active = faults.filter((f) => f.active).length;
  const lines = faults.length <= room ? faultRows(faults) : room > 0 ? faultGrid(faults, width, room) : [];
  return (
    <Box flexDirection="column">
      <PanelTitle title="Faults" focused={focused}>
        <Text color={active > 0 ? 'red' : undefined}> {active} active</Text>
        <Text dimColor>{focused ? ' · press a fault’s key to toggle it' : ' · f: focus'}</Text>
      </PanelTitle>
      {faults.length === 0 && room > 0 ? <Text dimColor>no faults</Text> : lines}
    </Box>
  );
});
