import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { requireBinaries } from '../../support/binaries.js';
import { runCli, startCli } from '../../support/cli.js';
import { waitFor } from '../../support/ports.js';

const bins = await requireBinaries(['promtool']);

describe.skipIf(!bins.available)('sandbox replay', () => {
  const dir = mkdtemp(join(tmpdir(), 'obs-sandbox-replay-cli-'));
  afterAll(async () => rm(await dir, { recursive: true, force: true }));

  it('prints a table, writes JUnit, keeps the promtool files, and exits 0 when all pass', async () => {
    const junit = join(await dir, 'report.xml');
    const keep = join(await dir, 'kept');
    const { code, stdout } = runCli(['replay', 'emergency-active', '--junit', junit, '--keep', keep]);
    expect(code).toBe(0);
    expect(stdout).toMatch(/^PASS {2}emergency-active {2}\(20m replayed in [\d.]+s, \d+x\)$/m);
    expect(stdout).toMatch(
      /ok {4}EmergencyActive\{severity="warning"\} fires within 2m after fault: fired at 10m15s/,
    );
    expect(stdout.trim().split('\n').at(-1)).toBe('1 passed, 0 failed');
    expect(readFileSync(junit, 'utf8')).toMatch(/<testsuite name="emergency-active" tests="2" failures="0"/);
    expect(readdirSync(keep)).toEqual(['emergency-active.promtool-test.yml']);
  });

  it('exits 1 and says why when an expectation fails, in JSON too', () => {
    const { code, stdout } = runCli(['replay', 'test/fixtures/scenarios/wrong-expectations.yaml', '--json']);
    expect(code).toBe(1);
    const [result] = JSON.parse(stdout) as { passed: boolean; failures: string[] }[];
    expect(result!.passed).toBe(false);
    expect(result!.failures).toContain('NodeUnhealthy never fires: fired at 15m15s, expected never');
  });

  it.each([
    [
      ['replay', 'anchor-outag'],
      /^sandbox: no bundled scenario named "anchor-outag" \(did you mean anchor-outage\?\); `sandbox replay --list` shows them$/,
    ],
    [['replay', 'nope/missing.yaml'], /^sandbox: scenario file nope\/missing\.yaml does not exist$/],
    [
      ['replay', 'baseline', '--rules', 'test/fixtures/nothing-here'],
      /^sandbox: rules path test\/fixtures\/nothing-here does not exist; pass a rule file or a directory of them to --rules$/,
    ],
    [
      ['replay', '--mode', 'live'],
      /^sandbox: --mode live needs scenario names or files \(it runs in real time\), e\.g\. `sandbox replay --mode live node-down --for-scale 0\.1`$/,
    ],
    [
      ['replay', '--mode', 'fast'],
      /^sandbox: option '--mode <mode>' argument 'fast' is invalid\. Allowed choices are simulated, live\.$/,
    ],
  ])('rejects %j in one line', (args, message) => {
    const { code, stderr } = runCli(args);
    expect(code).toBe(2);
    expect(stderr.trim().split('\n')).toHaveLength(1);
    expect(stderr.trim()).toMatch(message);
  });

  it('says how to get promtool when it is missing', () => {
    const env = { ...process.env, OBS_SANDBOX_PROMTOOL_PATH: '/nonexistent/promtool' };
    const { code, stderr } = runCli(['replay', 'emergency-active'], 60_000, env);
    expect(code).toBe(2);
    expect(stderr.trim().split('\n')).toHaveLength(1);
    expect(stderr).toMatch(/^sandbox: promtool/);
    expect(stderr).toMatch(/OBS_SANDBOX_PROMTOOL_PATH/);
  });

  it('removes its temporary files and promtool processes on Ctrl-C', async () => {
    const tmp = await mkdtemp(join(await dir, 'tmp-'));
    const cli = startCli(['replay'], { ...process.env, TMPDIR: tmp });
    const leftovers = () => readdirSync(tmp).filter((f) => f.startsWith('obs-sandbox-replay-'));
    await waitFor('a replay in progress', async () => (leftovers().length > 0 ? true : undefined));
    expect(await cli.stop('SIGINT')).toBe(130);
    expect(leftovers()).toEqual([]);
  });

  it('lists the bundled scenarios', () => {
    const { stdout } = runCli(['replay', '--list']);
    expect(stdout.split('\n')).toContain('baseline');
    expect(existsSync('scenarios/baseline.yaml')).toBe(true);
  });
});
