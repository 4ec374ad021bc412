import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { defaultSystems, ruleFilesOf } from '../../../generators/systems/index.js';
import type { LiveReplayEvent } from '../../../sandbox/replay/live/live-replay.js';
import type { LiveTarget } from '../../../sandbox/replay/live/live-target.js';
import { LiveScenarioRunner } from '../../../sandbox/replay/live/scenario-runner.js';
import { collectRuleFiles } from '../../../sandbox/rules/rule-files.js';
import { scenarioVocabulary } from '../../../sandbox/scenario/load-scenario.js';
import { fetchAlertingRules } from '../../../sandbox/stack/prometheus-api.js';
import { startSandbox, type TestSandbox } from '../../../sandbox/testing.js';
import { requireBinaries } from '../../support/binaries.js';
import { runCliAsync, startCli } from '../../support/cli.js';
import { waitFor } from '../../support/ports.js';
import { runCliInProcess } from '../../support/cli-in-process.js';

const bins = await requireBinaries(['prometheus', 'alertmanager']);
const stateRoot = mkdtempSync(join(tmpdir(), 'obs-sandbox-live-'));
// The CLI's `replay --mode live`, run "from another terminal", finds the sandbox by its state directory.
process.env.OBS_SANDBOX_STATE_DIR = stateRoot;
const fixture = (name: string) => join(import.meta.dirname, '..', '..', 'fixtures', 'live', name);

/** A sandbox as these tests start it, in `stateDir` when given (else a temporary one of its own). */
const startLiveSandbox = (stateDir?: string) =>
  startSandbox({
    runtime: 'native',
    interval: '1s',
    // Within the history sample budget at a 1s interval; these scenarios read no history.
    history: '20m',
    rules: [fixture('rules.yaml'), fixture('vacuous-rules.yaml')],
    ...(stateDir ? { stateDir } : {}),
  });

/**
 * A sandbox runs one scenario at a time: the in-process run (40 s of wall clock) has a sandbox of its own, so
 * that the runs from another terminal, one after the other in theirs, take place meanwhile.
 */
describe.skipIf(!bins.available)(
  'live replay against the native stack, in this process',
  { concurrent: true },
  () => {
    let test: TestSandbox;
    let sandbox: TestSandbox['sandbox'];
    const ruleDuration = async (alert: string) =>
      (await fetchAlertingRules(sandbox.control.prometheusUrl)).find((r) => r.name === alert)?.duration;

    beforeAll(async () => {
      test = await startLiveSandbox();
      sandbox = test.sandbox;
    }, 120_000);

    afterAll(() => test?.stop());

    it('applies the steps on the wall clock, judges Prometheus alerts and Alertmanager notifications, and puts everything back', async ({
      expect,
    }) => {
      const loaded = sandbox.scenarios.parse(
        fixture('write-failure.yaml'),
        readFileSync(fixture('write-failure.yaml'), 'utf8'),
      );
      const events: LiveReplayEvent[] = [];
      let scaledDuringRun: Promise<number | undefined> | undefined;
      const result = await sandbox.scenarios.run(loaded, {
        forScale: 0.1,
        onEvent: (event) => {
          events.push(event);
          if (event.type === 'started') scaledDuringRun = ruleDuration('PortalWritesFailing');
        },
      });
      expect(result.failures).toEqual([]);
      expect(result).toMatchObject({ mode: 'live', passed: true, forScale: 0.1 });
      expect(result.notes?.join('\n')).toMatch(/for-scale 0.1: every rule's for: was multiplied by 0.1/);
      const fired = result.results.find((r) =>
        r.expectation.startsWith('PortalWritesFailing{severity="critical"} fires'),
      );
      expect(fired?.detail).toMatch(/^fired at \d+s, notified via sandbox-critical at \d+s$/);
      expect(await scaledDuringRun).toBe(6);
      // Restored: rules as written, the fault off again.
      expect(await ruleDuration('PortalWritesFailing')).toBe(60);
      expect(sandbox.control.activeFaults()).toEqual([]);
      expect(events.find((e) => e.type === 'step')).toMatchObject({
        atMs: 5000,
        action: 'fault receipt_write_errors:ratio=0.5',
        caption: 'Half the receipt writes fail.',
      });
      // Decided before the end: the firing expectation passes as soon as the alert fires.
      const early = events.find(
        (e) => e.type === 'progress' && e.expectations[1]!.status === 'passed' && e.elapsedMs < 35_000,
      );
      expect(early).toBeDefined();
    }, 90_000);
  },
);

describe.skipIf(!bins.available)(
  'live replay against the native stack, from another terminal',
  { concurrent: true },
  () => {
    let test: TestSandbox | undefined;

    beforeAll(async () => {
      test = await startLiveSandbox(stateRoot);
    }, 120_000);

    afterAll(async () => {
      await test?.stop();
      rmSync(stateRoot, { recursive: true, force: true });
    });

    // One after the other: each is a scenario in the same sandbox.
    describe.sequential('replay --mode live', () => {
      it('runs from another terminal through the control API: a failing expectation exits 1, with the reports', async () => {
        const junit = join(stateRoot, 'live.xml');
        const cli = await runCliAsync([
          'replay',
          '--mode',
          'live',
          fixture('never-fires.yaml'),
          '--junit',
          junit,
        ]);
        expect(cli.code).toBe(1);
        expect(cli.stdout).toMatch(/^FAIL {2}live-never-fires {2}\(live, 8s in [\d.]+s, for-scale 1\)$/m);
        expect(cli.stdout).toMatch(/EmergencyActive fires within 5s: expected firing by 7s, never fired/);
        expect(cli.stdout).toMatch(/note {2}for-scale 1: rules as written/);
        expect(cli.stderr).toMatch(/live: live-never-fires runs for 8s in real time \(for-scale 1\)/);
        const xml = readFileSync(junit, 'utf8');
        expect(xml).toContain('<property name="mode" value="live"/>');
        expect(xml).toContain('<property name="for-scale" value="1"/>');
        // Each case names the rule it judged, with its line.
        expect(xml).toMatch(/<system-out>rule_file: \S+\.ya?ml:\d+:\d+<\/system-out>/);
      }, 60_000);

      it('warns about a vacuous never expectation in the report; --strict exits 1 saying why', async () => {
        const warned = await runCliAsync(['replay', '--mode', 'live', fixture('vacuous-never.yaml')]);
        expect(warned.code).toBe(0);
        const vacuous =
          /vacuous-never\.yaml:5:5: expect\[0\]: GhostQueueFull never passes vacuously: its expression selects only metrics nothing produces \(ghost_queue_depth\)/;
        expect(warned.stdout).toMatch(new RegExp(`note {2}warning: .*${vacuous.source}`));
        expect(warned.stderr).toMatch(new RegExp(`^sandbox: warning: .*${vacuous.source}`, 'm'));
        const strict = await runCliAsync([
          'replay',
          '--mode',
          'live',
          '--strict',
          fixture('vacuous-never.yaml'),
        ]);
        expect(strict.code).toBe(1);
        expect(strict.stdout).toMatch(/^PASS {2}live-vacuous-never/m);
        expect(strict.stderr).toMatch(
          /^sandbox: replay --strict failed: 1 never\/silent expectation\(s\) pass vacuously \(their alerts read only metrics nothing produces; see the warnings above\)$/m,
        );
      }, 90_000);

      it('validates the scenario against the rules the sandbox loaded, with file:line:column', async () => {
        const bad = join(stateRoot, 'bad.yaml');
        const text = readFileSync(fixture('never-fires.yaml'), 'utf8').replace(
          'EmergencyActive',
          'PortalWritesFailin',
        );
        await import('node:fs/promises').then((fs) => fs.writeFile(bad, text));
        const cli = await runCliAsync(['replay', '--mode', 'live', bad]);
        expect(cli.code).toBe(2);
        expect(cli.stderr.trim()).toMatch(
          /^sandbox: .*bad\.yaml:\d+:\d+: expect\[0\]\.alert: .*PortalWritesFailin.*did you mean PortalWritesFailing/,
        );
      }, 30_000);
    });
  },
);

describe('a live replay asked for before the rules are loaded', () => {
  it('starts only once they are: nothing is judged against a Prometheus without rules', async () => {
    const touched: string[] = [];
    // Any use of the sandbox (faults, Prometheus' alerts) is recorded, and ends the run.
    const target = new Proxy({} as LiveTarget, {
      get: (_target, key) => {
        touched.push(String(key));
        throw new Error(`the run used ${String(key)}`);
      },
    });
    let loadRules = () => undefined as void;
    const rulesLoaded = new Promise<void>((resolve) => (loadRules = resolve));
    const ruleFiles = await collectRuleFiles([], ruleFilesOf(defaultSystems()));
    const runner = new LiveScenarioRunner(
      target,
      await scenarioVocabulary(defaultSystems(), ruleFiles),
      rulesLoaded,
    );
    const events: string[] = [];
    const text = readFileSync(fixture('never-fires.yaml'), 'utf8');
    const run = runner.run(runner.parse('never-fires.yaml', text), { onEvent: (e) => events.push(e.type) });
    run.catch(() => undefined);
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(runner.running).toBe('live-never-fires');
    expect({ touched, events }).toEqual({ touched: [], events: [] });
    loadRules();
    await expect(run).rejects.toThrow(/the run used/);
    expect(touched.length).toBeGreaterThan(0);
  });

  it('from another terminal, waits for them with a message', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'obs-sandbox-rules-loading-'));
    // The "sandbox" process the state names: one that may be signalled (`sandbox down` after a SIGKILL).
    const holder = spawn('sleep', ['120'], { stdio: 'ignore' });
    const state = (rules: string) =>
      writeFileSync(
        join(dir, 'state.json'),
        JSON.stringify({
          phase: 'running',
          pid: holder.pid,
          rules,
          // Nothing listens there: once the rules are loaded, the CLI says it cannot reach it.
          control: { url: 'http://127.0.0.1:9', token: 'x' },
          services: [],
        }),
      );
    state('loading');
    const cli = startCli(['replay', '--mode', 'live', 'node-down'], {
      ...process.env,
      OBS_SANDBOX_STATE_DIR: dir,
    });
    const waiting =
      /^sandbox: live: the sandbox is loading its alert rules \(after Prometheus' first scrapes\); the scenario starts then$/m;
    try {
      await waitFor(
        'the CLI to wait for the rules',
        async () => (waiting.test(cli.stderr()) ? true : undefined),
        30_000,
      );
      // Still waiting, however long the rules take: nothing reached the sandbox yet.
      await new Promise((resolve) => setTimeout(resolve, 1000));
      expect(cli.child.exitCode).toBeNull();
      state('loaded');
      const [code] = (await once(cli.child, 'exit')) as [number | null];
      expect(cli.stderr()).toMatch(/cannot reach the sandbox's control API at http:\/\/127\.0\.0\.1:9/);
      expect(code).toBe(2);
    } finally {
      rmSync(dir, { recursive: true, force: true });
      await cli.stop('SIGKILL');
      holder.kill();
    }
  }, 60_000);
});

describe('live replay without a sandbox', () => {
  it('says how to start one', async () => {
    const empty = mkdtempSync(join(tmpdir(), 'obs-sandbox-nostate-'));
    const cli = await runCliAsync(['replay', '--mode', 'live', 'node-down'], {
      ...process.env,
      OBS_SANDBOX_STATE_DIR: empty,
    });
    rmSync(empty, { recursive: true, force: true });
    expect(cli.code).toBe(2);
    expect(cli.stderr.trim()).toBe(
      'sandbox: no sandbox is running; start one with `sandbox start` (or `sandbox start --detach`), then run this again',
    );
  }, 30_000);

  // Refused before anything starts: in this process, without a CLI process's start-up each.
  it('rejects a for-scale outside (0, 1] and options that only simulated mode has', async () => {
    const scale = await runCliInProcess(['replay', '--mode', 'live', 'node-down', '--for-scale', '2']);
    expect(scale.code).toBe(2);
    expect(scale.stderr).toMatch(/--for-scale <x>' argument '2' is invalid\. must be a number in \(0, 1\]/);
    const rules = await runCliInProcess(['replay', '--mode', 'live', 'node-down', '--rules', 'x.yaml']);
    expect(rules.stderr).toMatch(/live mode uses what the sandbox was started with \(sandbox start --rules/);
    const simulated = await runCliInProcess(['replay', 'node-down', '--for-scale', '0.5']);
    expect(simulated.stderr).toMatch(/--for-scale applies to --mode live only/);
  }, 60_000);
});
