/**
 * The README's startSandbox example, word for word but for the import (the package's own name there, its
 * source here): `npm run typecheck` compiles it, readme-example.test.ts checks that the README shows it.
 */
import { expect, it } from 'vitest';
import { startSandbox } from '../../sandbox/testing.js';

it('pages when governance emergency powers are invoked', async () => {
  await using sandbox = await startSandbox({ rules: ['monitoring/rules'], history: '0', interval: '1s' });
  sandbox.fault('emergency');
  await sandbox.waitForAlert('EmergencyActive', { labels: { severity: 'warning' }, timeout: 60_000 });
  await expect
    .poll(() => sandbox.notifications().map((n) => n.alertname), { timeout: 60_000 })
    .toContain('EmergencyActive');
  sandbox.clear('emergency');
  await sandbox.waitForAlert('EmergencyActive', { state: 'inactive', timeout: 60_000 });
}, 180_000);
