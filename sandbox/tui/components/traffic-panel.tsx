import { Box, Text } from 'ink';
import { memo } from 'react';
import type { TrafficSeries } from '../view-model.js';
import { formatValue, truncate } from './format.js';
import { PanelTitle } from './panel-title.js';
import { sparkline } from './sparkline.js';

export interface TrafficPanelProps {
  series: readonly TrafficSeries[];
  width: number;
  maxRows: number;
}

const VALUE_WIDTH = 10;

function isTrouble(s: TrafficSeries): boolean {
  return s.current !== undefined && s.warnAbove !== undefined && s.current > s.warnAbove;
}

/** Traffic rates from Prometheus: label, latest value and a sparkline of the recent history. */
export const TrafficPanel = memo(function TrafficPanel({ series, width, maxRows }: TrafficPanelProps) {
  if (maxRows <= 0) return null;
  const labelWidth = Math.min(Math.floor(width * 0.35), Math.max(0, ...series.map((s) => s.label.length)));
  const sparkWidth = Math.max(0, width - labelWidth - VALUE_WIDTH - 2);
  return (
    <Box flexDirection="column">
      <PanelTitle title="Traffic">
        {series.length === 0 ? <Text dimColor> waiting for Prometheus…</Text> : null}
      </PanelTitle>
      {series.slice(0, maxRows - 1).map((s) => {
        const color = isTrouble(s) ? 'red' : undefined;
        return (
          <Text key={s.id} wrap="truncate-end">
            {truncate(s.label, labelWidth).padEnd(labelWidth)}{' '}
            <Text color={color} bold={color !== undefined}>
              {formatValue(s.current, s.unit).padStart(VALUE_WIDTH)}
            </Text>{' '}
            <Text color={color ?? 'cyan'}>{sparkline(s.history, sparkWidth)}</Text>
          </Text>
        );
      })}
    </Box>
  );
});
