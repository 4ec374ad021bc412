import { readFileSync, writeFileSync } from 'node:fs';
import { format } from 'prettier';
import { describe, expect, it } from 'vitest';
import { systemJsonSchema } from '../../generators/declared/system-schema.js';
import { scenarioJsonSchema } from '../../sandbox/scenario/scenario-schema.js';
import { projectJsonSchema } from '../../sandbox/systems/project-file.js';

/** The JSON Schemas the package publishes; `UPDATE_SCHEMAS=1 npx vitest run <this file>` rewrites them. */
const PUBLISHED: Record<string, () => object> = {
  'schemas/project.schema.json': projectJsonSchema,
  'schemas/scenario.schema.json': scenarioJsonSchema,
  'schemas/system.schema.json': systemJsonSchema,
  // The bundled scenarios point their editors at the copy beside them.
  'scenarios/scenario.schema.json': scenarioJsonSchema,
};

describe('published JSON Schemas', () => {
  it.each(Object.keys(PUBLISHED))('%s is what the code validates with', async (file) => {
    const schema = PUBLISHED[file]!();
    if (process.env.UPDATE_SCHEMAS)
      writeFileSync(file, await format(JSON.stringify(schema), { filepath: file }));
    expect(JSON.parse(readFileSync(file, 'utf8'))).toEqual(schema);
  });
});
