/**
 * Checks a request against GitHub's REST description (the operations the action calls, kept in
 * github-rest.json by scripts/github-rest-subset.ts from @octokit/openapi): an operation exists for
 * its method and path, its parameters are declared and of their type, its body has the declared
 * properties only, the required ones present and of their type.
 */
import { readFileSync } from 'node:fs';
import type { RecordedRequest } from './http-fake.js';

interface Operation {
  operationId: string;
  method: string;
  path: string;
  parameters: Array<{ name: string; in: string; required: boolean; schema?: { type?: string } }>;
  requestBody: { type?: string; properties?: Record<string, { type?: string }>; required?: string[] } | null;
}

const REST = JSON.parse(readFileSync(new URL('./github-rest.json', import.meta.url), 'utf8')) as { source: string; operations: Operation[] };

/** GitHub's own limit on per_page (its description says "max 100" in words). */
const MAX_PER_PAGE = 100;

function pattern(operation: Operation): RegExp {
  const multi = new Set(['path', 'commit_sha']);
  const source = operation.path.replace(/[.*+?^$()|[\]\\]/g, '\\$&').replace(/\\?\{(\w+)\\?\}|\{(\w+)\}/g, (_, a?: string, b?: string) => {
    const name = a ?? b ?? '';
    return `(?<${name}>${multi.has(name) ? '.+' : '[^/]+'})`;
  });
  return new RegExp(`^${source}$`);
}

const MATCHERS = REST.operations.map((operation) => ({ operation, pattern: pattern(operation) }));

function typeProblem(name: string, value: string, type: string | undefined): string | undefined {
  if (type === 'integer' && !/^-?\d+$/.test(value)) return `${name} must be an integer, not "${value}"`;
  return undefined;
}

/** What is wrong with a request by GitHub's description; [] when it conforms. */
export function restViolations(request: Pick<RecordedRequest, 'method' | 'path' | 'query' | 'body' | 'headers'>): string[] {
  const found = MATCHERS.map(({ operation, pattern }) => ({ operation, match: pattern.exec(request.path) })).filter(
    ({ operation, match }) => match !== null && operation.method === request.method,
  );
  const label = `${request.method} ${request.path}`;
  if (found.length !== 1)
    return [`${label}: ${found.length === 0 ? "no operation of GitHub's REST API the action uses has this method and path" : 'matches several operations'}`];
  const { operation, match } = found[0]!;
  const problems: string[] = [];
  const say = (problem: string) => problems.push(`${label} (${operation.operationId}): ${problem}`);
  for (const parameter of operation.parameters.filter((p) => p.in === 'path')) {
    const value = decodeURIComponent(match?.groups?.[parameter.name] ?? '');
    const problem = typeProblem(parameter.name, value, parameter.schema?.type);
    if (problem) say(problem);
  }
  const declared = new Map(operation.parameters.filter((p) => p.in === 'query').map((p) => [p.name, p]));
  for (const [name, value] of request.query) {
    const parameter = declared.get(name);
    if (!parameter) {
      say(`query parameter "${name}" is not declared`);
      continue;
    }
    const problem = typeProblem(name, value, parameter.schema?.type);
    if (problem) say(problem);
    if (name === 'per_page' && Number(value) > MAX_PER_PAGE) say(`per_page ${value} is over GitHub's maximum of ${MAX_PER_PAGE}`);
  }
  for (const parameter of declared.values())
    if (parameter.required && !request.query.has(parameter.name)) say(`query parameter "${parameter.name}" is required`);

  const schema = operation.requestBody;
  if (!schema) {
    if (request.body.trim() !== '') say('this operation takes no body');
  } else {
    let body: unknown;
    try {
      body = JSON.parse(request.body);
    } catch {
      say('the body is not JSON');
    }
    if (typeof body === 'object' && body !== null && !Array.isArray(body)) {
      const record = body as Record<string, unknown>;
      for (const key of Object.keys(record)) {
        const property = schema.properties?.[key];
        if (!property) say(`body property "${key}" is not declared`);
        else if (property.type && typeof record[key] !== property.type) say(`body property "${key}" must be a ${property.type}`);
      }
      for (const key of schema.required ?? []) if (!(key in record)) say(`body property "${key}" is required`);
    } else if (body !== undefined) say('the body must be a JSON object');
  }
  if (!/^(token|bearer) \S+$/i.test(request.headers.authorization ?? '')) say('no token in the authorization header');
  return problems;
}

export const REST_SOURCE = REST.source;
