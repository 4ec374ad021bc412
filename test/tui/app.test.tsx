import { renderToString } from 'ink';
import { render } from 'ink-testing-library';
import { afterEach, describe, expect, it } from 'vitest';
import { App } from '../../sandbox/tui/components/index.js';
import { cleanup } from 'ink-testing-library';
import type { TuiViewModel } from '../../sandbox/tui/view-model.js';
import { plainLines, recordingActions, runningView, scenarioRun, tick } from './fixtures.js';

afterEach(() => cleanup());

function renderApp(view: TuiViewModel = runningView(), columns = 80, rows = 24) {
  const actions = recordingActions();
  const app = render(<App view={view} actions={actions} columns={columns} rows={rows} />);
  // Each key is read and drawn before the next: a fixed pause was too short on a busy machine. A key that
  // calls an action changes nothing on screen (the view is a prop), so its call ends the wait instead of a
  // frame; a key that does neither draws no frame, so the wait for one is bounded.
  const press = async (...keys: string[]) => {
    for (const key of keys) {
      const frames = app.frames.length;
      const calls = actions.calls.length;
      app.stdin.write(key);
      const waiting = () => app.frames.length === frames && actions.calls.length === calls;
      for (let waited = 0; waiting() && waited < 400; waited += 20) await tick();
      await tick();
    }
  };
  return { ...app, actions, press, lines: () => plainLines(app.lastFrame()) };
}

function expectFits(lines: string[], columns: number, rows: number) {
  expect(lines.length).toBeLessThanOrEqual(rows);
  for (const line of lines) expect(line.length).toBeLessThanOrEqual(columns);
}

const ENTER = '\r';
const DOWN = '\u001B[B';
const TAB = '\t';
const ESC = '\u001B';
const CTRL_C = '\u0003';

describe('App layout', () => {
  it('fits 80x24 with every panel focused, the help shown, and a scenario running', async () => {
    const app = renderApp(runningView({ scenario: scenarioRun() }));
    await tick();
    expectFits(app.lines(), 80, 24);
    expect(app.lines().join('\n')).toContain('1m10s/3m');
    for (const key of ['f', 'l', '?']) {
      await app.press(key);
      expectFits(app.lines(), 80, 24);
    }
  });

  it('puts services, traffic, alerts and the focused panel in one column at 80x24', () => {
    const lines = plainLines(
      renderToString(<App view={runningView()} actions={recordingActions()} columns={80} rows={24} />, {
        columns: 80,
      }),
    );
    const text = lines.join('\n');
    expect(lines[0]).toContain('Services  ● prometheus ● alertmanager ● grafana ● loki ● jaeger');
    const titles = lines.filter((l) => /^ [A-Z]/.test(l)).map((l) => l.split(' ')[1]);
    expect(titles).toEqual(['Services', 'Traffic', 'Alerts', 'Scenario']);
    expect(text).toContain('● firing   critical NodeDown');
    expect(lines.at(-2)).toBe('fault receipt_write_errors on');
    expect(lines.at(-1)).toMatch(/^q quit · \? help/);
  });

  it('uses two columns at 160x40', () => {
    const lines = plainLines(
      renderToString(<App view={runningView()} actions={recordingActions()} columns={160} rows={40} />, {
        columns: 160,
      }),
    );
    expectFits(lines, 160, 40);
    expect(lines[0]).toMatch(/^ Services +Scenario /);
    expect(lines[1]).toMatch(/^prometheus +running .+ {2,}❯ node-outage/);
    const text = lines.join('\n');
    for (const title of [/^ Traffic/m, / Alerts /, / Faults /, / Logs /]) expect(text).toMatch(title);
  });

  it('never overflows, from tiny terminals to wide ones, in every phase', () => {
    const views = [
      runningView(),
      runningView({ scenario: scenarioRun({ state: 'failed' }), message: undefined }),
      runningView({ phase: 'starting' }),
      runningView({ phase: 'failed', services: [] }),
    ];
    for (const view of views) {
      for (const [columns, rows] of [
        [40, 8],
        [60, 12],
        [80, 24],
        [100, 30],
        [120, 30],
        [160, 40],
        [220, 60],
      ] as const) {
        const out = renderToString(
          <App view={view} actions={recordingActions()} columns={columns} rows={rows} />,
          {
            columns,
          },
        );
        expectFits(plainLines(out), columns, rows);
      }
    }
  });

  it('shows the start-up steps and the services while starting', () => {
    const lines = plainLines(
      renderToString(
        <App view={runningView({ phase: 'starting' })} actions={recordingActions()} columns={80} rows={24} />,
        { columns: 80 },
      ),
    );
    expect(lines[0]).toContain('Starting the sandbox (native)');
    expect(lines).toContain('  port 3000 is in use; free it or pass --grafana-port');
    expect(lines.join('\n')).toContain('grafana      running');
  });

  it('keeps a line for a running scenario while another panel has the focus', async () => {
    const app = renderApp(runningView({ scenario: scenarioRun() }));
    await app.press('l');
    expect(app.lines().some((l) => l.startsWith(' Scenario  node-outage 1m10s/3m ✔ 1/3'))).toBe(true);
    expect(app.lines().join('\n')).toContain(' Logs ');
  });
});

describe('App keys', () => {
  it('quits on q and on Ctrl-C', async () => {
    const app = renderApp();
    await app.press('q', CTRL_C);
    expect(app.actions.calls).toEqual(['quit()', 'quit()']);
  });

  it('toggles the help with ?, and closes it with Esc', async () => {
    const app = renderApp();
    await app.press('?');
    expect(app.lines()[0]).toContain('Help');
    expect(app.lines().join('\n')).toContain('toggle the fault with that key');
    await app.press('?');
    expect(app.lines()[0]).toContain('Services');
    await app.press('?', ESC);
    expect(app.lines()[0]).toContain('Services');
  });

  it('cycles the focus with Tab and jumps to a panel with s, f and l', async () => {
    const app = renderApp();
    const focusedPanel = () =>
      app
        .lines()
        .find((l) => /^ (Scenario|Faults|Logs) /.test(l))
        ?.split(' ')[1];
    expect(focusedPanel()).toBe('Scenario');
    await app.press(TAB);
    expect(focusedPanel()).toBe('Faults');
    await app.press(TAB);
    expect(focusedPanel()).toBe('Logs');
    await app.press(TAB);
    expect(focusedPanel()).toBe('Scenario');
    await app.press('l');
    expect(focusedPanel()).toBe('Logs');
    await app.press('f');
    expect(focusedPanel()).toBe('Faults');
    await app.press('s');
    expect(focusedPanel()).toBe('Scenario');
  });

  it('moves the selection and runs the selected scenario', async () => {
    const app = renderApp();
    await app.press(DOWN, DOWN, 'j', 'k');
    expect(app.lines()).toContain('❯ anchor-stall');
    await app.press(ENTER);
    expect(app.actions.calls).toEqual(['runScenario(anchor-stall)']);
  });

  it('stops the running scenario with x and does not start another meanwhile', async () => {
    const app = renderApp(runningView({ scenario: scenarioRun() }));
    await app.press(ENTER, 'x');
    expect(app.actions.calls).toEqual(['stopScenario()']);
  });

  it('toggles a fault by its key while the faults panel has the focus, before other keys but q', async () => {
    const view = runningView();
    const withKeyS = { ...view, faults: view.faults.map((f, i) => (i === 21 ? { ...f, key: 's' } : f)) };
    const app = renderApp(withKeyS);
    await app.press('1');
    expect(app.actions.calls).toEqual([]);
    await app.press('f', '1', 'a', 's');
    expect(app.actions.calls).toEqual([
      'toggleFault(receipt_write_errors)',
      'toggleFault(queue_backlog)',
      'toggleFault(cpu_throttle)',
    ]);
    expect(app.lines().join('\n')).toContain(' Faults ');
    await app.press('q');
    expect(app.actions.calls.at(-1)).toBe('quit()');
  });

  it('cycles the log level with v and the job with J', async () => {
    const app = renderApp();
    await app.press('l', 'v');
    expect(app.lines().join('\n')).toContain('level ≥ info · job all');
    expect(app.lines().some((l) => / DEBUG /.test(l))).toBe(false);
    await app.press('v');
    expect(app.lines().some((l) => / INFO /.test(l))).toBe(false);
    await app.press('v', 'v');
    expect(app.lines().join('\n')).toContain('level ≥ all · job all');
    await app.press('J');
    expect(app.lines().join('\n')).toContain('job anchor');
    const logLines = app.lines().filter((l) => /^\d\d:\d\d:\d\d /.test(l));
    expect(logLines.length).toBeGreaterThan(0);
    expect(logLines.every((l) => / anchor /.test(l))).toBe(true);
    await app.press('J', 'J', 'J');
    expect(app.lines().join('\n')).toContain('job all');
  });
});
