import { readdirSync, rmSync } from 'node:fs';
import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { parse } from 'yaml';
import { beforeAll, describe, expect, it } from 'vitest';
import { findAmtool } from '../../sandbox/binaries/amtool.js';
import { replay } from '../../sandbox/replay/replay-scenarios.js';
import { loadAlertmanagerFile, withWebhookReceivers } from '../../sandbox/routing/alertmanager-file.js';
import { routedReceivers } from '../../sandbox/routing/route-test.js';
import { requireAmtool, requireBinaries } from '../support/binaries.js';
import { runCli } from '../support/cli.js';

const LEXECON = resolve('generators/systems/lexecon/lexecon-alertmanager.yml');
const TINY = resolve('test/fixtures/catalogue/systems/tiny.system.yaml');

const amtool = await requireAmtool();
const bins = await requireBinaries(['promtool']);

/** The tiny system's TinyErrors (severity warning) fires 1m after the fault, at about 3m15s. */
function tinyScenario(extra: { notifies?: string; kind?: 'fires' | 'never'; config?: string }): string {
  const expectation =
    extra.kind === 'never'
      ? '  - alert: TinyErrors\n    never: true\n'
      : '  - alert: TinyErrors\n    fires: { after: broken, within: 3m }\n';
  return [
    'name: tiny-routing',
    'description: TinyErrors fires and is routed.',
    `systems: [${TINY}]`,
    ...(extra.config ? [`alertmanager_config: ${extra.config}`] : []),
    'duration: 6m',
    'warmup: 5m',
    'steps:',
    '  - at: 2m',
    '    name: broken',
    '    fault: tiny_errors',
    'expect:',
    expectation + (extra.notifies ? `    notifies: ${extra.notifies}\n` : ''),
  ].join('\n');
}

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'routing-check-'));
});

async function scenarioFile(name: string, text: string): Promise<string> {
  const file = join(dir, `${name}.yaml`);
  await writeFile(file, text);
  return file;
}

describe.skipIf(!amtool.available)('amtool routing of seed 004 (Lexecon)', () => {
  it.each([
    [{ severity: 'critical' }, ['pagerduty']],
    [{ severity: 'warning' }, ['slack-notifications']],
    [{ severity: 'info' }, ['slack-notifications']],
  ])('routes %o to %o', async (labels, receivers) => {
    const routed = await routedReceivers(amtool.path, LEXECON, {
      alertname: 'LexeconServiceDown',
      ...labels,
    });
    expect(routed).toEqual(receivers);
  });

  it('keeps the routing and replaces every receiver by the webhook under its name', async () => {
    const file = await loadAlertmanagerFile(LEXECON, amtool.path);
    expect(file.receivers).toEqual(['slack-notifications', 'pagerduty']);
    const config = withWebhookReceivers(file, 'http://127.0.0.1:9999/alertmanager');
    expect(config.route).toEqual(file.config.route);
    expect(config.receivers).toEqual([
      {
        name: 'slack-notifications',
        webhook_configs: [
          { url: 'http://127.0.0.1:9999/alertmanager/slack-notifications', send_resolved: true },
        ],
      },
      {
        name: 'pagerduty',
        webhook_configs: [{ url: 'http://127.0.0.1:9999/alertmanager/pagerduty', send_resolved: true }],
      },
    ]);
    expect(config).not.toHaveProperty('global');
    // What Alertmanager will run is itself a valid configuration.
    const rendered = join(dir, 'rendered.yml');
    await writeFile(rendered, JSON.stringify(config));
    await expect(loadAlertmanagerFile(rendered, amtool.path)).resolves.toBeDefined();
    expect(await routedReceivers(amtool.path, rendered, { severity: 'critical' })).toEqual(['pagerduty']);
  });

  it('gives file:line:col for YAML mistakes and amtool check-config reasons for the rest', async () => {
    const broken = join(dir, 'broken.yml');
    await writeFile(broken, 'route:\n  receiver: x\n   bad: [\n');
    await expect(loadAlertmanagerFile(broken, amtool.path)).rejects.toThrow(/broken\.yml:2:13: invalid YAML/);
    const undefinedReceiver = join(dir, 'undefined-receiver.yml');
    await writeFile(undefinedReceiver, 'route:\n  receiver: pager\nreceivers:\n  - name: slack\n');
    await expect(loadAlertmanagerFile(undefinedReceiver, amtool.path)).rejects.toThrow(
      /undefined-receiver\.yml: amtool check-config: undefined receiver "pager" used in route/,
    );
    const noRoute = join(dir, 'no-route.yml');
    await writeFile(noRoute, 'receivers:\n  - name: slack\n');
    await expect(loadAlertmanagerFile(noRoute, amtool.path)).rejects.toThrow(
      /no-route\.yml:1:1: .*needs a route/,
    );
  });
});

describe('amtool resolution', () => {
  it('says how to get amtool when it is nowhere', async () => {
    const empty = await mkdtemp(join(tmpdir(), 'no-amtool-'));
    await expect(findAmtool({ env: { PATH: empty, OBS_SANDBOX_CACHE_DIR: empty } })).rejects.toThrow(
      'amtool not found: run `sandbox install alertmanager`',
    );
  });
});

describe.skipIf(!amtool.available || !bins.available)(
  'notifies: in simulated replay (real promtool and amtool)',
  () => {
    it('passes when the alert is routed to the receiver it names (the sandbox routing)', async () => {
      const file = await scenarioFile('ok', tinyScenario({ notifies: 'sandbox-warning' }));
      const [result] = await replay([file]);
      expect(result!.passed).toBe(true);
      expect(result!.results[0]!.detail).toMatch(/^fired at \S+, routed to sandbox-warning$/);
    });

    it('removes the sandbox routing it wrote for amtool when the command exits', async () => {
      const file = await scenarioFile('cli', tinyScenario({ notifies: 'sandbox-warning' }));
      const tmp = await mkdtemp(join(tmpdir(), 'obs-sandbox-routing-test-'));
      try {
        const { code, stdout } = runCli(['replay', file], 120_000, { ...process.env, TMPDIR: tmp });
        expect(stdout).toMatch(/routed to sandbox-warning/);
        expect(code).toBe(0);
        expect(readdirSync(tmp)).toEqual([]);
      } finally {
        rmSync(tmp, { recursive: true, force: true });
      }
    });

    it('fails, with the labels it fired with, when the route goes elsewhere', async () => {
      const file = await scenarioFile('wrong', tinyScenario({ notifies: 'sandbox-critical' }));
      const [result] = await replay([file]);
      expect(result!.passed).toBe(false);
      expect(result!.results[0]!.detail).toMatch(
        /^fired at \S+ as \{alertname="TinyErrors", severity="warning"\}; routed to sandbox-warning, expected sandbox-critical \(the sandbox routing\)$/,
      );
    });

    it("checks against the scenario's own configuration, else the command's", async () => {
      const own = await scenarioFile('own', tinyScenario({ notifies: 'pagerduty', config: LEXECON }));
      const [ownResult] = await replay([own]);
      expect(ownResult!.passed).toBe(false);
      expect(ownResult!.results[0]!.detail).toMatch(/routed to slack-notifications, expected pagerduty/);
      const command = await scenarioFile('command', tinyScenario({ notifies: 'slack-notifications' }));
      const [commandResult] = await replay([command], { alertmanagerConfig: LEXECON });
      expect(commandResult!.passed).toBe(true);
      expect(commandResult!.results[0]!.detail).toMatch(/routed to slack-notifications$/);
    });

    it('refuses an unknown receiver and notifies without fires, at file:line:col', async () => {
      const unknown = await scenarioFile('unknown', tinyScenario({ notifies: 'sandbox-critcal' }));
      await expect(replay([unknown])).rejects.toThrow(
        /unknown\.yaml:13:15: expect\[0\]\.notifies: no receiver "sandbox-critcal" in the sandbox routing .*did you mean sandbox-critical/,
      );
      const never = await scenarioFile('never', tinyScenario({ notifies: 'sandbox-warning', kind: 'never' }));
      await expect(replay([never])).rejects.toThrow(
        /never\.yaml:13:\d+: expect\[0\]\.notifies: notifies belongs to an expectation with fires/,
      );
    });

    it('leaves scenarios without notifies: alone (no amtool needed)', async () => {
      const file = await scenarioFile('plain', tinyScenario({}));
      const [result] = await replay([file]);
      expect(result!.passed).toBe(true);
      expect(result!.results[0]!.detail).toMatch(/^fired at \S+$/);
      expect(parse(await import('node:fs').then((fs) => fs.readFileSync(file, 'utf8')))).not.toHaveProperty(
        'alertmanager_config',
      );
    });
  },
);
