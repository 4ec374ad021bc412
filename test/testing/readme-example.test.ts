/**
 * The README's startSandbox example compiles against the library as published (`obs-sandbox/testing`),
 * `await using` and all: a renamed option or method fails here before it misleads a reader.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import ts from 'typescript';
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

it('the README example of startSandbox typechecks', () => {
  const file = join(ROOT, 'test', 'testing', 'readme-example.ts');
  const example = readmeExample();
  expect(example).toContain('await using sandbox = await startSandbox(');
  const config = ts.getParsedCommandLineOfConfigFile(
    join(ROOT, 'tsconfig.json'),
    {},
    {
      ...ts.sys,
      onUnRecoverableConfigFileDiagnostic: (d) => {
        throw new Error(ts.flattenDiagnosticMessageText(d.messageText, '\n'));
      },
    },
  )!;
  const options: ts.CompilerOptions = {
    ...config.options,
    noEmit: true,
    paths: { 'obs-sandbox/testing': [join(ROOT, 'sandbox', 'testing.ts')] },
  };
  const host = ts.createCompilerHost(options);
  const getSourceFile = host.getSourceFile.bind(host);
  host.getSourceFile = (name, language, ...rest) =>
    name === file ? ts.createSourceFile(name, example, language) : getSourceFile(name, language, ...rest);
  const fileExists = host.fileExists.bind(host);
  host.fileExists = (name) => name === file || fileExists(name);
  const program = ts.createProgram([file], options, host);
  const errors = ts
    .getPreEmitDiagnostics(program, program.getSourceFile(file))
    .map((d) => ts.flattenDiagnosticMessageText(d.messageText, '\n'));
  expect(errors).toEqual([]);
}, 120_000);
