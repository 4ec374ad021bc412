/** The reason a service does not run, and its fix, at the sizes a user starts with (issue 11). */
import { render } from 'ink-testing-library';
import { afterEach, describe, expect, it } from 'vitest';
import { cleanup } from 'ink-testing-library';
import { App } from '../../sandbox/tui/components/index.js';
import type { ServiceStatus } from '../../sandbox/stack/native/native-stack.js';
import { plainLines, recordingActions, runningView, SERVICES, tick } from './fixtures.js';

afterEach(() => cleanup());

const CACHE = '/home/someone/.cache/obs-sandbox';
/** As the binaries' resolution words it: what was tried, then the fix. */
function unavailable(service: 'grafana' | 'loki' | 'jaeger', install: string): ServiceStatus {
  const fix = `${install} or set OBS_SANDBOX_${service.toUpperCase()}_PATH=/path/to/${service}`;
  return {
    service,
    state: 'unavailable',
    runtime: 'native',
    reason: `${service} not found: not configured, not on PATH, not cached in ${CACHE}; no verified release download for it; no Debian package for it. ${fix}`,
    fix,
  };
}

const DOWN = [
  unavailable('grafana', 'Install Grafana from grafana.com/grafana/download'),
  unavailable('loki', 'Download Loki from github.com/grafana/loki/releases'),
  unavailable('jaeger', 'Download Jaeger from github.com/jaegertracing/jaeger/releases'),
];
const view = runningView({
  services: [...SERVICES.filter((s) => s.service === 'prometheus' || s.service === 'alertmanager'), ...DOWN],
  grafanaLogin: undefined,
});

function renderApp(columns: number, rows: number) {
  const app = render(<App view={view} actions={recordingActions()} columns={columns} rows={rows} />);
  const lines = () => plainLines(app.lastFrame());
  /** The lines joined, of the left column only when there are two (the services panel is on the left). */
  const text = (columnWidth = columns) =>
    lines()
      .map((l) => l.slice(0, columnWidth).trim())
      .join(' ');
  return { app, lines, text };
}

function expectFits(lines: string[], columns: number, rows: number) {
  expect(lines.length).toBeLessThanOrEqual(rows);
  for (const line of lines) expect(line.length).toBeLessThanOrEqual(columns);
}

describe('a service that does not run', () => {
  it('shows its fix whole, wrapped in the services panel, at 120x36', () => {
    const { lines, text } = renderApp(120, 36);
    expectFits(lines(), 120, 36);
    const leftColumn = text(59);
    for (const service of DOWN) expect(leftColumn).toContain(service.fix!);
  });

  it('points to the help at 80x24, where the help shows every reason whole, fix included', async () => {
    const { app, lines, text } = renderApp(80, 24);
    expect(lines()[0]).toMatch(/^ Services \(\? why\)/);
    app.stdin.write('?');
    await tick();
    expectFits(lines(), 80, 24);
    expect(lines()[1]).toBe('Services not running');
    for (const service of DOWN) expect(text()).toContain(service.reason!.replace(/\s+/g, ' '));
  });

  it('shows its whole reason in the help at 120x36 as well', async () => {
    const { app, lines, text } = renderApp(120, 36);
    app.stdin.write('?');
    await tick();
    expectFits(lines(), 120, 36);
    for (const service of DOWN) expect(text()).toContain(service.reason!);
  });
});

describe("the generators' pushes outside the sandbox", () => {
  const outputs = [
    {
      name: 'remote write' as const,
      url: 'https://mimir.example.com/api/v1/push',

      sent: 123_456,
      queued: 789,
      dropped: 10_000,
      lastError: 'HTTP 503: ingester unavailable',
    },
    {
      name: 'loki' as const,
      url: 'http://loki.example.com/',

      sent: 42,
      queued: 0,
      dropped: 0,
    },
  ];

  it.each([
    [120, 36],
    [80, 24],
  ])(
    'show each one under the services at %ix%i: sent, queued, dropped, and the last error',
    (columns, rows) => {
      const app = render(
        <App view={runningView({ outputs })} actions={recordingActions()} columns={columns} rows={rows} />,
      );
      const lines = plainLines(app.lastFrame());
      expectFits(lines, columns, rows);
      const text = lines.join('\n');
      expect(text).toMatch(/remote write +sent 123,456 queued 789 dropped 10,000/);
      expect(text).toContain('↳ last error: HTTP 503: ingester unavailable');
      expect(text).toMatch(/loki +sent 42 queued 0 dropped 0/);
    },
  );

  it('take no row when there are none', () => {
    const app = render(<App view={runningView()} actions={recordingActions()} columns={120} rows={36} />);
    expect(plainLines(app.lastFrame()).join('\n')).not.toMatch(/queued|last error/);
  });
});
