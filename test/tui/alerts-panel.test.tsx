/** Notifications of one alert with several label sets (issue 11: three identical rows). */
import { render } from 'ink-testing-library';
import { describe, expect, it } from 'vitest';
import { AlertsPanel } from '../../sandbox/tui/components/alerts-panel.js';
import type { Notification } from '../../sandbox/stack/webhook-receiver.js';
import { distinguishingLabels } from '../../sandbox/session/alert-rows.js';
import { NOW, SECOND, plainLines } from './fixtures.js';

function notification(labels: Record<string, string>, agoMs: number, alertname = 'ReceiptWriteFailure') {
  return {
    receivedAt: NOW - agoMs,
    receiver: 'sandbox-critical',
    status: 'firing',
    alertname,
    labels: { alertname, severity: 'critical', job: 'vaultmesh-ledger', ...labels },
    startsAt: '',
  } satisfies Notification;
}

const SCROLLS = ['compliance', 'governance', 'identity', 'treasury'];
const FOUR = SCROLLS.map((scroll) => notification({ scroll }, 13 * SECOND));

describe('distinguishingLabels', () => {
  it('gives each notification the labels whose values differ among those of its alert name', () => {
    const other = notification({ node: 'ledger-2' }, 0, 'NodeDown');
    expect(distinguishingLabels([...FOUR, other])).toEqual([...SCROLLS.map((scroll) => ({ scroll })), {}]);
  });

  it('counts a label one of them lacks as differing', () => {
    const labels = distinguishingLabels([notification({ scroll: 'identity' }, 0), notification({}, 0)]);
    expect(labels).toEqual([{ scroll: 'identity' }, { scroll: '' }]);
  });

  it('gives nothing to repeats of one label set', () => {
    expect(distinguishingLabels([FOUR[0]!, FOUR[0]!])).toEqual([{}, {}]);
  });
});

describe('the alerts panel', () => {
  it('shows what tells apart notifications of one alert with several label sets', () => {
    const lines = plainLines(
      render(<AlertsPanel alerts={[]} notifications={FOUR} nowMs={NOW} maxRows={12} />).lastFrame(),
    ).filter((l) => l.startsWith('↳'));
    expect(lines).toEqual([
      '↳ sandbox-critical firing   ReceiptWriteFailure scroll=treasury 13s ago',
      '↳ sandbox-critical firing   ReceiptWriteFailure scroll=identity 13s ago',
      '↳ sandbox-critical firing   ReceiptWriteFailure scroll=governance 13s ago',
    ]);
  });
});

describe('the alerts panel while the rules load', () => {
  it('says the rules load after the first scrape, with the bound, until they are', () => {
    const loading = plainLines(
      render(
        <AlertsPanel
          alerts={[]}
          notifications={[]}
          nowMs={NOW}
          maxRows={6}
          rulesLoading={{ waitMs: 50_000 }}
        />,
      ).lastFrame(),
    );
    expect(loading).toContain("the alert rules load after Prometheus' first scrape (at most 50s)");
    const loaded = plainLines(
      render(<AlertsPanel alerts={[]} notifications={[]} nowMs={NOW} maxRows={6} />).lastFrame(),
    );
    expect(loaded.join('\n')).not.toMatch(/alert rules load/);
  });
});
