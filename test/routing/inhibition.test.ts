import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { replay } from '../../sandbox/replay/replay-scenarios.js';
import { inhibitingAlert, inhibitRules } from '../../sandbox/routing/inhibition.js';
import { requireAmtool, requireBinaries } from '../support/binaries.js';

const rules = inhibitRules(
  {
    inhibit_rules: [
      {
        source_matchers: ['severity="critical"'],
        target_matchers: ['severity=~"warning|critical"'],
        equal: ['service'],
      },
    ],
  },
  'am.yml',
);

describe('inhibitingAlert (Alertmanager semantics)', () => {
  const node = { alertname: 'NodeDown', severity: 'critical', service: 'api' };
  const slow = { alertname: 'ApiSlow', severity: 'warning', service: 'api' };

  it('mutes a target while a source with the same equal labels fires', () => {
    expect(inhibitingAlert(rules, [node, slow], slow)).toBe(node);
    expect(inhibitingAlert(rules, [{ ...node, service: 'web' }, slow], slow)).toBeUndefined();
    expect(inhibitingAlert(rules, [slow], slow)).toBeUndefined();
  });

  it('treats a label absent on both sides as equal', () => {
    const { service: _a, ...nodeAnywhere } = node;
    const { service: _b, ...slowAnywhere } = slow;
    expect(inhibitingAlert(rules, [nodeAnywhere], slowAnywhere)).toBe(nodeAnywhere);
    expect(inhibitingAlert(rules, [nodeAnywhere], slow)).toBeUndefined();
  });

  it('does not let alerts matching both sides mute each other', () => {
    const db = { alertname: 'DbDown', severity: 'critical', service: 'api' };
    expect(inhibitingAlert(rules, [node, db], db)).toBeUndefined();
  });

  it('reads the older source_match / target_match_re form, and names a matcher it cannot parse', () => {
    const legacy = inhibitRules(
      {
        inhibit_rules: [{ source_match: { severity: 'critical' }, target_match_re: { severity: 'warn.*' } }],
      },
      'am.yml',
    );
    expect(inhibitingAlert(legacy, [node], slow)).toBe(node);
    expect(() => inhibitRules({ inhibit_rules: [{ target_matchers: ['severity'] }] }, 'am.yml')).toThrow(
      /^am\.yml: inhibit_rules\[0\]: expected name="value"/,
    );
  });
});

const amtool = await requireAmtool();
const bins = await requireBinaries(['promtool']);
const TINY = resolve('test/fixtures/catalogue/systems/tiny.system.yaml');
const CRITICAL_RULES = resolve('test/fixtures/routing/tiny-critical.yaml');

/** TinyErrors (warning) and TinyErrorsCritical fire together, about 1m after the fault. */
async function scenario(warningReceiver: string, criticalReceiver = 'pager'): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'inhibition-'));
  const file = join(dir, 'inhibited.yaml');
  await writeFile(
    file,
    [
      'name: inhibited',
      'description: a critical alert inhibits the warning fired with it.',
      `systems: [${TINY}]`,
      'duration: 6m',
      'warmup: 5m',
      'steps:',
      '  - at: 2m',
      '    name: broken',
      '    fault: tiny_errors',
      'expect:',
      '  - alert: TinyErrors',
      '    fires: { after: broken, within: 3m }',
      `    notifies: ${warningReceiver}`,
      '  - alert: TinyErrorsCritical',
      '    fires: { after: broken, within: 3m }',
      `    notifies: ${criticalReceiver}`,
    ].join('\n'),
  );
  return file;
}

describe.skipIf(!amtool.available || !bins.available)(
  'inhibit_rules in simulated replay (real promtool and amtool)',
  () => {
    it.each([
      ['the matchers form', 'test/fixtures/routing/inhibiting-alertmanager.yml'],
      ['the older match form', 'test/fixtures/routing/inhibiting-legacy-alertmanager.yml'],
    ])(
      'fails notifies: on an alert inhibited then, naming the inhibiting alert (%s)',
      async (_, config) => {
        const [result] = await replay([await scenario('chat')], {
          rules: [CRITICAL_RULES],
          alertmanagerConfig: config,
        });
        const [warning, critical] = result!.results;
        expect(warning!.passed).toBe(false);
        expect(warning!.detail).toMatch(
          new RegExp(
            `^fired at \\S+ as \\{alertname="TinyErrors", severity="warning"\\}, routed to chat, but inhibited by TinyErrorsCritical\\{severity="critical", team="tiny"\\} firing then \\(inhibit_rules of ${config.replace(/[./]/g, '\\$&')}\\): Alertmanager would not notify$`,
          ),
        );
        expect(critical!.passed).toBe(true);
        expect(critical!.detail).toMatch(/routed to pager$/);
        expect(result!.notes ?? []).toEqual([]);
      },
      120_000,
    );

    it('passes without inhibit rules (seed 004 Lexecon routing has none)', async () => {
      const [result] = await replay([await scenario('slack-notifications', 'pagerduty')], {
        rules: [CRITICAL_RULES],
        alertmanagerConfig: 'generators/systems/lexecon/lexecon-alertmanager.yml',
      });
      expect(result!.passed).toBe(true);
      expect(result!.results[0]!.detail).toMatch(/routed to slack-notifications$/);
    }, 120_000);
  },
);
