import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { SeededChoices, type FuzzCase } from './fuzz-case.js';
import { MUTATIONS, type Mutant } from './fuzz-mutations.js';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));

/** Short bundled scenarios (20 minutes, a fault at 10m, alerts with a `for:` of at most 1m). */
const BASES = ['emergency-active', 'federation-discrepancy', 'oracle-corpus-empty', 'proofchain-divergence'];

/**
 * A bundled scenario shrunk to 4 minutes without a warm-up, so that a mutant that stays valid replays
 * through promtool in well under a second; with the knobs and interval written out, so they can be mutated.
 */
export function shortScenario(name: string): string {
  return readFileSync(join(ROOT, 'scenarios', `${name}.yaml`), 'utf8')
    .replace(/^# yaml-language-server.*\n/, '')
    .replace(
      /^duration: 20m$/m,
      'duration: 4m\nwarmup: 0s\nevaluation_interval: 15s\nseed: 3\ntraffic: { receipt_rate: 8, http_rate: 30 }',
    )
    .replace(/at: 10m/g, 'at: 2m')
    .replace(/to: 10m/g, 'to: 2m');
}

/** Values that scenario bounds refuse, at a file position: each was once accepted or never ended. */
const OUT_OF_BOUNDS: [RegExp, string][] = [
  [/^evaluation_interval: .*$/m, 'evaluation_interval: 0s'],
  [/^evaluation_interval: .*$/m, 'evaluation_interval: 1ms'],
  [/^evaluation_interval: .*$/m, 'evaluation_interval: 9999999999999999999y'],
  [/^evaluation_interval: .*$/m, 'evaluation_interval: 5m'],
  [/^warmup: .*$/m, 'warmup: 100000h'],
  [/^warmup: .*$/m, 'warmup: -1m'],
  [/^duration: .*$/m, 'duration: 0s'],
  [/^duration: .*$/m, 'duration: 9999999999y'],
  [/^duration: .*$/m, 'duration: 8d'],
  [/^traffic: .*$/m, 'traffic: { receipt_rate: 1e12 }'],
  [/^traffic: .*$/m, 'traffic: { receipt_rate: -8 }'],
  [/^traffic: .*$/m, 'traffic: { receipt_rate: .nan }'],
  [/^traffic: .*$/m, 'traffic: { receipt_rate: .inf }'],
  [/^traffic: .*$/m, 'traffic: { http_rate: "fast" }'],
  [/^traffic: .*$/m, 'traffic: { __proto__: 5 }'],
  [/^traffic: .*$/m, 'traffic: { constructor: 5 }'],
  [/^traffic: .*$/m, 'traffic: { receipt_rat: 8 }'],
  [/^seed: .*$/m, 'seed: 1e308'],
  [/^seed: .*$/m, 'seed: 99999999999999999999999'],
  [/^seed: .*$/m, 'seed: -1.5'],
  [/at: 2m/, 'at: 5m'],
  [/at: 2m/, 'at: -1m'],
];

function outOfBounds(text: string, choose: SeededChoices): Omit<Mutant, 'kind'> {
  const [pattern, line] = choose.pick(OUT_OF_BOUNDS);
  return { bytes: Buffer.from(text.replace(pattern, line)), expect: 'refused', positioned: true };
}

const WEIGHTED_KINDS: [string, number][] = [
  ['delete-line', 40],
  ['duplicate-line', 25],
  ['swap-type', 35],
  ['extreme-number', 30],
  ['out-of-bounds', 30],
  ['unknown-key', 12],
  ['prototype-key', 12],
  ['invalid-utf8', 12],
  ['nul-byte', 8],
  ['bom', 2],
  ['crlf', 2],
  ['tab-indent', 10],
  ['truncate', 20],
  ['alias-bomb', 6],
  ['alias-bomb-value', 6],
  ['deep-nesting', 10],
  ['long-string', 9],
  ['long-key', 4],
  ['control-chars', 8],
  ['yaml-tags', 10],
  ['multi-document', 2],
  ['empty', 1],
  ['only-comment', 1],
];

/**
 * At least `count` distinct mutants of the short scenarios, written to `dir`, each replayed with the
 * bundled rules (`replay FILE`).
 */
export function scenarioMutantCases(dir: string, count: number, seed: number): FuzzCase[] {
  const choose = new SeededChoices(seed);
  const bases = BASES.map(shortScenario);
  const kinds = WEIGHTED_KINDS.flatMap(([kind, weight]) => Array<string>(weight).fill(kind));
  const seen = new Set<string>();
  const cases: FuzzCase[] = [];
  for (let attempt = 0; cases.length < count && attempt < count * 20; attempt++) {
    const base = choose.int(bases.length);
    const kind = choose.pick(kinds);
    const mutant =
      kind === 'out-of-bounds' ? outOfBounds(bases[base]!, choose) : MUTATIONS[kind]!(bases[base]!, choose);
    const key = mutant.bytes.toString('base64');
    if (seen.has(key)) continue;
    seen.add(key);
    const file = join(dir, `scenario-${cases.length}-${kind}.yaml`);
    writeFileSync(file, mutant.bytes);
    cases.push({
      id: `scenario ${cases.length} (${kind} of ${BASES[base]})`,
      kind: `scenario:${kind}`,
      argv: ['replay', file],
      expect: mutant.expect,
      file,
      positioned: mutant.positioned,
    });
  }
  return cases;
}

/** The short scenarios as they are: each must pass, or the mutants test nothing. */
export function scenarioBaseCases(dir: string): FuzzCase[] {
  return BASES.map((name) => {
    const file = join(dir, `base-${name}.yaml`);
    writeFileSync(file, shortScenario(name));
    return { id: `base ${name}`, kind: 'scenario:base', argv: ['replay', file], expect: 'any' };
  });
}
