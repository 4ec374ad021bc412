/**
 * The README's startSandbox example compiles against the library, `await using` and all: a renamed option or
 * method fails before it misleads a reader. The compiling is `npm run typecheck`'s (tsconfig.json includes
 * test/, so readme-example.ts), a whole TypeScript program that costs seconds; here, only that the README
 * shows readme-example.ts as it is, importing the package as a user does.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { expect, it } from 'vitest';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));

function readmeExample(): string {
  const readme = readFileSync(join(ROOT, 'README.md'), 'utf8');
  const section = readme.slice(readme.indexOf('### Testing your alerts from your own tests'));
  const example = /```ts\n([\s\S]*?)```/.exec(section)?.[1];
  if (!example)
    throw new Error('README.md: no ```ts example under "Testing your alerts from your own tests"');
  return example;
}

/** readme-example.ts without its header comment, importing the library by the package's name. */
function typecheckedExample(): string {
  const source = readFileSync(join(ROOT, 'test', 'testing', 'readme-example.ts'), 'utf8');
  const code = source.slice(source.indexOf('*/\n') + '*/\n'.length);
  return code.replace("from '../../sandbox/testing.js';", "from 'obs-sandbox/testing';");
}

it('the README example of startSandbox is readme-example.ts, which the typecheck compiles', () => {
  const example = readmeExample();
  expect(example).toContain('await using sandbox = await startSandbox(');
  expect(example).toContain("from 'obs-sandbox/testing';");
  expect(example).toBe(typecheckedExample());
  const tsconfig = JSON.parse(readFileSync(join(ROOT, 'tsconfig.json'), 'utf8')) as { include: string[] };
  expect(tsconfig.include).toContain('test');
});
