import type { SeededChoices } from './fuzz-case.js';

/**
 * A mutation of a YAML file: its new bytes, and whether the result must be refused (`refused`) or may be
 * valid (`any`), and whether a refusal must point at a line and column.
 */
export interface Mutant {
  kind: string;
  bytes: Buffer;
  expect: 'refused' | 'any';
  positioned: boolean;
}

type Mutation = (text: string, choose: SeededChoices) => Omit<Mutant, 'kind'>;

const any = (text: string, positioned = true) => ({
  bytes: Buffer.from(text),
  expect: 'any' as const,
  positioned,
});
const refused = (bytes: string | Buffer, positioned = true) => ({
  bytes: typeof bytes === 'string' ? Buffer.from(bytes) : bytes,
  expect: 'refused' as const,
  positioned,
});

const lines = (text: string) => text.split('\n');

/** Lines of the form `key: value` (in a map or a list item), as [index, key, value]. */
function keyValueLines(text: string): [number, string, string][] {
  return lines(text).flatMap((line, i) => {
    const match = /^(\s*(?:- )?)([A-Za-z_]\w*): (.+)$/.exec(line);
    return match ? [[i, `${match[1]}${match[2]}`, match[3]!] as [number, string, string]] : [];
  });
}

function replaceLine(text: string, index: number, line: string): string {
  const all = lines(text);
  all[index] = line;
  return all.join('\n');
}

const OTHER_TYPES = ['"text"', '42', '[1, 2]', '{ a: 1 }', 'null', '~', 'true', "''", '[]', '{}'];
const EXTREMES = [
  '0',
  '-1',
  '1e308',
  '-1e308',
  '.nan',
  'NaN',
  '.inf',
  '1e-9',
  '-0',
  '0s',
  '1ms',
  '1e12',
  '9999999999y',
  '9999999999999999999y',
  '99999999999999999999999',
  '100000h',
  '-5m',
  '1.5s',
];

/** Billion laughs: each level refers to the one below ten times. */
export function aliasBomb(key: string, levels = 9): string {
  const out = [`${key}:`, '  l0: &l0 [lol, lol, lol, lol, lol, lol, lol, lol, lol, lol]'];
  for (let i = 1; i < levels; i++) {
    out.push(`  l${i}: &l${i} [${Array.from({ length: 10 }, () => `*l${i - 1}`).join(', ')}]`);
  }
  return out.join('\n');
}

/** Generic mutations, for any YAML file (scenarios and rule files). */
export const MUTATIONS: Record<string, Mutation> = {
  'delete-line': (text, c) => {
    const all = lines(text);
    all.splice(c.int(all.length), 1);
    return any(all.join('\n'));
  },
  'duplicate-line': (text, c) => {
    const all = lines(text);
    const i = c.int(all.length);
    all.splice(i, 0, all[i]!);
    return any(all.join('\n'));
  },
  'swap-type': (text, c) => {
    const [i, key] = c.pick(keyValueLines(text));
    return any(replaceLine(text, i, `${key}: ${c.pick(OTHER_TYPES)}`));
  },
  'extreme-number': (text, c) => {
    const [i, key] = c.pick(keyValueLines(text));
    return any(replaceLine(text, i, `${key}: ${c.pick(EXTREMES)}`));
  },
  'unknown-key': (text, c) => {
    const [i, key] = c.pick(keyValueLines(text));
    const indent = /^\s*/.exec(key)![0] + (key.trimStart().startsWith('- ') ? '  ' : '');
    const all = lines(text);
    all.splice(i + 1, 0, `${indent}fuzz_unknown_${c.int(100)}: 1`);
    return any(all.join('\n'));
  },
  'prototype-key': (text, c) => {
    const [i, key] = c.pick(keyValueLines(text));
    const indent = /^\s*/.exec(key)![0] + (key.trimStart().startsWith('- ') ? '  ' : '');
    const all = lines(text);
    const name = c.pick(['__proto__', 'constructor', 'prototype']);
    all.splice(i + 1, 0, `${indent}${name}: ${c.pick(['5', '{ polluted: true }', '[1]'])}`);
    return any(all.join('\n'));
  },
  'invalid-utf8': (text, c) => {
    const bytes = Buffer.from(text);
    const at = c.int(bytes.length);
    const bad = c.pick([[0xff], [0xfe, 0xff], [0xc3, 0x28], [0xe2, 0x82], [0xed, 0xa0, 0x80], [0x80]]);
    return refused(Buffer.concat([bytes.subarray(0, at), Buffer.from(bad), bytes.subarray(at)]));
  },
  'nul-byte': (text, c) => {
    const at = c.int(text.length);
    return refused(`${text.slice(0, at)}\u0000${text.slice(at)}`);
  },
  bom: (text) => any(`\uFEFF${text}`),
  crlf: (text) => any(text.replace(/\n/g, '\r\n')),
  'tab-indent': (text, c) => {
    const indented = lines(text).flatMap((l, i) => (/^ +\S/.test(l) ? [i] : []));
    const i = c.pick(indented);
    return any(replaceLine(text, i, lines(text)[i]!.replace(/^ +/, '\t')));
  },
  truncate: (text, c) => any(text.slice(0, c.int(text.length))),
  'alias-bomb': (text, c) => refused(`${text}\n${aliasBomb(`fuzz_bomb_${c.int(10)}`)}\n`),
  'alias-bomb-value': (text, c) => {
    const [i, key] = c.pick(keyValueLines(text));
    const bomb = aliasBomb('fuzz_anchors').replace(/\n/g, '\n');
    return refused(`${bomb}\n${replaceLine(text, i, `${key}: *l8`)}`);
  },
  'deep-nesting': (text, c) => {
    const depth = c.pick([1000, 5000, 20000]);
    const nested =
      c.int(2) === 0
        ? `${'['.repeat(depth)}${']'.repeat(depth)}`
        : `${'{a: '.repeat(depth)}1${'}'.repeat(depth)}`;
    const [i, key] = c.pick(keyValueLines(text));
    return any(replaceLine(text, i, `${key}: ${nested}`));
  },
  'long-string': (text, c) => {
    const [i, key] = c.pick(keyValueLines(text));
    const size = c.pick([10_000, 400_000, 2_000_000]);
    const mutated = replaceLine(text, i, `${key}: ${'x'.repeat(size)}`);
    return size > 1_048_576 ? refused(mutated, false) : any(mutated);
  },
  'long-key': (text, c) => {
    const [i] = c.pick(keyValueLines(text));
    return any(replaceLine(text, i, `${'k'.repeat(c.pick([2000, 200_000]))}: 1`));
  },
  'control-chars': (text, c) => {
    const at = c.int(text.length);
    return any(
      `${text.slice(0, at)}${c.pick(['\u0007', '\u001b[31m', '\u0085', '\u2028', '\uFFFE'])}${text.slice(at)}`,
    );
  },
  'yaml-tags': (text, c) => {
    const [i, key] = c.pick(keyValueLines(text));
    const tag = c.pick([
      '!!binary aGVsbG8=',
      '!!js/function "x"',
      '!!timestamp 2001-12-14',
      '!custom 1',
      '!!set {a, b}',
      '!!omap [a: 1]',
    ]);
    return any(replaceLine(text, i, `${key}: ${tag}`));
  },
  'multi-document': (text) => any(`${text}\n---\n${text}`),
  empty: () => any(''),
  'only-comment': () => any('# nothing here\n'),
};
