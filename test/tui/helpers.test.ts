import { describe, expect, it } from 'vitest';
import {
  formatAge,
  formatElapsed,
  formatValue,
  truncate,
  wrapText,
} from '../../sandbox/tui/components/format.js';
import { dashboardLayout, progressLayout } from '../../sandbox/tui/components/layout.js';
import { lastMatching, nextJob, nextLevel } from '../../sandbox/tui/components/log-filter.js';
import { progressBar } from '../../sandbox/tui/components/progress-bar.js';
import { sparkline } from '../../sandbox/tui/components/sparkline.js';
import { logs, runningView, scenarioRun } from './fixtures.js';

describe('sparkline', () => {
  it('scales the values between their min and max', () => {
    expect(sparkline([0, 1, 2, 3, 4, 5, 6, 7], 8)).toBe('▁▂▃▄▅▆▇█');
    expect(sparkline([10, 20, 15], 3)).toBe('▁█▅');
  });

  it('renders a flat series as a flat line', () => {
    expect(sparkline([5, 5, 5, 5], 4)).toBe('▁▁▁▁');
  });

  it('renders an empty series as spaces', () => {
    expect(sparkline([], 6)).toBe('      ');
    expect(sparkline([1, 2], 0)).toBe('');
  });

  it('keeps the latest values, right-aligned, and blanks missing ones', () => {
    expect(sparkline([100, 0, 1, 2], 3)).toBe('▁▅█');
    expect(sparkline([0, 1], 4)).toBe('  ▁█');
    expect(sparkline([0, Number.NaN, 1], 3)).toBe('▁ █');
  });
});

describe('progressBar', () => {
  it('fills the elapsed share and marks the steps', () => {
    const bar = progressBar(90_000, 180_000, 10, [
      { atMs: 36_000, done: true },
      { atMs: 144_000, done: false },
    ]);
    expect(bar).toEqual({ elapsed: '━━●━━', rest: '───○─' });
  });

  it('stays within its width before the start and after the end', () => {
    expect(progressBar(-5, 100, 4)).toEqual({ elapsed: '', rest: '────' });
    expect(progressBar(500, 100, 4)).toEqual({ elapsed: '━━━━', rest: '' });
    expect(progressBar(0, 100, 4, [{ atMs: 100, done: false }])).toEqual({ elapsed: '', rest: '───○' });
  });
});

describe('formatting', () => {
  it('prints ages in whole seconds the way Prometheus does', () => {
    expect(formatAge(130_400)).toBe('2m10s');
    expect(formatAge(3_600_000 + 5 * 60_000)).toBe('1h5m');
    expect(formatAge(-2000)).toBe('0s');
  });

  it('prints step times with a tenth of a second under a minute', () => {
    expect(formatElapsed(1234)).toBe('1.2s');
    expect(formatElapsed(125_000)).toBe('2m5s');
  });

  it('prints values with their unit', () => {
    expect(formatValue(8.08, '/s')).toBe('8.1 /s');
    expect(formatValue(0, '%')).toBe('0.0%');
    expect(formatValue(undefined, '/s')).toBe('…');
    expect(formatValue(12_345, '/s')).toBe('12.3k /s');
    expect(formatValue(0.05, '/s')).toBe('0.05 /s');
    expect(formatValue(3, '')).toBe('3.0');
  });

  it('truncates and wraps text to a width', () => {
    expect(truncate('receipt_write_errors', 8)).toBe('receipt…');
    expect(truncate('node_down', 9)).toBe('node_down');
    expect(wrapText('port 3000 is in use; free it', 12)).toEqual(['port 3000 is', 'in use; free', 'it']);
    expect(wrapText('abcdefghij\nxy', 4)).toEqual(['abcd', 'efgh', 'ij', 'xy']);
  });
});

describe('log filter', () => {
  it('cycles the minimum level through all, info, warn and error', () => {
    expect(nextLevel(undefined)).toBe('info');
    expect(nextLevel('info')).toBe('warn');
    expect(nextLevel('warn')).toBe('error');
    expect(nextLevel('error')).toBeUndefined();
  });

  it('cycles the job through the jobs seen, then all', () => {
    const lines = logs(10);
    expect(nextJob(lines, undefined)).toBe('anchor');
    expect(nextJob(lines, 'anchor')).toBe('api');
    expect(nextJob(lines, 'api')).toBe('ledger');
    expect(nextJob(lines, 'ledger')).toBeUndefined();
    expect(nextJob(lines, 'gone')).toBeUndefined();
  });

  it('keeps the last matching lines, oldest first', () => {
    const all = logs(50);
    const picked = lastMatching(all, { level: 'warn', job: 'api' }, 3);
    const expected = all.filter((l) => l.job === 'api' && (l.level === 'warn' || l.level === 'error'));
    expect(picked).toEqual(expected.slice(-3));
    expect(lastMatching(all, {}, 2)).toEqual(all.slice(-2));
  });
});

describe('dashboard layout', () => {
  const sizes = [
    [40, 6],
    [60, 12],
    [80, 22],
    [100, 28],
    [120, 28],
    [160, 37],
    [220, 57],
  ] as const;
  const views = [
    runningView(),
    runningView({ scenario: scenarioRun() }),
    runningView({ alerts: [], faults: [] }),
  ];

  it('never gives the panels more rows than the body has', () => {
    for (const view of views) {
      for (const [columns, bodyRows] of sizes) {
        for (const focus of ['scenario', 'faults', 'logs'] as const) {
          const l = dashboardLayout(view, focus, columns, bodyRows);
          const left = l.services + l.traffic + l.alerts;
          const right = l.scenario + l.faults + l.logs;
          if (l.columns === 1) expect(left + right).toBeLessThanOrEqual(bodyRows);
          else expect(Math.max(left, right)).toBeLessThanOrEqual(bodyRows);
          expect(l.leftWidth + (l.columns === 2 ? 1 + l.rightWidth : 0)).toBe(columns);
        }
      }
      const progress = progressLayout(view, 10);
      expect(progress.services + progress.startup).toBe(10);
    }
  });

  it('gives the focused panel the rest in one column, and splits in two from 120 columns', () => {
    const narrow = dashboardLayout(runningView(), 'faults', 80, 21);
    expect([narrow.columns, narrow.scenario, narrow.logs]).toEqual([1, 0, 0]);
    expect(narrow.faults).toBeGreaterThanOrEqual(9);
    const wide = dashboardLayout(runningView(), 'logs', 120, 30);
    expect(wide.columns).toBe(2);
    expect(wide.logs).toBeGreaterThan(Math.max(wide.scenario, wide.faults));
  });
});
