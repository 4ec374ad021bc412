import { Box, Text } from 'ink';
import { memo, type ReactElement } from 'react';
import type { ExpectationStatus, ScenarioRunView } from '../view-model.js';
import { formatAge, spinnerFrame, truncate, wrapText } from './format.js';
import { PanelTitle } from './panel-title.js';
import { progressBar } from './progress-bar.js';

export interface ScenarioPanelProps {
  scenarios: readonly string[];
  selected: number;
  run?: ScenarioRunView;
  focused: boolean;
  width: number;
  maxRows: number;
}

const RUN_STATE: Record<Exclude<ScenarioRunView['state'], 'running'>, { icon: string; color: string }> = {
  passed: { icon: '✔', color: 'green' },
  failed: { icon: '✖', color: 'red' },
  aborted: { icon: '–', color: 'gray' },
};

const EXPECTATION: Record<ExpectationStatus, { icon: string; color: string }> = {
  waiting: { icon: '◌', color: 'yellow' },
  passed: { icon: '✔', color: 'green' },
  failed: { icon: '✖', color: 'red' },
};

function RunState({ state, elapsedMs }: Pick<ScenarioRunView, 'state' | 'elapsedMs'>) {
  if (state === 'running') return <Text color="yellow">{spinnerFrame(elapsedMs)} running</Text>;
  const { icon, color } = RUN_STATE[state];
  return <Text color={color}>{`${icon} ${state}`}</Text>;
}

const CAPTION_LINES = 5;

function runLines(run: ScenarioRunView, width: number): ReactElement[] {
  const times = `${formatAge(run.elapsedMs)}/${formatAge(run.durationMs)}`;
  const bar = progressBar(run.elapsedMs, run.durationMs, width - times.length - 1, run.steps);
  const lines = [
    <Text key="name" wrap="truncate-end">
      <Text bold>{run.name}</Text> <RunState state={run.state} elapsedMs={run.elapsedMs} />
      {run.forScale !== 1 ? <Text color="magenta"> for-scale {run.forScale}</Text> : null}
      <Text dimColor> {run.description}</Text>
    </Text>,
    <Text key="bar" wrap="truncate-end">
      <Text color="cyan">{bar.elapsed}</Text>
      <Text color="gray">{bar.rest}</Text> {times}
    </Text>,
  ];
  if (run.caption) {
    // Captions say what happens and where to look (with URLs): wrapped, not cut, up to a few lines.
    const caption = wrapText(`“${run.caption}”`, Math.max(20, width));
    caption.slice(0, CAPTION_LINES).forEach((line, i) => {
      const last = i === CAPTION_LINES - 1 && caption.length > CAPTION_LINES;
      lines.push(
        <Text key={`caption${i}`} italic wrap="truncate-end">
          {last ? truncate(`${line} …`, width) : line}
        </Text>,
      );
    });
  }
  run.expectations.forEach((e, i) => {
    const { icon, color } = EXPECTATION[e.status];
    lines.push(
      <Text key={`e${i}`} wrap="truncate-end">
        <Text color={color}>{icon}</Text> {e.expectation}
      </Text>,
    );
    if (e.status === 'failed' && e.detail) {
      lines.push(
        <Text key={`e${i}-detail`} color="red" wrap="truncate-end">
          {`    ${e.detail}`}
        </Text>,
      );
    }
  });
  return lines;
}

function titleSummary(run: ScenarioRunView | undefined, focused: boolean): string {
  if (run?.state === 'running') {
    const passed = run.expectations.filter((e) => e.status === 'passed').length;
    const progress = `${formatAge(run.elapsedMs)}/${formatAge(run.durationMs)}`;
    return ` ${run.name} ${progress} ✔ ${passed}/${run.expectations.length}${focused ? ' · x: stop' : ''}`;
  }
  return ` enter: run · ↑↓ select${run ? ` · last: ${run.name} ${run.state}` : ''}`;
}

/** The scenarios to pick from, or the one running live with its timeline and expectations. */
export const ScenarioPanel = memo(function ScenarioPanel({
  scenarios,
  selected,
  run,
  focused,
  width,
  maxRows,
}: ScenarioPanelProps) {
  if (maxRows <= 0) return null;
  const room = maxRows - 1;
  const running = run?.state === 'running';
  const details = run ? runLines(run, width) : [];
  // A finished run leaves at least 3 rows to the list, to pick the next scenario from.
  const listRows = running ? 0 : Math.min(scenarios.length, Math.max(3, room - details.length), room);
  const first = Math.min(Math.max(0, selected - Math.floor(listRows / 2)), scenarios.length - listRows);
  const list = scenarios.slice(first, first + listRows).map((name, i) => {
    const isSelected = first + i === selected;
    return (
      <Text
        key={name}
        wrap="truncate-end"
        color={isSelected ? 'cyan' : undefined}
        bold={isSelected && focused}
      >
        {isSelected ? '❯ ' : '  '}
        {name}
      </Text>
    );
  });
  return (
    <Box flexDirection="column">
      <PanelTitle title="Scenario" focused={focused}>
        <Text dimColor>{titleSummary(run, focused)}</Text>
      </PanelTitle>
      {details.slice(0, room - listRows)}
      {list}
      {!run && scenarios.length === 0 && room > 0 ? <Text dimColor>no scenarios</Text> : null}
    </Box>
  );
});
