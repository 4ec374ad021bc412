import { Box, Text } from 'ink';
import { memo, type ReactElement } from 'react';
import type { ProgressStep } from '../view-model.js';
import { formatElapsed, spinnerFrame, truncate, wrapText } from './format.js';
import { PanelTitle } from './panel-title.js';

export interface StartupPanelProps {
  title: string;
  steps: readonly ProgressStep[];
  width: number;
  maxRows: number;
}

const LABEL_WIDTH = 40;

function StepIcon({ state, elapsedMs }: Pick<ProgressStep, 'state' | 'elapsedMs'>) {
  switch (state) {
    case 'running':
      return <Text color="yellow">{spinnerFrame(elapsedMs)}</Text>;
    case 'done':
      return <Text color="green">✔</Text>;
    case 'failed':
      return <Text color="red">✖</Text>;
    case 'skipped':
      return <Text color="gray">–</Text>;
  }
}

function stepBlock(step: ProgressStep, labelWidth: number, width: number): ReactElement[] {
  const lines = [
    <Text key={step.id} wrap="truncate-end">
      <StepIcon state={step.state} elapsedMs={step.elapsedMs} />{' '}
      {truncate(step.label, labelWidth).padEnd(labelWidth)}{' '}
      <Text dimColor>{formatElapsed(step.elapsedMs)}</Text>
    </Text>,
  ];
  if (step.reason && (step.state === 'failed' || step.state === 'skipped')) {
    // The reason carries the fix, so it wraps instead of being cut.
    wrapText(step.reason, width - 2).forEach((text, i) =>
      lines.push(
        <Text key={`${step.id}-reason-${i}`} color={step.state === 'failed' ? 'red' : 'gray'}>
          {`  ${text}`}
        </Text>,
      ),
    );
  }
  return lines;
}

/** Start-up (or shutdown) progress, one line per step; done steps fold into one line when space is short. */
export const StartupPanel = memo(function StartupPanel({ title, steps, width, maxRows }: StartupPanelProps) {
  if (maxRows <= 0) return null;
  const labelWidth = Math.min(LABEL_WIDTH, Math.max(0, ...steps.map((s) => s.label.length)));
  const blocks = steps.map((step) => ({ step, lines: stepBlock(step, labelWidth, width) }));
  const room = maxRows - 1;
  const total = blocks.reduce((sum, b) => sum + b.lines.length, 0);
  const foldable = blocks.filter((b) => b.step.state === 'done').length;
  const fold = total > room ? Math.min(foldable, total - room + 1) : 0;
  let toFold = fold;
  const kept = blocks.filter((b) => {
    if (b.step.state !== 'done' || toFold === 0) return true;
    toFold--;
    return false;
  });
  const lines = kept.flatMap((b) => b.lines);
  if (fold > 0) {
    lines.unshift(
      <Text key="folded" color="green" wrap="truncate-end">
        ✔ <Text dimColor>{fold} more steps done</Text>
      </Text>,
    );
  }
  return (
    <Box flexDirection="column">
      <PanelTitle title={title} />
      {lines.slice(Math.max(0, lines.length - room))}
    </Box>
  );
});
