import { cpSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { CODE_DIRS, codeFingerprintOf, PRODUCT_ROOT } from '../../sandbox/replay/code-fingerprint.js';

const root = mkdtempSync(join(tmpdir(), 'obs-sandbox-fingerprint-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

function put(path: string, text: string): void {
  mkdirSync(join(root, path, '..'), { recursive: true });
  writeFileSync(join(root, path), text);
}

describe('the code fingerprint of cached replay verdicts', () => {
  put('generators/model/simulation.js', 'simulate');
  put('sandbox/promtool/promtool-output.js', 'read output');
  put('sandbox/replay/judge.js', 'judge');

  it.each([
    [
      'a file deep in a code folder changes',
      () => put('sandbox/promtool/promtool-output.js', 'read it wrongly'),
    ],
    ['a file is added', () => put('generators/model/extra.js', 'more')],
    [
      'a file is renamed',
      () => {
        rmSync(join(root, 'sandbox/replay/judge.js'));
        put('sandbox/replay/judge2.js', 'judge');
      },
    ],
  ])('changes when %s', async (_, change) => {
    const before = await codeFingerprintOf(root);
    change();
    expect(await codeFingerprintOf(root)).not.toBe(before);
  });

  it('does not depend on where the product is installed', async () => {
    const copy = mkdtempSync(join(tmpdir(), 'obs-sandbox-fingerprint-copy-'));
    try {
      const before = await codeFingerprintOf(root);
      cpSync(root, copy, { recursive: true });
      expect(await codeFingerprintOf(copy)).toBe(before);
    } finally {
      rmSync(copy, { recursive: true, force: true });
    }
  });

  it.each([
    'sandbox/promtool/promtool-runner.ts',
    'sandbox/promtool/promtool-output.ts',
    'sandbox/replay/judge.ts',
    'generators/model/simulation.ts',
  ])('covers the code that decides a verdict: %s', (module) => {
    const path = relative(PRODUCT_ROOT, fileURLToPath(new URL(`../../${module}`, import.meta.url)));
    expect(CODE_DIRS).toContain(path.split(sep)[0]);
  });
});
