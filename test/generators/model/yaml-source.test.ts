import { describe, expect, it } from 'vitest';
import { UserError } from '../../../generators/user-error.js';
import { MAX_YAML_ALIASES, YamlSource } from '../../../generators/model/yaml-source.js';

/** A "billion laughs": each level repeats the one before nine times. */
const ALIAS_BOMB = [
  'a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]',
  ...['b', 'c', 'd', 'e', 'f'].map(
    (level, i) => `${level}: &${level} [${Array(9).fill(`*${'abcde'[i]}`).join(',')}]`,
  ),
  'groups: [*f]',
].join('\n');

describe('YamlSource', () => {
  it('refuses a YAML alias bomb with one line at its first alias instead of expanding it', () => {
    const parsed = YamlSource.parse('bomb.yaml', ALIAS_BOMB);
    if ('error' in parsed) throw new Error(parsed.error);
    expect(() => parsed.source.toJS()).toThrow(UserError);
    expect(() => parsed.source.toJS()).toThrow(
      `bomb.yaml:2:8: YAML aliases expand too far (more than ${MAX_YAML_ALIASES}); write the values out instead of nesting aliases`,
    );
  });

  it('still expands a few aliases', () => {
    const parsed = YamlSource.parse('ok.yaml', 'base: &b { x: 1 }\nuse: [*b, *b]\n');
    if ('error' in parsed) throw new Error(parsed.error);
    expect(parsed.source.toJS()).toEqual({ base: { x: 1 }, use: [{ x: 1 }, { x: 1 }] });
  });
});
