import { describe, expect, it } from 'vitest';
import { runCliInProcess } from '../../support/cli-in-process.js';

describe('start: ports checked before anything starts', () => {
  it('refuses a --port-offset that pushes a service past 65535', async () => {
    const { code, stderr } = await runCliInProcess(['start', '--no-tui', '--port-offset', '60000']);
    expect(stderr.trim()).toBe(
      "sandbox: option '--port-offset <n>' argument '60000' is invalid. must be a number from 0 to 48849: every service's default port plus the offset must be at most 65535 (the highest is 16686)",
    );
    expect(code).toBe(2);
  });

  it('refuses a --port that leaves no room for the targets', async () => {
    const { code, stderr } = await runCliInProcess(['start', '--no-tui', '--port', '65534']);
    expect(stderr.trim()).toBe(
      "sandbox: --port 65534 leaves no room for the generators' 4 scrape targets: they need ports 65534-65537, past 65535; give --port 65532 or lower (0: any free ports)",
    );
    expect(code).toBe(2);
  });
});

describe("start: the user's files checked before the runtime is chosen", () => {
  // Choosing the runtime may print a line (a Docker image that cannot be pulled); a refusal must stay one.
  it.each([
    [['--dashboards', 'test/fixtures/no-such-dashboards'], /no-such-dashboards/],
    [['--rules', 'test/fixtures/no-such-rules.yaml'], /no-such-rules\.yaml/],
    [['--alertmanager-config', 'test/fixtures/no-such-alertmanager.yml'], /no-such-alertmanager\.yml/],
  ])('%j: one line, exit 2, with runtime auto', async (args, names) => {
    const { code, stderr } = await runCliInProcess(['start', '--no-tui', '--runtime', 'auto', ...args]);
    expect(stderr.trim().split('\n')).toHaveLength(1);
    expect(stderr).toMatch(names);
    expect(code).toBe(2);
  });
});
