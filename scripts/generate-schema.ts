// npm run schema: writes schema/leadconduit-account.schema.json from the zod schema the action
// validates with, so editors and the action agree. A test fails when the committed file is stale.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { renderJsonSchema } from '../src/json-schema.js';

const path = join(import.meta.dirname, '..', 'schema', 'leadconduit-account.schema.json');
writeFileSync(path, renderJsonSchema());
console.log(`wrote ${path}`);
