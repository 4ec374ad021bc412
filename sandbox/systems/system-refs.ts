import { existsSync, readdirSync, statSync } from 'node:fs';
import { isAbsolute, join, resolve } from 'node:path';
import { UserError, didYouMean } from '../../generators/user-error.js';
import type { SystemDefinition } from '../../generators/model/system.js';
import { TYPESCRIPT_SYSTEMS } from '../../generators/systems/index.js';
import { bundledSystemsDir } from '../paths.js';

const SYSTEM_FILE = /\.system\.ya?ml$/;

/** Bundled YAML systems by name: `generators/systems/<name>/<name>.system.yaml` (or `.yml`). */
export function bundledSystemFiles(): Map<string, string> {
  const dir = bundledSystemsDir();
  const files = new Map<string, string>();
  // The published package has this folder only when it ships YAML systems.
  if (!existsSync(dir)) return files;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    if (!entry.isDirectory() || entry.name in TYPESCRIPT_SYSTEMS) continue;
    const file = ['yaml', 'yml']
      .map((ext) => join(dir, entry.name, `${entry.name}.system.${ext}`))
      .find((f) => existsSync(f));
    if (file) files.set(entry.name, file);
  }
  return files;
}

/** Every bundled system's name, TypeScript and YAML, sorted. */
export function bundledSystemNames(): string[] {
  return [...Object.keys(TYPESCRIPT_SYSTEMS), ...bundledSystemFiles().keys()].sort();
}

/** A reference is a path when it has a separator, a YAML extension or a leading dot; else a name first. */
function looksLikePath(ref: string): boolean {
  return /[/\\]/.test(ref) || /\.ya?ml$/.test(ref) || ref.startsWith('.') || isAbsolute(ref);
}

/** What a system reference (`vaultmesh`, `./billing.system.yaml`, `systems/`) points at. */
export type SystemTarget =
  | { kind: 'typescript'; name: string }
  | { kind: 'files'; files: string[] }
  | { kind: 'missing'; message: string };

/** Every `*.system.yaml` / `*.system.yml` directly in a directory, sorted. */
function systemFilesIn(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true })
    .filter((e) => e.isFile() && SYSTEM_FILE.test(e.name))
    .map((e) => join(dir, e.name))
    .sort();
}

/** Says what a reference points at without loading anything; relative paths are relative to `baseDir`. */
export function systemTarget(ref: string, baseDir: string): SystemTarget {
  if (!looksLikePath(ref)) {
    if (ref in TYPESCRIPT_SYSTEMS) return { kind: 'typescript', name: ref };
    const bundled = bundledSystemFiles().get(ref);
    if (bundled) return { kind: 'files', files: [bundled] };
  }
  const path = resolve(baseDir, ref);
  const info = existsSync(path) ? statSync(path) : undefined;
  if (info?.isDirectory()) {
    const files = systemFilesIn(path);
    if (files.length > 0) return { kind: 'files', files };
    return { kind: 'missing', message: `no *.system.yaml files in ${ref}` };
  }
  if (info) return { kind: 'files', files: [path] };
  if (looksLikePath(ref)) {
    return {
      kind: 'missing',
      message: `system file ${ref} does not exist; pass a system file, a directory of them, or a bundled system's name`,
    };
  }
  const names = bundledSystemNames();
  return {
    kind: 'missing',
    message: `no bundled system named "${ref}"${didYouMean(ref, names)}; bundled: ${names.join(', ')}; or pass a system file or a directory of them`,
  };
}

/**
 * Loads the systems a reference names. `where` prefixes errors with the place the reference was written
 * (`obs-sandbox.yaml:3:5: systems[0]: `).
 */
export async function resolveSystemRef(
  ref: string,
  baseDir: string,
  where = '',
): Promise<SystemDefinition[]> {
  const target = systemTarget(ref, baseDir);
  if (target.kind === 'missing') throw new UserError(`${where}${target.message}`);
  if (target.kind === 'typescript') return [TYPESCRIPT_SYSTEMS[target.name]!];
  // The declared-system compiler (its zod schema, expressions, runtime) loads only for a system file.
  const { loadSystem } = await import('../../generators/declared/load-system.js');
  return Promise.all(target.files.map((file) => loadSystem(file)));
}
