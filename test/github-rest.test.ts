import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { describe, expect, it } from 'vitest';
import { ROOT } from './support/action-env.js';
import { REST_SOURCE, restViolations } from './support/github-rest.js';

const request = (method: string, path: string, query = '', body = '', authorization = 'token ghs_x') => ({
  method,
  path,
  query: new URLSearchParams(query),
  body,
  headers: { authorization },
});

describe("the check against GitHub's REST description", () => {
  it('is made from @octokit/openapi', () => {
    expect(REST_SOURCE).toMatch(/^@octokit\/openapi \d+\.\d+\.\d+/);
  });

  it('passes the requests the action makes', () => {
    expect(restViolations(request('GET', '/repos/acme/settings/issues/7/comments', 'per_page=100&page=2'))).toEqual([]);
    expect(restViolations(request('POST', '/repos/acme/settings/issues/7/comments', '', '{"body":"plan"}'))).toEqual([]);
    expect(restViolations(request('PATCH', '/repos/acme/settings/issues/comments/12', '', '{"body":"plan"}'))).toEqual([]);
    expect(restViolations(request('DELETE', '/repos/acme/settings/issues/comments/12'))).toEqual([]);
    expect(restViolations(request('GET', '/repos/acme/settings/contents/accounts/a.json', `ref=${'b'.repeat(40)}`))).toEqual([]);
    expect(restViolations(request('GET', `/repos/acme/settings/commits/${'d'.repeat(40)}/pulls`))).toEqual([]);
  });

  it('finds an unknown operation, undeclared or mistyped parameters, a bad body and a missing token', () => {
    expect(restViolations(request('PUT', '/repos/acme/settings/issues/7/comments'))).toEqual([
      "PUT /repos/acme/settings/issues/7/comments: no operation of GitHub's REST API the action uses has this method and path",
    ]);
    expect(restViolations(request('GET', '/repos/acme/settings/issues/seven/comments', 'per_page=500&sort=asc'))).toEqual([
      'GET /repos/acme/settings/issues/seven/comments (issues/list-comments): issue_number must be an integer, not "seven"',
      "GET /repos/acme/settings/issues/seven/comments (issues/list-comments): per_page 500 is over GitHub's maximum of 100",
      'GET /repos/acme/settings/issues/seven/comments (issues/list-comments): query parameter "sort" is not declared',
    ]);
    expect(restViolations(request('POST', '/repos/acme/settings/issues/7/comments', '', '{"body":1,"pin":true}'))).toEqual([
      'POST /repos/acme/settings/issues/7/comments (issues/create-comment): body property "body" must be a string',
      'POST /repos/acme/settings/issues/7/comments (issues/create-comment): body property "pin" is not declared',
    ]);
    expect(restViolations(request('PATCH', '/repos/acme/settings/issues/comments/12', '', '{}'))).toEqual([
      'PATCH /repos/acme/settings/issues/comments/12 (issues/update-comment): body property "body" is required',
    ]);
    expect(restViolations(request('DELETE', '/repos/acme/settings/issues/comments/12', '', '', ''))).toEqual([
      'DELETE /repos/acme/settings/issues/comments/12 (issues/delete-comment): no token in the authorization header',
    ]);
  });

  it('covers every octokit method the action calls (a new call fails here until github-rest.json has it)', async () => {
    const source = readFileSync(join(ROOT, 'src/pull-request.ts'), 'utf8');
    const calls = [...new Set([...source.matchAll(/octokit\.rest\.(\w+)\.(\w+)\(/g)].map((m) => `${m[1]}.${m[2]}`))];
    expect(calls.length).toBeGreaterThanOrEqual(6);
    const endpoints = (await import(pathToFileURL(join(ROOT, 'node_modules/@octokit/plugin-rest-endpoint-methods/dist-src/generated/endpoints.js')).href)) as {
      default: Record<string, Record<string, [string]>>;
    };
    for (const call of calls) {
      const [scope = '', method = ''] = call.split('.');
      const route = endpoints.default[scope]?.[method]?.[0];
      expect(route, call).toBeDefined();
      const [verb = '', template = ''] = (route ?? '').split(' ');
      const sample = template.replace(/\{(\w+)\}/g, (_, name: string) => (/number|id$/.test(name) ? '1' : 'x'));
      const body = verb === 'POST' || verb === 'PATCH' ? '{"body":"x"}' : '';
      expect(restViolations(request(verb, sample, '', body)), call).toEqual([]);
    }
  });
});
