// Writes test/support/github-rest.json: the operations of GitHub's REST description that the action
// calls, as @octokit/openapi publishes it (its api.github.com.json), so the fake GitHub can check
// every request the action makes against GitHub's own description. The package is 385 MB, so it is
// not a dependency; regenerate with:
//   npm exec --yes --package=@octokit/openapi@23.0.2 -- node --import ./scripts/register-ts.mjs scripts/github-rest-subset.ts
// (or pass the path of api.github.com.json as the first argument).
import { readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';

/** The calls src/pull-request.ts makes through octokit. */
const OPERATIONS = [
  'issues/list-comments',
  'issues/create-comment',
  'issues/update-comment',
  'issues/delete-comment',
  'repos/get-content',
  'repos/list-pull-requests-associated-with-commit',
];

interface Parameter {
  name: string;
  in: 'path' | 'query' | 'header';
  required?: boolean;
  schema?: { type?: string; enum?: unknown[]; maximum?: number };
}

const require = createRequire(import.meta.url);
const specPath = process.argv[2] ?? require.resolve('@octokit/openapi/generated/api.github.com.json');
const spec = JSON.parse(readFileSync(specPath, 'utf8')) as {
  info: { version: string };
  paths: Record<
    string,
    Record<string, { operationId: string; parameters?: Array<Parameter | { $ref: string }>; requestBody?: { content: Record<string, { schema: unknown }> } }>
  >;
  components: { parameters: Record<string, Parameter> };
};
const resolve = (p: Parameter | { $ref: string }): Parameter => ('$ref' in p ? spec.components.parameters[p.$ref.split('/').at(-1) ?? ''] : p)!;

const operations: Array<{ operationId: string; method: string; path: string; parameters: unknown[]; requestBody: unknown }> = [];
for (const [path, methods] of Object.entries(spec.paths)) {
  for (const [method, operation] of Object.entries(methods)) {
    if (!OPERATIONS.includes(operation.operationId)) continue;
    operations.push({
      operationId: operation.operationId,
      method: method.toUpperCase(),
      path,
      parameters: (operation.parameters ?? [])
        .map(resolve)
        .map(({ name, in: where, required, schema }) => ({ name, in: where, required: required === true, schema })),
      requestBody: operation.requestBody?.content['application/json']?.schema ?? null,
    });
  }
}
const missing = OPERATIONS.filter((id) => !operations.some((o) => o.operationId === id));
if (missing.length > 0) throw new Error(`not in the description: ${missing.join(', ')}`);
const out = join(import.meta.dirname, '..', 'test', 'support', 'github-rest.json');
writeFileSync(out, `${JSON.stringify({ source: `@octokit/openapi ${spec.info.version} (generated/api.github.com.json)`, operations }, null, 2)}\n`);
console.log(`wrote ${out} (${operations.length} operations)`);
