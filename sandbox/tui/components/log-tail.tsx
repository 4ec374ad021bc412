import { Box, Text } from 'ink';
import { memo } from 'react';
import type { LogLevel } from '../../../generators/model/types.js';
import type { LogFilter, LogLineView } from '../view-model.js';
import { clockTime, truncate } from './format.js';
import { lastMatching } from './log-filter.js';
import { PanelTitle } from './panel-title.js';

export interface LogTailProps {
  logs: readonly LogLineView[];
  filter: LogFilter;
  focused: boolean;
  maxRows: number;
}

const LEVEL_COLOR: Record<LogLevel, string> = { debug: 'gray', info: 'green', warn: 'yellow', error: 'red' };
const MAX_JOB_WIDTH = 14;

/** The latest generator log lines that pass the filter. */
export const LogTail = memo(function LogTail({ logs, filter, focused, maxRows }: LogTailProps) {
  if (maxRows <= 0) return null;
  const lines = lastMatching(logs, filter, maxRows - 1);
  const jobWidth = Math.min(MAX_JOB_WIDTH, Math.max(0, ...lines.map((l) => l.job.length)));
  const traced = lines.some((l) => l.traceId);
  return (
    <Box flexDirection="column">
      <PanelTitle title="Logs" focused={focused}>
        <Text dimColor>
          {` level ≥ ${filter.level ?? 'all'} · job ${filter.job ?? 'all'}`}
          {focused ? ' · v: level · J: job' : ' · l: focus'}
        </Text>
      </PanelTitle>
      {lines.length === 0 && maxRows > 1 ? <Text dimColor>no lines match</Text> : null}
      {lines.map((line, i) => (
        <Text key={`${line.timeMs}-${i}`} wrap="truncate-end">
          <Text dimColor>{clockTime(line.timeMs)}</Text>{' '}
          <Text color={LEVEL_COLOR[line.level]}>{line.level.toUpperCase().padEnd(5)}</Text>{' '}
          <Text color="cyan">{truncate(line.job, jobWidth).padEnd(jobWidth)}</Text>{' '}
          {traced ? <Text color="magenta">{(line.traceId?.slice(0, 8) ?? '').padEnd(9)}</Text> : null}
          {line.message}
        </Text>
      ))}
    </Box>
  );
});
