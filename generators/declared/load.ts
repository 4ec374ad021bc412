import type { SystemDefinition } from '../model/system.js';

/**
 * Reads, validates and compiles one system file (YAML) into a SystemDefinition. Errors are UserErrors of
 * the form `file:line:column: path.to.field: what is wrong (did you mean …?)`.
 */
export async function loadSystem(file: string): Promise<SystemDefinition> {
  throw new Error(`loadSystem(${file}): not implemented yet`);
}
