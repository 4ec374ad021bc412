import { render } from 'ink-testing-library';
import { describe, expect, it } from 'vitest';
import { AlertsPanel } from '../../sandbox/tui/components/alerts-panel.js';
import { ServicesPanel } from '../../sandbox/tui/components/services-panel.js';
import { StartupPanel } from '../../sandbox/tui/components/startup-panel.js';
import { TrafficPanel } from '../../sandbox/tui/components/traffic-panel.js';
import type { ServiceStatus } from '../../sandbox/stack/native/native-stack.js';
import type { AlertRow, ProgressStep } from '../../sandbox/tui/view-model.js';
import {
  alerts,
  colorOf,
  MINUTE,
  NOTIFICATIONS,
  NOW,
  plainLines,
  SERVICES,
  STARTUP_STEPS,
  TRAFFIC,
} from './fixtures.js';

describe('StartupPanel', () => {
  it('shows each step with its state and time, and a failed step’s reason in red below it', () => {
    const { lastFrame } = render(
      <StartupPanel title="Starting" steps={STARTUP_STEPS} width={80} maxRows={20} />,
    );
    const lines = plainLines(lastFrame());
    expect(lines[0]).toContain('Starting');
    expect(lines[1]).toMatch(/^✔ Download binaries +1\.2s$/);
    expect(lines[3]).toMatch(/^[⠋⠙⠹⠸⠼⠴⠦⠧⠇⠏] alertmanager +0\.4s$/);
    expect(lines[4]).toMatch(/^✖ grafana +3\.1s$/);
    expect(lines[5]).toBe('  port 3000 is in use; free it or pass --grafana-port');
    expect(lines[6]).toMatch(/^– jaeger/);
    expect(colorOf(lastFrame(), '✖ ')).toBe('red');
    expect(colorOf(lastFrame(), '  port 3000')).toBe('red');
    expect(colorOf(lastFrame(), '✔ ')).toBe('green');
  });

  it('wraps a long reason rather than cutting the fix off', () => {
    const step: ProgressStep = {
      id: 'loki',
      label: 'loki',
      state: 'failed',
      elapsedMs: 100,
      reason:
        'loki exited with code 1: config invalid. Fix: delete ~/.cache/obs-sandbox/loki and run sandbox start again',
    };
    const lines = plainLines(
      render(<StartupPanel title="Starting" steps={[step]} width={40} maxRows={10} />).lastFrame(),
    );
    expect(
      lines
        .slice(2)
        .map((l) => l.trim())
        .join(' '),
    ).toContain('Fix: delete ~/.cache/obs-sandbox/loki and run sandbox start again');
    expect(Math.max(...lines.map((l) => l.length))).toBeLessThanOrEqual(40);
  });

  it('folds done steps into one line when space is short, keeping running and failed ones', () => {
    const done = Array.from({ length: 10 }, (_, i): ProgressStep => ({
      id: `s${i}`,
      label: `step ${i}`,
      state: 'done',
      elapsedMs: 100,
    }));
    const steps = [...done, ...STARTUP_STEPS.slice(2)];
    const lines = plainLines(
      render(<StartupPanel title="Starting" steps={steps} width={80} maxRows={9} />).lastFrame(),
    );
    expect(lines).toHaveLength(9);
    expect(lines.join('\n')).toMatch(/✔ \d+ more steps done/);
    expect(lines.join('\n')).toContain('port 3000 is in use');
    expect(lines.join('\n')).toContain('alertmanager');
  });
});

describe('ServicesPanel', () => {
  const services: ServiceStatus[] = [
    SERVICES[0]!,
    { service: 'alertmanager', state: 'starting', runtime: 'native' },
    {
      service: 'grafana',
      state: 'failed',
      runtime: 'native',
      reason: 'exited with code 1: port 3000 in use',
    },
    {
      service: 'loki',
      state: 'unavailable',
      runtime: 'docker',
      reason: 'image grafana/loki:3.5.3 not found',
    },
    { service: 'jaeger', state: 'crashed', runtime: 'native', reason: 'signal SIGKILL' },
  ];
  const login = { url: 'http://127.0.0.1:3000', user: 'admin', password: 'sandbox-7f3a' };

  it('shows a row per service with its coloured state, then the reasons and the Grafana login', () => {
    const { lastFrame } = render(
      <ServicesPanel services={services} grafanaLogin={login} compact={false} maxRows={20} width={100} />,
    );
    const lines = plainLines(lastFrame());
    expect(lines[1]).toMatch(/^prometheus +running +native +3\.5\.0 +http:\/\/127\.0\.0\.1:9090$/);
    expect(lines[3]).toMatch(/^grafana +failed/);
    expect(lines[4]).toBe('  ↳ exited with code 1: port 3000 in use');
    expect(lines[6]).toBe('  ↳ image grafana/loki:3.5.3 not found');
    expect(lines.at(-1)).toBe('Grafana http://127.0.0.1:3000 user admin password sandbox-7f3a');
    expect(colorOf(lastFrame(), 'running')).toBe('green');
    expect(colorOf(lastFrame(), 'starting')).toBe('yellow');
    expect(colorOf(lastFrame(), 'failed')).toBe('red');
    expect(colorOf(lastFrame(), 'unavailable')).toBe('gray');
    expect(colorOf(lastFrame(), 'crashed')).toBe('red');
  });

  it('wraps a reason to the width, up to three lines, then points to the help', () => {
    const long = [{ ...services[2]!, reason: Array.from({ length: 60 }, (_, i) => `word${i}`).join(' ') }];
    const lines = plainLines(
      render(<ServicesPanel services={long} compact={false} maxRows={8} width={60} />).lastFrame(),
    );
    expect(lines).toHaveLength(5);
    expect(lines[2]).toMatch(/^ {2}↳ word0 word1/);
    expect(lines[3]).toMatch(/^ {4}word\d+/);
    expect(lines[4]).toMatch(/ … \(\? for all\)$/);
    for (const line of lines.slice(2)) expect(line.length).toBeLessThanOrEqual(60);
  });

  it('fits all services on one line when compact', () => {
    const lines = plainLines(
      render(
        <ServicesPanel services={services} grafanaLogin={login} compact maxRows={2} width={100} />,
      ).lastFrame(),
    );
    expect(lines).toHaveLength(2);
    expect(lines[0]).toContain('● prometheus ● alertmanager starting ● grafana failed');
    expect(lines[0]).toMatch(/^ Services \(\? why\) ● prometheus/);
  });
});

describe('TrafficPanel', () => {
  it('shows each series with its value, unit and sparkline', () => {
    const lines = plainLines(render(<TrafficPanel series={TRAFFIC} width={60} maxRows={10} />).lastFrame());
    expect(lines).toHaveLength(1 + TRAFFIC.length);
    expect(lines[1]).toMatch(/^requests +8\.1 \/s +▁▄▇▆██$/);
    expect(lines[2]).toMatch(/^error ratio +0\.0% +▁▁▁▁$/);
    expect(Math.max(...lines.map((l) => l.length))).toBeLessThanOrEqual(60);
  });

  it('shows … before the first answer and values above warnAbove in red', () => {
    const series = [
      { id: 'a', label: 'requests', unit: '/s', history: [] },
      { id: 'b', label: 'error ratio', unit: '%', current: 12.5, history: [1, 12.5], warnAbove: 5 },
    ];
    const { lastFrame } = render(<TrafficPanel series={series} width={60} maxRows={10} />);
    expect(plainLines(lastFrame())[1]).toMatch(/^requests +…/);
    expect(colorOf(lastFrame(), '12.5%')).toBe('red');
    expect(colorOf(lastFrame(), '…')).toBeUndefined();
  });
});

describe('AlertsPanel', () => {
  const renderAlerts = (rows: readonly AlertRow[], maxRows = 30) =>
    render(<AlertsPanel alerts={rows} notifications={NOTIFICATIONS} nowMs={NOW} maxRows={maxRows} />);

  it('lists firing, then pending, then inactive alerts, however they come', () => {
    const lines = plainLines(renderAlerts([...alerts()].reverse()).lastFrame());
    expect(lines[0]).toContain('2 firing · 1 pending · 17 inactive');
    expect(lines[1]).toMatch(/^● firing +critical +NodeDown/);
    expect(lines[2]).toMatch(/^● firing +critical +ReceiptWriteFailure ×2/);
    expect(lines[3]).toMatch(/^◐ pending +warning +AnchorDelayed/);
    expect(lines.slice(4, 21).every((l) => l.startsWith('○ inactive'))).toBe(true);
  });

  it('says for how long, from nowMs, and shows the labels that tell instances apart', () => {
    const lines = plainLines(renderAlerts(alerts()).lastFrame());
    expect(lines[1]).toMatch(/for 5m node=ledger-2$/);
    expect(lines[2]).toMatch(/for 2m10s scroll=main$/);
    expect(lines[3]).toMatch(/for 40s$/);
  });

  it('colours by severity', () => {
    const rows: AlertRow[] = [
      { name: 'NodeDown', state: 'firing', severity: 'critical', sinceMs: NOW - MINUTE, count: 1 },
      { name: 'AnchorDelayed', state: 'firing', severity: 'warning', sinceMs: NOW - MINUTE, count: 1 },
      { name: 'Watchdog', state: 'firing', sinceMs: NOW - MINUTE, count: 1 },
    ];
    const frame = renderAlerts(rows).lastFrame();
    expect(colorOf(frame, 'firing   critical NodeDown')).toBe('red');
    expect(colorOf(frame, 'firing   warning  AnchorDelayed')).toBe('yellow');
    expect(colorOf(frame, 'firing            Watchdog')).toBe('cyan');
  });

  it('collapses the inactive ones into a count when space is short', () => {
    const lines = plainLines(renderAlerts(alerts(), 6).lastFrame());
    expect(lines).toHaveLength(6);
    expect(lines.slice(1, 4).map((l) => l.split(/ +/)[1])).toEqual(['firing', 'firing', 'pending']);
    expect(lines[4]).toBe('  17 inactive');
    expect(lines[5]).toMatch(/ReceiptWriteFailure 12s ago$/);
  });

  it('shows the latest notifications, newest first, with how long ago', () => {
    const lines = plainLines(renderAlerts(alerts()).lastFrame());
    expect(lines.at(-2)).toBe('↳ webhook firing   ReceiptWriteFailure 12s ago');
    expect(lines.at(-1)).toBe('↳ webhook firing   NodeDown 4m ago');
  });

  it('never takes more than maxRows rows', () => {
    for (const maxRows of [1, 2, 3, 4, 5, 8, 12]) {
      expect(plainLines(renderAlerts(alerts(), maxRows).lastFrame()).length).toBeLessThanOrEqual(maxRows);
    }
    expect(renderAlerts(alerts(), 0).lastFrame()).toBe('');
  });
});

describe('every status panel', () => {
  it('takes no more rows than it is given', () => {
    for (const maxRows of [0, 1, 2, 3, 5, 8]) {
      const panels = [
        <StartupPanel title="Starting" steps={STARTUP_STEPS} width={40} maxRows={maxRows} />,
        <ServicesPanel
          services={SERVICES}
          grafanaLogin={undefined}
          compact={false}
          maxRows={maxRows}
          width={40}
        />,
        <TrafficPanel series={TRAFFIC} width={40} maxRows={maxRows} />,
        <AlertsPanel alerts={alerts()} notifications={NOTIFICATIONS} nowMs={NOW} maxRows={maxRows} />,
      ];
      for (const panel of panels) {
        const frame = render(panel).lastFrame() ?? '';
        expect(frame === '' ? 0 : plainLines(frame).length).toBeLessThanOrEqual(maxRows);
      }
    }
  });
});
