import { render } from 'ink-testing-library';
import { describe, expect, it } from 'vitest';
import { FaultsPanel } from '../../sandbox/tui/components/faults-panel.js';
import { LogTail } from '../../sandbox/tui/components/log-tail.js';
import { ScenarioPanel } from '../../sandbox/tui/components/scenario-panel.js';
import type { LogFilter, ScenarioRunView } from '../../sandbox/tui/view-model.js';
import { colorOf, faults, logs, NOW, plainLines, SCENARIOS, scenarioRun, SECOND } from './fixtures.js';

describe('ScenarioPanel', () => {
  const renderScenario = (run?: ScenarioRunView, selected = 1, maxRows = 20) =>
    render(
      <ScenarioPanel
        scenarios={SCENARIOS}
        selected={selected}
        run={run}
        focused
        width={80}
        maxRows={maxRows}
      />,
    );

  it('lists the scenarios with the selected one highlighted and how to run it', () => {
    const { lastFrame } = renderScenario();
    const lines = plainLines(lastFrame());
    expect(lines[0]).toContain('enter: run');
    expect(lines.slice(1)).toEqual(SCENARIOS.map((name, i) => `${i === 1 ? '❯' : ' '} ${name}`));
    expect(colorOf(lastFrame(), '❯ receipt-write-errors')).toBe('cyan');
  });

  it('keeps the selected scenario in view when the list is longer than the panel', () => {
    const lines = plainLines(renderScenario(undefined, 7, 4).lastFrame());
    expect(lines).toHaveLength(4);
    expect(lines.at(-1)).toBe('❯ my-scenario');
  });

  it('shows the running scenario: timeline, caption and each expectation', () => {
    const { lastFrame } = renderScenario(scenarioRun());
    const lines = plainLines(lastFrame());
    expect(lines[0]).toContain('node-outage 1m10s/3m ✔ 1/3 · x: stop');
    expect(lines[1]).toMatch(/^node-outage [⠋⠙⠹⠸⠼⠴⠦⠧⠇⠏] running A ledger node goes down and comes back$/);
    expect(lines[2]).toMatch(/^━+●━+─+○─+ 1m10s\/3m$/);
    expect(lines[2]).toHaveLength(80);
    expect(lines[3]).toBe('“ledger-2 stops answering scrapes”');
    expect(lines.slice(4)).toEqual([
      '✔ NodeDown fires within 1m',
      '✖ ReceiptWriteFailure stays inactive',
      '    it fired at 1m5s',
      '◌ NodeDown resolves after recovery',
    ]);
    expect(colorOf(lastFrame(), '✔ NodeDown')).toBe('green');
    expect(colorOf(lastFrame(), '✖ Receipt')).toBe('red');
    expect(colorOf(lastFrame(), '    it fired')).toBe('red');
    expect(colorOf(lastFrame(), '◌ NodeDown')).toBe('yellow');
    expect(lines.join('\n')).not.toContain('for-scale');
  });

  it('shows for-scale when the scenario runs scaled', () => {
    const lines = plainLines(renderScenario(scenarioRun({ forScale: 0.1 })).lastFrame());
    expect(lines[1]).toContain('running for-scale 0.1');
  });

  it('shows the final state of a finished run above the list', () => {
    for (const [state, icon] of [
      ['passed', '✔'],
      ['failed', '✖'],
      ['aborted', '–'],
    ] as const) {
      const lines = plainLines(renderScenario(scenarioRun({ state })).lastFrame());
      expect(lines[0]).toContain(`enter: run · ↑↓ select · last: node-outage ${state}`);
      expect(lines[1]).toContain(`node-outage ${icon} ${state}`);
      expect(lines).toContain('❯ receipt-write-errors');
    }
  });

  it('shows only a one-line summary when given one row', () => {
    const lines = plainLines(renderScenario(scenarioRun(), 0, 1).lastFrame());
    expect(lines).toHaveLength(1);
    expect(lines[0]).toContain('Scenario  node-outage 1m10s/3m ✔ 1/3');
  });
});

describe('FaultsPanel', () => {
  it('shows each fault with its key, state, service and parameters when there is room', () => {
    const { lastFrame } = render(<FaultsPanel faults={faults()} focused width={100} maxRows={30} />);
    const lines = plainLines(lastFrame());
    expect(lines[0]).toContain('Faults  2 active');
    expect(lines).toHaveLength(23);
    expect(lines[1]).toMatch(/^\[1\] ● receipt_write_errors +ledger +ratio=0\.25 scroll=all$/);
    expect(lines[2]).toMatch(/^\[2\] ○ anchor_stall +anchor +for=5m$/);
    expect(colorOf(lastFrame(), '●')).toBe('red');
    expect(colorOf(lastFrame(), 'receipt_write_errors')).toBe('red');
    expect(colorOf(lastFrame(), '○')).toBe('gray');
  });

  it('packs the faults into columns to fit its rows, every key still shown', () => {
    const lines = plainLines(
      render(<FaultsPanel faults={faults()} focused width={80} maxRows={9} />).lastFrame(),
    );
    expect(lines).toHaveLength(9);
    expect(Math.max(...lines.map((l) => l.length))).toBeLessThanOrEqual(80);
    for (const fault of faults()) expect(lines.join('\n')).toContain(`[${fault.key}]`);
  });

  it('keeps the active faults and counts the hidden ones when even columns do not fit', () => {
    const list = faults().map((f) => ({ ...f, active: f.name === 'cpu_throttle' }));
    const text = plainLines(
      render(<FaultsPanel faults={list} focused={false} width={50} maxRows={4} />).lastFrame(),
    ).join('\n');
    expect(text).toContain('● cpu_throttle');
    expect(text).toContain('+17 more');
    expect(text.split('\n')).toHaveLength(4);
  });
});

describe('LogTail', () => {
  const renderLogs = (filter: LogFilter, maxRows = 11) =>
    render(<LogTail logs={logs()} filter={filter} focused maxRows={maxRows} />);

  it('shows the last lines with time, level, job, short trace id and message', () => {
    const { lastFrame } = renderLogs({});
    const lines = plainLines(lastFrame());
    expect(lines[0]).toContain('Logs  level ≥ all · job all');
    expect(lines).toHaveLength(11);
    const time = new Date(NOW - SECOND).toTimeString().slice(0, 8);
    expect(lines.at(-1)).toBe(
      `${time} ERROR api             line 299: receipt 2093 appended to scroll main after 19ms, batch of …`,
    );
    expect(lines.at(-2)).toMatch(/^\d\d:\d\d:\d\d WARN {2}anchor {10}line 298/);
    expect(lines.at(-3)).toMatch(/^\d\d:\d\d:\d\d INFO {2}ledger 4bf92f35 line 297/);
    expect(colorOf(lastFrame(), 'ERROR')).toBe('red');
    expect(colorOf(lastFrame(), 'WARN')).toBe('yellow');
  });

  it('hides lines below the minimum level and of other jobs', () => {
    const lines = plainLines(renderLogs({ level: 'warn' }).lastFrame());
    expect(lines[0]).toContain('level ≥ warn · job all');
    expect(lines.length).toBeGreaterThan(5);
    expect(lines.slice(1).every((l) => / (WARN |ERROR) /.test(l))).toBe(true);
    const jobLines = plainLines(renderLogs({ level: 'error', job: 'ledger' }).lastFrame());
    expect(jobLines[0]).toContain('level ≥ error · job ledger');
    expect(jobLines.slice(1).every((l) => / ERROR ledger /.test(l))).toBe(true);
    expect(jobLines).toHaveLength(11);
  });

  it('says so when no line matches', () => {
    const lines = plainLines(renderLogs({ job: 'nobody' }).lastFrame());
    expect(lines).toEqual([expect.stringContaining('job nobody'), 'no lines match']);
  });
});

describe('every interactive panel', () => {
  it('takes no more rows than it is given', () => {
    for (const maxRows of [0, 1, 2, 3, 5, 8, 13]) {
      const panels = [
        <ScenarioPanel scenarios={SCENARIOS} selected={3} focused width={60} maxRows={maxRows} />,
        <ScenarioPanel
          scenarios={SCENARIOS}
          selected={3}
          run={scenarioRun()}
          focused
          width={60}
          maxRows={maxRows}
        />,
        <ScenarioPanel
          scenarios={SCENARIOS}
          selected={3}
          run={scenarioRun({ state: 'failed' })}
          focused
          width={60}
          maxRows={maxRows}
        />,
        <FaultsPanel faults={faults()} focused width={60} maxRows={maxRows} />,
        <LogTail logs={logs()} filter={{}} focused maxRows={maxRows} />,
      ];
      for (const panel of panels) {
        const frame = render(panel).lastFrame() ?? '';
        expect(frame === '' ? 0 : plainLines(frame).length).toBeLessThanOrEqual(maxRows);
      }
    }
  });
});
