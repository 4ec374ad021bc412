import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { parse } from 'yaml';
import { afterAll, describe, expect, it } from 'vitest';
import {
  DELIVERY_MARGIN_MS,
  loadedAlertmanagerConfig,
  notificationGraceMs,
} from '../../../sandbox/replay/live/notification-wait.js';
import type { AlertObservation } from '../../../sandbox/promtool/promtool-output.js';
import { alertmanagerCommand } from '../../../sandbox/stack/native/alertmanager-templates.js';
import { requireBinaries } from '../../support/binaries.js';
import { freePort, waitFor } from '../../support/ports.js';
import { reapedRun, type ReapedRun } from '../../support/reaped-run.js';

/** Root group_wait 2m (warnings, to chat), 5s for the critical route (to pager); group_interval 5m. */
const CONFIG = resolve('test/fixtures/routing/inhibiting-alertmanager.yml');
const T0 = 1_000_000;
const critical = { alertname: 'Down', labels: { severity: 'critical' }, firedAt: T0 };
const warning = { alertname: 'Slow', labels: { severity: 'warning' }, firedAt: T0 };
const firing = (alertname: string, labels: Record<string, string>, at: number): AlertObservation => ({
  at,
  alertname,
  state: 'firing',
  labels,
});

describe('notificationGraceMs', () => {
  const config = parse(readFileSync(CONFIG, 'utf8')) as Record<string, unknown>;

  it("waits the matching route's group_wait: short for one route, long for another", () => {
    expect(notificationGraceMs(config, critical, [])).toBe(5_000 + DELIVERY_MARGIN_MS);
    expect(notificationGraceMs(config, warning, [])).toBe(120_000 + DELIVERY_MARGIN_MS);
  });

  it('waits group_interval when the alert joins a group that was already notified', () => {
    const earlier = [firing('Down', { severity: 'critical', instance: 'a' }, T0 - 60_000)];
    const joining = { ...critical, labels: { severity: 'critical', instance: 'b' } };
    // The route has no group_by: every alert of it is one group.
    expect(notificationGraceMs(config, joining, earlier)).toBe(300_000 + DELIVERY_MARGIN_MS);
    // Its own earlier firing is not another alert of the group.
    const again = [firing('Down', { severity: 'critical' }, T0 - 60_000)];
    expect(notificationGraceMs(config, critical, again)).toBe(5_000 + DELIVERY_MARGIN_MS);
  });

  it("falls back to Alertmanager's default group_wait (30s) without a configuration", () => {
    expect(notificationGraceMs({}, warning, [])).toBe(30_000 + DELIVERY_MARGIN_MS);
  });
});

const bins = await requireBinaries(['alertmanager']);
const dir = mkdtempSync(join(tmpdir(), 'obs-sandbox-notification-wait-'));
let alertmanager: ChildProcess | undefined;
let run: ReapedRun | undefined;
afterAll(async () => {
  if (alertmanager && alertmanager.exitCode === null) {
    const exited = new Promise((resolve) => alertmanager!.once('exit', resolve));
    alertmanager.kill();
    await exited;
  }
  await run?.release();
  rmSync(dir, { recursive: true, force: true });
});

describe.skipIf(!bins.available)(
  'the configuration a running Alertmanager loaded (real Alertmanager)',
  () => {
    it('is read from its status API and gives each alert its route timing', async () => {
      const port = await freePort();
      const binary = bins.get('alertmanager');
      const args = [
        `--config.file=${CONFIG}`,
        `--web.listen-address=127.0.0.1:${port}`,
        `--storage.path=${dir}`,
        '--cluster.listen-address=',
      ];
      // Debian's build reads its templates from /usr/share: run it as the native stack does.
      const command = await alertmanagerCommand(binary.path, args, binary.assetsDir, dir);
      if ('unavailable' in command) throw new Error(command.unavailable);
      // Should the worker be killed, the reaper kills it (it is known by the run's TMPDIR).
      run = await reapedRun('obs-sandbox-notification-wait-run-');
      alertmanager = spawn(command.command, command.args, { stdio: 'ignore', env: run.env });
      const url = `http://127.0.0.1:${port}`;
      const config = await waitFor(
        'Alertmanager status',
        () => loadedAlertmanagerConfig({ url, headers: {} }),
        60_000,
      );
      expect(notificationGraceMs(config, critical, [])).toBe(5_000 + DELIVERY_MARGIN_MS);
      expect(notificationGraceMs(config, warning, [])).toBe(120_000 + DELIVERY_MARGIN_MS);
      expect(
        await loadedAlertmanagerConfig({ url: `http://127.0.0.1:${await freePort()}`, headers: {} }),
      ).toBeUndefined();
    }, 120_000);
  },
);
