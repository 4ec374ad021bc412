import { once } from 'node:events';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { requireBinaries } from '../support/binaries.js';
import { runCliAsync, startCli } from '../support/cli.js';
import { runFuzzCases } from '../support/cli-fuzz-child.js';
import { CASE_LIMIT_MS, RSS_LIMIT_MB, type FuzzCase, type FuzzResult } from '../support/fuzz-case.js';
import { flagCases, flagRegressionCases, specialFileCases } from '../support/fuzz-flag-cases.js';
import { ruleBaseCases, ruleMutantCases } from '../support/fuzz-rule-mutants.js';
import { scenarioBaseCases, scenarioMutantCases } from '../support/fuzz-scenario-mutants.js';

/**
 * Fixed, so that the suite is deterministic; OBS_SANDBOX_FUZZ_SEED=N explores other cases (keep what one
 * finds as a regression case).
 */
const SEED = Number(process.env.OBS_SANDBOX_FUZZ_SEED ?? 11);
console.log(`fuzz seed ${SEED}`);
const COUNTS = { scenarios: 300, rules: 50, flags: 100 };

// Valid mutants replay through the real promtool (in CI a missing one fails the file).
const bins = await requireBinaries(['promtool']);

const base = mkdtempSync(join(tmpdir(), 'obs-sandbox-fuzz-'));
const dirs = Object.fromEntries(
  ['files', 'tmp', 'processTmp', 'work', 'state'].map((name) => {
    const dir = join(base, name);
    mkdirSync(dir);
    return [name, dir];
  }),
) as Record<'files' | 'tmp' | 'processTmp' | 'work' | 'state', string>;
afterAll(() => rmSync(base, { recursive: true, force: true }));

const scenarioBases = scenarioBaseCases(dirs.files);
const shortScenario = scenarioBases[0]!.argv[1]!;
const families: Record<string, FuzzCase[]> = {
  bases: [...scenarioBases, ...ruleBaseCases(dirs.files)],
  scenarios: scenarioMutantCases(dirs.files, COUNTS.scenarios, SEED),
  rules: ruleMutantCases(dirs.files, COUNTS.rules, SEED, shortScenario),
  flags: flagCases(COUNTS.flags, SEED, shortScenario, join(dirs.files, 'missing.yaml')),
  'special files': specialFileCases(dirs.files),
  regressions: flagRegressionCases(shortScenario),
};
const results = new Map<string, FuzzResult>();

/** What is wrong with how the CLI handled a case, if anything. */
function problems(c: FuzzCase, r: FuzzResult): string[] {
  const found: string[] = [];
  const lines = r.stderr.split('\n').filter((l) => l.trim() !== '');
  if (r.hung) found.push(`did not end within ${CASE_LIMIT_MS / 1000}s: ${r.stderr.slice(0, 300)}`);
  // `status` exits 3 when no sandbox runs, as documented.
  else if (![0, 1, 2, ...(c.kind === 'flags:status' ? [3] : [])].includes(r.code))
    found.push(`exit ${r.code}`);
  if (c.expect === 'refused' && [0, 1].includes(r.code)) found.push(`accepted (exit ${r.code}) though wrong`);
  if (/internal error/.test(r.stderr)) found.push('internal error');
  if (/^\s+at /m.test(r.stderr)) found.push('stack trace');
  if (r.code === 2 || r.code === 3) {
    if (lines.length !== 1 || !lines[0]!.startsWith('sandbox: '))
      found.push(`${lines.length} lines, not one "sandbox: " line`);
    else if (c.file) {
      const named = [c.file, ...(c.orFile ? [c.orFile] : [])].filter((f) => lines[0]!.includes(f));
      if (named.length === 0) found.push('the line does not name the file');
      else if (c.positioned && !named.some((f) => new RegExp(`${escape(f)}:\\d+:\\d+`).test(lines[0]!)))
        found.push('no file:line:col');
    }
  }
  if (r.wallMs > CASE_LIMIT_MS) found.push(`took ${r.wallMs} ms`);
  if (r.rssGrowthMb > RSS_LIMIT_MB) found.push(`memory grew ${r.rssGrowthMb} MB`);
  if (r.tmpLeft.length > 0) found.push(`left in $TMPDIR: ${r.tmpLeft.join(', ')}`);
  return found.length > 0
    ? [
        `${c.id}: ${found.join('; ')}\n    argv ${JSON.stringify(c.argv)}\n    stderr ${r.stderr.trim().slice(0, 400)}`,
      ]
    : [];
}

const escape = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

beforeAll(async () => {
  if (!bins.available) return;
  const started = performance.now();
  const all = Object.values(families).flat();
  const env = { ...process.env, TMPDIR: dirs.tmp, OBS_SANDBOX_STATE_DIR: dirs.state, NODE_ENV: 'production' };
  for (const r of await runFuzzCases(all, { dir: base, cwd: dirs.work, env })) results.set(r.id, r);
  const seconds = ((performance.now() - started) / 1000).toFixed(1);
  for (const [family, cases] of Object.entries(families)) {
    const codes = cases.map((c) => results.get(c.id)?.code);
    const count = (code: number) => codes.filter((x) => x === code).length;
    console.log(
      `fuzz ${family}: ${cases.length} cases, exit 0: ${count(0)}, exit 1: ${count(1)}, exit 2: ${count(2)}`,
    );
    const kinds = new Map<string, [number, number]>();
    for (const c of cases) {
      const [accepted, total] = kinds.get(c.kind) ?? [0, 0];
      const code = results.get(c.id)?.code ?? -1;
      kinds.set(c.kind, [accepted + (code === 0 || code === 1 ? 1 : 0), total + 1]);
    }
    console.log(`  accepted of each kind: ${[...kinds].map(([k, [a, t]]) => `${k} ${a}/${t}`).join(', ')}`);
  }

  const slowest = [...results.values()].sort((a, b) => b.wallMs - a.wallMs)[0];
  const hungriest = [...results.values()].sort((a, b) => b.rssGrowthMb - a.rssGrowthMb)[0];
  console.log(
    `fuzz: ${all.length} cases in one process in ${seconds}s; slowest ${slowest?.wallMs} ms (${slowest?.id}), ` +
      `most memory +${hungriest?.rssGrowthMb} MB (${hungriest?.id})`,
  );
}, 600_000);

describe.skipIf(!bins.available)('the CLI under fuzzed input (seeded)', () => {
  it('generates the promised number of cases of each family', () => {
    expect(families.scenarios!.length).toBe(COUNTS.scenarios);
    expect(families.rules!.length).toBe(COUNTS.rules);
    expect(families.flags!.length).toBe(COUNTS.flags);
  });

  it('replays the short scenarios unmutated, and checks the renamed rules, with exit 0', () => {
    for (const c of families.bases!) expect(results.get(c.id)?.code, results.get(c.id)?.stderr).toBe(0);
  });

  it.each(Object.keys(families))(
    '%s: each case ends in time with exit 0/1, or exit 2 and one line naming the file and position',
    (family) => {
      const found = families[family]!.flatMap((c) => {
        const r = results.get(c.id);
        return r ? problems(c, r) : [`${c.id}: no result`];
      });
      expect(found.join('\n')).toBe('');
    },
  );
});

/** What only a whole process shows: signals, special files opened for real, a closed pipe, exit cleanup. */
describe.skipIf(!bins.available)('the CLI as a process, under the same kinds of input', () => {
  const env = { ...process.env, TMPDIR: dirs.processTmp, OBS_SANDBOX_STATE_DIR: dirs.state };
  const oneLine = (stderr: string) => {
    expect(stderr).not.toMatch(/internal error|^\s+at /m);
    const lines = stderr.trim().split('\n');
    expect(lines, stderr).toHaveLength(1);
    return lines[0]!;
  };
  const tmpLeft = () => readdirSync(dirs.processTmp).filter((name) => !name.startsWith('tsx-'));

  it.each([
    ['a FIFO as the scenario', () => ['replay', join(dirs.files, 'scenario.fifo')], /not a regular file/],
    ['/dev/zero as rules', () => ['replay', shortScenario, '--rules', '/dev/zero'], /not a regular file/],
    ['an absurd --speed', () => ['generate', '--speed', '1e308'], /--speed/],
    ['a port offset past 65535', () => ['start', '--port-offset', '60000'], /port/],
  ])(
    'refuses %s at once with one line',
    async (_what, argv, message) => {
      const started = performance.now();
      const result = await runCliAsync(argv(), env);
      expect(performance.now() - started).toBeLessThan(CASE_LIMIT_MS + 20_000);
      expect(result.code, result.stderr).toBe(2);
      expect(oneLine(result.stderr)).toMatch(message);
      expect(tmpLeft()).toEqual([]);
    },
    60_000,
  );

  it('stops a replay within 2 s of SIGINT while promtool runs, leaving nothing in $TMPDIR', async () => {
    // The bundled scenario, with its 1h10m warm-up: seconds of simulation, then promtool for a second or two.
    const cli = startCli(['replay', 'federation-discrepancy'], env);
    // promtool's storage, in $TMPDIR or a directory of the CLI's there, says it is running.
    const promtoolRuns = () =>
      readdirSync(dirs.processTmp, { recursive: true }).some((p) => String(p).includes('test_storage'));
    for (const deadline = Date.now() + 40_000; !promtoolRuns() && Date.now() < deadline;) {
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    expect(promtoolRuns()).toBe(true);
    expect(cli.child.exitCode, cli.stderr()).toBeNull();
    const sent = performance.now();
    const exited = once(cli.child, 'exit');
    cli.child.kill('SIGINT');
    await exited;
    expect(performance.now() - sent).toBeLessThan(2_000);
    expect(cli.stderr()).not.toMatch(/internal error|^\s+at /m);
    expect(tmpLeft()).toEqual([]);
  }, 60_000);

  it('ends quietly when its reader closes the pipe (no EPIPE stack trace)', async () => {
    const cli = startCli(['compose', '--out', join(dirs.work, 'compose-pipe')], env);
    await cli.firstLine;
    cli.child.stdout!.destroy();
    const [code] = (await once(cli.child, 'exit')) as [number | null];
    expect(cli.stderr()).not.toMatch(/EPIPE|^\s+at /m);
    expect(code).toBe(0);
  }, 60_000);

  it('removes the rule groups it extracted from a PrometheusRule when it exits', async () => {
    const zkp = readFileSync(join(dirs.files, 'rules-base.yaml'), 'utf8');
    const crd = join(dirs.files, 'prometheus-rule.yaml');
    const spec = zkp.replace(/^/gm, '  ');
    writeFileSync(
      crd,
      `apiVersion: monitoring.coreos.com/v1\nkind: PrometheusRule\nmetadata:\n  name: fuzz\nspec:\n${spec}\n`,
    );
    const result = await runCliAsync(['check', '--no-bundled-rules', '--rules', crd], env);
    expect(result.code, result.stderr).toBe(0);
    expect(tmpLeft()).toEqual([]);
  }, 120_000);
});
