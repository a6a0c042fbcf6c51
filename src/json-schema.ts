import { toJSONSchema } from 'zod/mini';
import { desiredStateSchema } from './account-schema.js';

/** The desired-state file's JSON Schema (draft 2020-12) for editors, from the zod schema itself. */
export function renderJsonSchema(): string {
  const schema = toJSONSchema(desiredStateSchema, { target: 'draft-2020-12', io: 'input' });
  return `${JSON.stringify(schema, null, 2)}\n`;
}
