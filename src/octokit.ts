/**
 * What a run that talks to GitHub loads, as one chunk, on first use (online.ts, pull-request.ts):
 * @actions/github, and the undici it makes its HTTP calls with (the same copy: test/e2e/bundle.test.ts).
 */
import { getOctokit } from '@actions/github';
import { FormData, Headers, Request, Response, fetch } from 'undici';

export { getOctokit };

/**
 * Points the fetch globals, which ky uses for LeadConduit, at @actions/github's undici for the
 * rest of the process. Node fills those globals from a copy of undici of its own on first use, so
 * a run that talks to both services would otherwise load and compile undici twice, about a tenth
 * of a plan's CPU (bench/README.md). Call it before ky is loaded. Assigning does not load Node's
 * copy (reading the globals would).
 */
export function shareFetchWithKy(): void {
  Object.assign(globalThis, { fetch, Request, Response, Headers, FormData });
}
