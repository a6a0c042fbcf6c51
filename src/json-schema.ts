import { toJSONSchema } from 'zod/mini';
import { desiredStateSchema } from './account-schema.js';
import { SCHEMA_URL } from './schema-url.js';

/** The desired-state file's JSON Schema (draft 2020-12) for editors, from the zod schema itself; its $id is where it is released. */
export function renderJsonSchema(): string {
  const { $schema, ...schema } = toJSONSchema(desiredStateSchema, { target: 'draft-2020-12', io: 'input' });
  return `${JSON.stringify({ $schema, $id: SCHEMA_URL, ...schema }, null, 2)}\n`;
}
