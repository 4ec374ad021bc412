/**
 * startSandbox as a user's own test drives it, against the real Prometheus and Alertmanager (native
 * runtime): a fault fires its alert, Alertmanager notifies, clearing it ends the alert, and `await using`
 * leaves no process and no directory behind.
 */
import { existsSync } from 'node:fs';
import { dirname } from 'node:path';
import { describe, expect, it } from 'vitest';
import { processAlive } from '../../sandbox/stack/state.js';
import { startSandbox } from '../../sandbox/testing.js';
import { requireBinaries } from '../support/binaries.js';
import { waitFor } from '../support/ports.js';

const bins = await requireBinaries(['prometheus', 'alertmanager']);

describe.skipIf(!bins.available)('startSandbox on the native runtime', () => {
  it('fires an alert on a fault, notifies, resolves on clear, and leaves nothing when disposed', async () => {
    let stateDir = '';
    let pids: number[] = [];
    {
      await using sandbox = await startSandbox({ runtime: 'native', history: '0', interval: '1s' });
      stateDir = dirname(sandbox.sandbox.state.dataDir);
      pids = sandbox.sandbox.stack.services().flatMap((s) => (s.state === 'running' && s.pid ? [s.pid] : []));
      expect(pids.length).toBeGreaterThanOrEqual(2);
      expect(existsSync(stateDir)).toBe(true);
      expect(await fetch(`${sandbox.services.prometheus.url()}/-/ready`).then((r) => r.status)).toBe(200);
      expect(await fetch(`${sandbox.services.alertmanager.url()}/-/ready`).then((r) => r.status)).toBe(200);

      await sandbox.waitForAlert('EmergencyActive', { state: 'inactive', timeout: 5_000 });
      sandbox.fault('emergency');
      const firing = await sandbox.waitForAlert('EmergencyActive', {
        labels: { severity: 'warning' },
        timeout: 90_000,
      });
      expect(firing[0]).toMatchObject({ state: 'firing', labels: { alertname: 'EmergencyActive' } });
      await waitFor(
        'the EmergencyActive notification',
        async () =>
          sandbox.notifications().find((n) => n.alertname === 'EmergencyActive' && n.status === 'firing'),
        90_000,
      );
      expect(sandbox.logs().length).toBeGreaterThan(0);

      sandbox.clear('emergency');
      await sandbox.waitForAlert('EmergencyActive', { state: 'inactive', timeout: 90_000 });
    }
    expect(pids.filter(processAlive)).toEqual([]);
    expect(existsSync(stateDir)).toBe(false);
    expect(process.env.OBS_SANDBOX_STATE_DIR).toBeUndefined();
  }, 300_000);

  it('says, when waitForAlert times out, what it waited for and what Prometheus showed', async () => {
    await using sandbox = await startSandbox({ runtime: 'native', history: '0', interval: '1s' });
    sandbox.fault('emergency');
    await sandbox.waitForAlert('EmergencyActive', { timeout: 90_000 });
    const error = await sandbox
      .waitForAlert('EmergencyActive', { labels: { severity: 'critical' }, timeout: 2_000 })
      .catch((e: unknown) => e as Error);
    expect(error).toBeInstanceOf(Error);
    expect((error as Error).message).toMatch(
      /^waitForAlert: EmergencyActive\{severity="critical"\} was not firing within 2s: it was firing \{.*"severity":"warning"/,
    );
    const unknown = await sandbox.waitForAlert('EmergencyActiv').catch((e: unknown) => e as Error);
    expect((unknown as Error).message).toMatch(
      /no alerting rule named EmergencyActiv is loaded \(did you mean EmergencyActive\?\)/,
    );
    // A second stop (dispose after an explicit stop) is harmless.
    await sandbox.stop();
  }, 300_000);
});
