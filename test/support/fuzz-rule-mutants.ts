import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { SeededChoices, type FuzzCase } from './fuzz-case.js';
import { MUTATIONS, aliasBomb, type Mutant } from './fuzz-mutations.js';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));

/** Rules replayed against the short emergency-active scenario (they define EmergencyActive). */
const REPLAYED = 'sandbox/assets/rules/vaultmesh-alerts.yaml';
/** Rules checked with `check`, their alerts renamed so that no bundled scenario replays (that is minutes). */
const CHECKED = [
  'sandbox/assets/rules/zkp-alerts.yaml',
  'generators/systems/lexecon/lexecon-alerts.yaml',
  'generators/systems/vex-lens/vex-lens-alerts.yaml',
  'generators/systems/sankofa-phoenix/sankofa-phoenix-alerts.yaml',
];

/**
 * Expressions promtool refuses. (A range vector, `x[5m]`, passes `promtool check rules` though an alerting
 * rule can never fire on it: left out, as the sandbox does not refuse it either.)
 */
const BROKEN_EXPRS = [
  'rate(vaultmesh_receipts_total[5m]',
  'up ==',
  'sum by (job',
  'foo{a="',
  'absent(',
  '"just a string"',
  'histogram_quantile(0.9, )',
  'up offset -99999999999y',
  'up @ 1e308',
];

type Mutation = (text: string, choose: SeededChoices) => Omit<Mutant, 'kind'>;
const refused = (text: string, positioned = true) => ({
  bytes: Buffer.from(text),
  expect: 'refused' as const,
  positioned,
});

const RULE_MUTATIONS: Record<string, Mutation> = {
  'broken-promql': (text, c) => {
    const exprs = [...text.matchAll(/^(\s+)expr: .*$/gm)];
    const target = c.pick(exprs);
    return refused(text.replace(target[0], `${target[1]}expr: ${c.pick(BROKEN_EXPRS)}`));
  },
  'huge-for': (text, c) => {
    const value = c.pick(['200y', '1000y', '9999999999y', '8d', '-1m', 'forever', '1e308s']);
    const key = c.pick(['for', 'keep_firing_for']);
    return /^\s+for: /m.test(text)
      ? refused(text.replace(/^(\s+)for: .*$/m, `$1${key}: ${value}`))
      : refused(text.replace(/^(\s+)expr: (.*)$/m, `$1expr: $2\n$1${key}: ${value}`));
  },
  'duplicate-group': (text) => {
    const name = /^ {2}- name: (.*)$/m.exec(text)![1]!;
    return refused(
      `${text.trimEnd()}\n  - name: ${name}\n    rules:\n      - alert: FuzzDuplicate\n        expr: up == 0\n`,
    );
  },
  'no-rules': (_text, c) =>
    refused(
      c.pick(['', 'groups:\n', 'groups: []\n', 'groups:\n  - name: g\n    rules: []\n', '# comment only\n']),
      false,
    ),
  'broken-template': (text, c) =>
    refused(
      text.replace(
        /^(\s+)summary: .*$/m,
        `$1summary: "${c.pick(['{{ $labels.x ', '{{ nope }}', '{{ end }}'])}"`,
      ),
    ),
  'prometheus-rule-crd': (text, c) => {
    const spec = c.pick([
      'spec: 5',
      'spec: {}',
      'spec:\n  groups: "not a list"',
      'spec:\n  groups:\n    - name: g\n      rules:\n        - alert: FuzzCrd\n          expr: up ==',
      `spec:\n${text.replace(/^/gm, '  ').replace(/alert: (\w+)/, 'alert: $1\n          bogus_field: 1')}`,
    ]);
    return refused(
      `apiVersion: monitoring.coreos.com/v1\nkind: PrometheusRule\nmetadata:\n  name: fuzz\n${spec}\n`,
    );
  },
  'rules-alias-bomb': (text) => refused(`${aliasBomb('fuzz_bomb')}\n${text}`),
};

const WEIGHTED_KINDS: [string, number][] = [
  ['broken-promql', 8],
  ['huge-for', 6],
  ['duplicate-group', 3],
  ['no-rules', 4],
  ['broken-template', 3],
  ['prometheus-rule-crd', 5],
  ['rules-alias-bomb', 2],
  ['swap-type', 6],
  ['delete-line', 5],
  ['invalid-utf8', 2],
  ['nul-byte', 1],
  ['tab-indent', 2],
  ['truncate', 2],
  ['deep-nesting', 1],
];

const renameAlerts = (text: string) => text.replace(/alert: (\w+)/g, 'alert: Fuzz$1');

/**
 * At least `count` distinct broken rule files: the VaultMesh rules replayed with the short scenario
 * (`replay SCENARIO --no-bundled-rules --rules FILE`), the systems' rules through `check`.
 */
export function ruleMutantCases(dir: string, count: number, seed: number, scenario: string): FuzzCase[] {
  const choose = new SeededChoices(seed);
  const kinds = WEIGHTED_KINDS.flatMap(([kind, weight]) => Array<string>(weight).fill(kind));
  const seen = new Set<string>();
  const cases: FuzzCase[] = [];
  for (let attempt = 0; cases.length < count && attempt < count * 20; attempt++) {
    const replayed = choose.int(3) === 0;
    const base = replayed ? REPLAYED : choose.pick(CHECKED);
    const text = readFileSync(join(ROOT, base), 'utf8');
    const kind = choose.pick(kinds);
    const mutation = RULE_MUTATIONS[kind] ?? MUTATIONS[kind]!;
    const mutant = mutation(replayed ? text : renameAlerts(text), choose);
    const key = mutant.bytes.toString('base64');
    if (seen.has(key)) continue;
    seen.add(key);
    const file = join(dir, `rules-${cases.length}-${kind}.yaml`);
    writeFileSync(file, mutant.bytes);
    cases.push({
      id: `rules ${cases.length} (${kind} of ${base})`,
      kind: `rules:${kind}`,
      argv: replayed
        ? ['replay', scenario, '--no-bundled-rules', '--rules', file]
        : ['check', '--no-bundled-rules', '--rules', file],
      expect: mutant.expect,
      file,
      ...(replayed ? { orFile: scenario } : {}),
      positioned: mutant.positioned,
    });
  }
  return cases;
}

/** The systems' rules renamed, through `check`: accepted without replaying a bundled scenario. */
export function ruleBaseCases(dir: string): FuzzCase[] {
  return CHECKED.slice(0, 1).map((base) => {
    const file = join(dir, 'rules-base.yaml');
    writeFileSync(file, renameAlerts(readFileSync(join(ROOT, base), 'utf8')));
    return {
      id: `rules base ${base}`,
      kind: 'rules:base',
      argv: ['check', '--no-bundled-rules', '--rules', file],
      expect: 'any',
    };
  });
}
