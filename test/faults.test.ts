/**
 * Fault injection, table-driven: every LeadConduit and GitHub call the action makes, against
 * every way a network call goes wrong, through the whole action (runInProcess) as the runner
 * runs it. Each case asserts the outcome (recovered, or failed with the right one-line message)
 * and the invariants that must hold whatever happens:
 *   - the account is never half-changed: no PUT after a failed GET, at most one distinct PUT
 *     body (a retry resends the same body), the final account unchanged or fully matching the file;
 *   - no secret (API key, its Basic header, the account's own keys, the GitHub token) in stdout,
 *     the job summary or the outputs;
 *   - a GitHub failure is a warning: the plan still succeeds and the summary is still written.
 * A table of counts is printed at the end.
 */
import { createServer, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { isDeepStrictEqual } from 'node:util';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { commentMarker } from '../src/reviewed-plan.js';
import { FAST_TUNING, BASE_SHA, PR_NUMBER, runInProcess, type ActionRun, type ActionSetup } from './support/action-env.js';
import { DEFAULT_GITHUB_TOKEN, FakeGitHub, type GitHubRoute } from './support/fake-github.js';
import { FakeLeadConduit, type FakeLeadConduitOptions, type LeadConduitRoute } from './support/fake-leadconduit.js';
import type { FakeRequest, Fault, RouteMatch } from './support/http-fake.js';
import { SAMPLE_ACCOUNT_ID, SECRET_VALUES, TEST_API_KEY, sampleAccount } from './support/sample-account.js';

// ---------------------------------------------------------------------------------------------
// Fakes with the few faults the generic fake cannot make
// ---------------------------------------------------------------------------------------------

/** 200 with the content-length of the whole answer, half of it, then silence (a body-read hang). */
function stallMidBody(res: ServerResponse, full: string): void {
  const buffer = Buffer.from(full, 'utf8');
  res.writeHead(200, { 'content-type': 'application/json', 'content-length': String(buffer.length) });
  res.write(buffer.subarray(0, Math.max(1, Math.floor(buffer.length / 2))));
}

class FaultyLeadConduit extends FakeLeadConduit {
  /** Answer half a body, then nothing, this many times per route. */
  readonly stall = new Map<LeadConduitRoute, number>();
  /** Apply the PUT, then lose the answer: the socket reset, or a 502 from a proxy. */
  readonly lostAfterApply: Array<'reset' | 502> = [];
  /** Stop listening once this route has answered: later calls get "connection refused". */
  closeAfter: LeadConduitRoute | undefined;
  customServed = 0;
  #lose: 'reset' | 502 | undefined;

  protected override handle(match: RouteMatch<LeadConduitRoute>, request: FakeRequest): void | Promise<void> {
    const stalls = this.stall.get(match.route) ?? 0;
    if (stalls > 0) {
      this.stall.set(match.route, stalls - 1);
      this.customServed++;
      stallMidBody(request.res, this.fullBody(match.route));
      return;
    }
    if (match.route === 'PUT /account' && this.lostAfterApply.length > 0) {
      this.#lose = this.lostAfterApply.shift();
      this.customServed++;
    }
    if (this.closeAfter === match.route) request.res.once('finish', () => void this.close());
    return super.handle(match, request);
  }

  protected override sendJson(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
    const lose = this.#lose;
    this.#lose = undefined;
    if (lose === 'reset') res.destroy();
    else if (lose === 502) super.sendJson(res, 502, { message: 'upstream timed out' });
    else super.sendJson(res, status, body, headers);
  }
}

class FaultyGitHub extends FakeGitHub {
  readonly stall = new Map<GitHubRoute, number>();
  /** Create the comment, then answer 502: the answer is lost, the comment exists. */
  createdThenFail = 0;
  closeAfter: GitHubRoute | undefined;
  customServed = 0;

  protected override handle(match: RouteMatch<GitHubRoute>, request: FakeRequest): void | Promise<void> {
    const stalls = this.stall.get(match.route) ?? 0;
    if (stalls > 0) {
      this.stall.set(match.route, stalls - 1);
      this.customServed++;
      stallMidBody(request.res, this.fullBody(match.route, request));
      return;
    }
    if (match.route === 'POST comment' && this.createdThenFail > 0) {
      this.createdThenFail--;
      this.customServed++;
      this.addComment(Number(match.params.number), String((request.json as { body?: unknown }).body));
      this.sendJson(request.res, 502, { message: 'Server Error' });
      return;
    }
    if (this.closeAfter === match.route) request.res.once('finish', () => void this.close());
    return super.handle(match, request);
  }
}

const open: Array<{ close(): Promise<void> }> = [];
afterEach(async () => {
  await Promise.all(open.splice(0).map((thing) => thing.close()));
});

async function leadconduit(options: FakeLeadConduitOptions = {}): Promise<FaultyLeadConduit> {
  const fake = await new FaultyLeadConduit(options).listen();
  open.push(fake);
  return fake;
}

async function github(): Promise<FaultyGitHub> {
  const fake = await new FaultyGitHub().listen();
  open.push(fake);
  return fake;
}

/** A port on 127.0.0.1 that nothing listens on. */
async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

/** A server that records whether anything reached it (the target of a redirect). */
async function elsewhere(): Promise<{ url: string; hits: number; close(): Promise<void> }> {
  const target = { url: '', hits: 0, close: () => Promise.resolve() };
  const server = createServer((req, res) => {
    target.hits++;
    res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(sampleAccount()));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  target.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  target.close = () =>
    new Promise<void>((resolve) => {
      server.closeAllConnections();
      server.close(() => resolve());
    });
  open.push(target);
  return target;
}

// ---------------------------------------------------------------------------------------------
// The table
// ---------------------------------------------------------------------------------------------

const FILE_NAME = 'leadconduit-account.json';
const DESIRED = { id: SAMPLE_ACCOUNT_ID, data_retention_in_days: 400, features: { firehose: true } };
const ORIGINAL = sampleAccount();
const APPLIED = (() => {
  const account = sampleAccount();
  account.data_retention_in_days = 400;
  account.features.firehose = true;
  return account;
})();
const MARKER = commentMarker(FILE_NAME);
/** FAST_TUNING with a shorter request timeout: 28 cases hang or stall on purpose. */
const TUNING = { ...FAST_TUNING, requestTimeoutMs: 300 };
const TIMEOUT = `${TUNING.requestTimeoutMs} ms`;
const MAX_WAIT_S = Math.round((TUNING.retry?.maxRetryAfterMs ?? 0) / 1000);
const MAYBE_APPLIED = 'The update may or may not have been applied: re-run the job, which reads the account again and sends only what still differs.';

type LcCall = 'GET /account' | 'GET /user' | 'PUT /account';
type GhCall = 'read base file' | 'list comments' | 'create comment' | 'update comment';
type Call = LcCall | GhCall;
const GH_ROUTE: Record<GhCall, GitHubRoute> = {
  'read base file': 'GET contents',
  'list comments': 'GET comments',
  'create comment': 'POST comment',
  'update comment': 'PATCH comment',
};
/** The route answered just before each call: closing after it makes the call "connection refused". */
const LC_BEFORE: Record<LcCall, LeadConduitRoute | undefined> = { 'GET /account': undefined, 'GET /user': 'GET /account', 'PUT /account': 'GET /account' };
const GH_BEFORE: Record<GhCall, GitHubRoute | undefined> = {
  'read base file': undefined,
  'list comments': 'GET contents',
  'create comment': 'GET comments',
  'update comment': 'GET comments',
};

/** The messages each fault's body carries, as LeadConduit or GitHub would word them. */
const SAID = {
  500: 'Internal error: please try again',
  502: 'Bad gateway: upstream connect error',
  503: 'Service is down for maintenance',
  504: 'Upstream request timeout',
  429: 'Rate limit exceeded: 120 requests per minute',
  401: `API key ${TEST_API_KEY} is not valid`,
  403: 'This API key may not manage the account',
  404: 'No such route',
  422: 'Unsupported query parameter: fields',
  /** After the GET the account's own secrets are known, and masked wherever an answer quotes them. */
  '422 put': `Account ${SECRET_VALUES[0]}: data_retention_in_days must be at most 365`,
  secondary: 'You have exceeded a secondary rate limit. Please wait a few minutes before you try again.',
} as const;

type Custom = 'refused' | 'stall' | 'created-then-502' | 'applied-then-reset' | 'applied-then-502';
type FaultName =
  | 'connection refused'
  | 'connection reset'
  | 'reset mid-body'
  | 'hang past the timeout'
  | 'stall mid-body'
  | '500'
  | '502'
  | '503'
  | '504'
  | '429'
  | '429 + Retry-After (s)'
  | '429 + Retry-After (date)'
  | 'Retry-After > max'
  | '401'
  | '403'
  | '403 secondary limit'
  | '403 + Retry-After'
  | '404'
  | '422 with message'
  | 'malformed JSON'
  | 'HTML error page'
  | 'not-an-account JSON'
  | '301 redirect'
  | 'created, then 502'
  | 'applied, then reset'
  | 'applied, then 502';

interface FaultDef {
  name: FaultName;
  /** Retried by the policy: also injected persistently (times 10). */
  retryable: boolean;
  /** Which side it applies to. */
  on: 'both' | 'leadconduit' | 'github';
  make: (ctx: { redirectTo: string; persistent: boolean; put: boolean }) => Fault | Custom;
}

const RETRY_AFTER_S = '0.5';
const RETRY_AFTER_MIN_MS = 450;
const ERROR_BODY = (status: keyof typeof SAID, github: boolean) =>
  github ? { message: SAID[status], documentation_url: 'https://docs.github.com/rest' } : { message: SAID[status] };

const FAULTS: FaultDef[] = [
  { name: 'connection refused', retryable: true, on: 'both', make: () => 'refused' },
  { name: 'connection reset', retryable: true, on: 'both', make: () => ({ kind: 'reset' }) },
  { name: 'reset mid-body', retryable: true, on: 'both', make: () => ({ kind: 'reset-mid-body' }) },
  { name: 'hang past the timeout', retryable: true, on: 'both', make: () => ({ kind: 'hang' }) },
  { name: 'stall mid-body', retryable: true, on: 'both', make: () => 'stall' },
  ...([500, 502, 503, 504] as const).map((status): FaultDef => ({
    name: String(status) as FaultName,
    retryable: true,
    on: 'both',
    make: () => ({ kind: 'status', status, body: { message: SAID[status] } }),
  })),
  { name: '429', retryable: true, on: 'both', make: () => ({ kind: 'status', status: 429, body: { message: SAID[429] } }) },
  // Fractions of a second (parseRetryAfter reads them) keep the suite fast; retry.test.ts has whole seconds.
  {
    name: '429 + Retry-After (s)',
    retryable: true,
    on: 'both',
    make: ({ persistent }) => ({ kind: 'status', status: 429, body: { message: SAID[429] }, headers: { 'retry-after': persistent ? '0.1' : RETRY_AFTER_S } }),
  },
  // Once: a date a second or two ahead (whole seconds); persistently: a date already past (no wait).
  {
    name: '429 + Retry-After (date)',
    retryable: true,
    on: 'both',
    make: ({ persistent }) => ({
      kind: 'status',
      status: 429,
      body: { message: SAID[429] },
      headers: { 'retry-after': new Date(Date.now() + (persistent ? -60_000 : 1_000)).toUTCString() },
    }),
  },
  {
    name: 'Retry-After > max',
    retryable: false,
    on: 'both',
    make: () => ({ kind: 'status', status: 429, body: { message: SAID[429] }, headers: { 'retry-after': '120' } }),
  },
  { name: '401', retryable: false, on: 'both', make: () => ({ kind: 'status', status: 401, body: { message: SAID[401] } }) },
  { name: '403', retryable: false, on: 'both', make: () => ({ kind: 'status', status: 403, body: { message: SAID[403] } }) },
  { name: '403 secondary limit', retryable: false, on: 'github', make: () => ({ kind: 'status', status: 403, body: ERROR_BODY('secondary', true) }) },
  {
    name: '403 + Retry-After',
    retryable: true,
    on: 'github',
    make: ({ persistent }) => ({
      kind: 'status',
      status: 403,
      body: ERROR_BODY('secondary', true),
      headers: { 'retry-after': persistent ? '0.1' : RETRY_AFTER_S },
    }),
  },
  { name: '404', retryable: false, on: 'both', make: () => ({ kind: 'status', status: 404, body: { message: SAID[404] } }) },
  {
    name: '422 with message',
    retryable: false,
    on: 'leadconduit',
    make: ({ put }) => ({ kind: 'status', status: 422, body: { message: SAID[put ? '422 put' : 422] } }),
  },
  { name: '422 with message', retryable: false, on: 'github', make: () => ({ kind: 'status', status: 422, body: { message: SAID['422 put'] } }) },
  // A 2xx with a broken body: LeadConduit fails clearly at once; for GitHub (octokit hides the
  // failed read as an empty or raw body) it is retried like the cut connection it usually is.
  { name: 'malformed JSON', retryable: false, on: 'leadconduit', make: () => ({ kind: 'malformed-json' }) },
  { name: 'malformed JSON', retryable: true, on: 'github', make: () => ({ kind: 'malformed-json' }) },
  { name: 'HTML error page', retryable: true, on: 'both', make: () => ({ kind: 'html' }) },
  { name: 'not-an-account JSON', retryable: false, on: 'leadconduit', make: () => ({ kind: 'not-an-account' }) },
  { name: 'not-an-account JSON', retryable: true, on: 'github', make: () => ({ kind: 'not-an-account' }) },
  {
    name: '301 redirect',
    retryable: false,
    on: 'leadconduit',
    make: ({ redirectTo }) => ({ kind: 'redirect', status: 301, location: `${redirectTo}/account` }),
  },
];

interface Case {
  call: Call;
  fault: FaultDef;
  /** 1: transient; 10: persistent. */
  times: number;
}

const LC_CALLS: LcCall[] = ['GET /account', 'GET /user', 'PUT /account'];
const GH_CALLS: GhCall[] = ['read base file', 'list comments', 'create comment', 'update comment'];

function casesFor(calls: readonly Call[], side: 'leadconduit' | 'github'): Case[] {
  const cases: Case[] = [];
  for (const call of calls) {
    for (const fault of FAULTS) {
      if (fault.on !== 'both' && fault.on !== side) continue;
      // Refused is persistent by nature: the port stays closed.
      if (fault.name !== 'connection refused') cases.push({ call, fault, times: 1 });
      if (fault.retryable) cases.push({ call, fault, times: 10 });
    }
  }
  return cases;
}

const EXTRA_LC: Case[] = [
  // The PUT reached LeadConduit and was applied, but its answer was lost: the retry resends the
  // same body, which is harmless because a PUT of whole values is idempotent.
  ...(['applied, then reset', 'applied, then 502'] as const).map((name): Case => ({
    call: 'PUT /account',
    fault: { name, retryable: true, on: 'leadconduit', make: () => (name === 'applied, then reset' ? 'applied-then-reset' : 'applied-then-502') },
    times: 1,
  })),
];
const EXTRA_GH: Case[] = [
  // The comment was created but the answer was a 5xx: no second comment.
  ...[1, 10].map((times): Case => ({
    call: 'create comment',
    fault: { name: 'created, then 502', retryable: true, on: 'github', make: () => 'created-then-502' },
    times,
  })),
];

// ---------------------------------------------------------------------------------------------
// Expectations
// ---------------------------------------------------------------------------------------------

interface Expected {
  outcome: 'recovered' | 'failed';
  /** The exact failure line (LeadConduit: the ::error::; GitHub: the ::warning::), or a pattern. */
  message?: string | RegExp;
  /** Requests the faulted route got. */
  requests?: number;
  /** The run took at least this long (a Retry-After honoured). */
  minMs?: number;
}

interface Ctx {
  lcUrl: string;
  redirectTo: string;
}

function expectLeadConduit(c: Case, ctx: Ctx): Expected {
  const L = c.call;
  const persistent = c.times > 1;
  const put = L === 'PUT /account';
  const note = put ? ` ${MAYBE_APPLIED}` : '';
  const after4 = ' (after 4 attempts)';
  const url = ctx.lcUrl;
  if (!persistent && c.fault.retryable) {
    return { outcome: 'recovered', requests: 2, ...(c.fault.name === '429 + Retry-After (s)' ? { minMs: RETRY_AFTER_MIN_MS } : {}) };
  }
  const fail = (message: string | RegExp, requests?: number): Expected => ({ outcome: 'failed', message, ...(requests === undefined ? {} : { requests }) });
  switch (c.fault.name) {
    case 'connection refused':
      return fail(
        new RegExp(
          `^Could not reach LeadConduit at http://127\\.0\\.0\\.1:\\d+ for ${L} \\(after 4 attempts\\): connection refused \\(ECONNREFUSED\\)\\. Check base-url and the runner's network\\.${escape(note)}$`,
        ),
      );
    case 'connection reset':
      return fail(
        `Could not reach LeadConduit at ${url} for ${L}${after4}: connection closed by the server (UND_ERR_SOCKET). Check base-url and the runner's network.${note}`,
        4,
      );
    case 'reset mid-body':
      return fail(
        `The connection to LeadConduit broke while its answer to ${L} was arriving${after4}: connection closed by the server (UND_ERR_SOCKET). Check LeadConduit's status and the runner's network, then re-run the job.${note}`,
        4,
      );
    case 'hang past the timeout':
      return fail(`LeadConduit did not answer ${L} in time${after4}: no answer within ${TIMEOUT}. Check LeadConduit's status and re-run the job.${note}`, 4);
    case 'stall mid-body':
      return fail(
        `LeadConduit did not answer ${L} in time${after4}: the answer did not finish arriving within ${TIMEOUT}. Check LeadConduit's status and re-run the job.${note}`,
        4,
      );
    case '500':
    case '502':
    case '503':
    case '504': {
      const status = Number(c.fault.name) as 500 | 502 | 503 | 504;
      const names = { 500: 'Internal Server Error', 502: 'Bad Gateway', 503: 'Service Unavailable', 504: 'Gateway Timeout' };
      return fail(
        `LeadConduit failed on ${L} (${status} ${names[status]})${after4}: ${SAID[status]}. LeadConduit may be having an outage; re-run the job later.${note}`,
        4,
      );
    }
    case '429':
    case '429 + Retry-After (s)':
    case '429 + Retry-After (date)':
      return fail(`LeadConduit kept rate-limiting ${L} (429 Too Many Requests)${after4}: ${SAID[429]}. Re-run the job in a few minutes.`, 4);
    case 'Retry-After > max':
      return fail(
        `LeadConduit answered 429 Too Many Requests to ${L} (${SAID[429]}) and the server asked to wait 120 s before retrying, longer than the ${MAX_WAIT_S} s this action waits; re-run the job later.`,
        1,
      );
    case '401':
    case '403':
      return fail(
        `LeadConduit rejected the API key (${c.fault.name} ${c.fault.name === '401' ? 'Unauthorized' : 'Forbidden'}) on ${L}: ${redacted(SAID[c.fault.name])}. Check the api-key secret: it must be a current LeadConduit API key with access to this account.`,
        1,
      );
    case '404':
      // GET /account not served: the account is read from GET /user.
      if (L === 'GET /account') return { outcome: 'recovered', requests: 1 };
      return fail(`LeadConduit answered 404 Not Found to ${L}: ${SAID[404]}. Check base-url (${url}): it must be LeadConduit's API address.`, 1);
    case '422 with message':
      if (put)
        return fail(
          `LeadConduit refused PUT /account (422 Unprocessable Entity): ${redacted(SAID['422 put'])}. Nothing was changed; fix the setting it names in the desired-state file.`,
          1,
        );
      return fail(`LeadConduit answered 422 Unprocessable Entity to ${L}: ${SAID[422]}. Check base-url (${url}) and the api-key, then re-run the job.`, 1);
    case 'malformed JSON':
      return fail(
        `LeadConduit answered 200 but the body is not valid JSON (it starts with "{\\"id\\": \\"5fd4" and is cut short) for ${L}. Check that base-url (${url}) points at LeadConduit's API, or re-run the job.${note}`,
        1,
      );
    case 'HTML error page':
      return fail(
        `LeadConduit failed on ${L} (502 Bad Gateway)${after4}: an HTML page titled "502 Bad Gateway", not LeadConduit's JSON. LeadConduit may be having an outage; re-run the job later.${note}`,
        4,
      );
    case 'not-an-account JSON':
      if (L === 'GET /user')
        return fail(`LeadConduit's answer to GET /user has no "accounts" list. Check that base-url (${url}) points at LeadConduit's API.`, 1);
      return fail(
        new RegExp(
          `^LeadConduit's answer to ${L} does not look like an account \\(id: [^)]+\\)\\. Check that base-url \\(${escape(url)}\\) points at LeadConduit's API\\.${escape(note)}$`,
        ),
        1,
      );
    case '301 redirect':
      return fail(
        `LeadConduit answered ${L} with a redirect (301) to ${ctx.redirectTo}/account; it is not followed, so the API key cannot reach another host. Set base-url to the API's own address (${url} is redirected).`,
        1,
      );
    default:
      throw new Error(`no expectation for ${c.fault.name} on ${L}`);
  }
}

function expectGitHub(c: Case): Expected {
  const persistent = c.times > 1;
  const action = c.call === 'read base file' ? `read ${FILE_NAME} on the base commit` : 'comment on the pull request';
  const what: Record<GhCall, string> = {
    'read base file': `read ${FILE_NAME} at ${BASE_SHA.slice(0, 12)}`,
    'list comments': `list comments of #${PR_NUMBER} (page 1)`,
    'create comment': `create comment on #${PR_NUMBER}`,
    'update comment': 'update comment 1',
  };
  const label = what[c.call as GhCall];
  const fail = (message: string | RegExp, requests?: number): Expected => ({ outcome: 'failed', message, ...(requests === undefined ? {} : { requests }) });
  const prefix = `Could not ${action}`;
  if (c.fault.name === 'created, then 502') return { outcome: 'recovered', requests: 1 };
  if (!persistent && c.fault.retryable) {
    return {
      outcome: 'recovered',
      requests: 2,
      ...(['429 + Retry-After (s)', '403 + Retry-After'].includes(c.fault.name) ? { minMs: RETRY_AFTER_MIN_MS } : {}),
    };
  }
  switch (c.fault.name) {
    case 'connection refused':
      return fail(
        new RegExp(
          `^${escape(prefix)}: GitHub could not be reached after 4 attempts \\(connect ECONNREFUSED 127\\.0\\.0\\.1:\\d+\\)\\. Check GitHub's status and the runner's network, then re-run the job\\.$`,
        ),
      );
    case 'connection reset':
      return fail(
        `${prefix}: GitHub could not be reached after 4 attempts (other side closed). Check GitHub's status and the runner's network, then re-run the job.`,
        4,
      );
    case 'hang past the timeout':
      return fail(`${prefix}: GitHub did not answer in time after 4 attempts. Check GitHub's status, then re-run the job.`, 4);
    // octokit swallows a failed body read: the answer is empty, which is checked and retried.
    case 'reset mid-body':
    case 'stall mid-body':
      return fail(`${prefix} after 4 attempts: GitHub's answer to ${label} was empty (the connection was probably cut). Re-run the job.`, 4);
    case 'malformed JSON':
      return fail(`${prefix} after 4 attempts: GitHub's answer to ${label} was not valid JSON (probably cut short). Re-run the job.`, 4);
    case 'not-an-account JSON':
      return fail(`${prefix} after 4 attempts: GitHub's answer to ${label} was JSON of another shape than that call returns. Re-run the job.`, 4);
    case '500':
    case '502':
    case '503':
    case '504':
      return fail(
        `${prefix}: GitHub answered ${c.fault.name} after 4 attempts (${SAID[Number(c.fault.name) as 500]}). GitHub may be having an outage; re-run the job later.`,
        4,
      );
    case 'HTML error page':
      return fail(
        `${prefix}: GitHub answered 502 after 4 attempts (an HTML page titled "502 Bad Gateway"). GitHub may be having an outage; re-run the job later.`,
        4,
      );
    case '429':
    case '429 + Retry-After (s)':
    case '429 + Retry-After (date)':
      return fail(`${prefix}: GitHub answered 429 after 4 attempts (${SAID[429]}): the token is rate-limited. Re-run the job later.`, 4);
    case '403 + Retry-After':
      return fail(
        `${prefix}: GitHub answered 403 after 4 attempts (${SAID.secondary} - https://docs.github.com/rest): the token is rate-limited. Re-run the job later.`,
        4,
      );
    case 'Retry-After > max':
      return fail(
        `${prefix}: GitHub answered 429 (${SAID[429]}) and the server asked to wait 120 s before retrying, longer than the ${MAX_WAIT_S} s this action waits. Re-run the job later.`,
        1,
      );
    case '403 secondary limit':
      // GitHub: with no Retry-After, wait a minute; longer than FAST_TUNING's maximum.
      return fail(
        `${prefix}: GitHub answered 403 (${SAID.secondary} - https://docs.github.com/rest) and the server asked to wait 60 s before retrying, longer than the ${MAX_WAIT_S} s this action waits. Re-run the job later.`,
        1,
      );
    case '401':
      return fail(
        `${prefix}: GitHub answered 401 (${redacted(SAID[401])}). The github-token input is not a valid token; leave it at its default, \${{ github.token }}.`,
        1,
      );
    case '403':
      return fail(
        `${prefix}: GitHub answered 403 (${SAID[403]}). A pull request from a fork gets a read-only token; otherwise give the job "pull-requests: write" permission.`,
        1,
      );
    case '404':
      // No file on the base commit: every change is the pull request's.
      if (c.call === 'read base file') return { outcome: 'recovered', requests: 1 };
      return fail(`${prefix}: GitHub answered 404 (${SAID[404]}). Check the repository and the token's access.`, 1);
    case '422 with message':
      return fail(`${prefix}: GitHub answered 422 (${redacted(SAID['422 put'])}).`, 1);
    default:
      throw new Error(`no expectation for ${c.fault.name} on ${c.call}`);
  }
}

function escape(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/** A message as it must appear: every secret masked. */
function redacted(text: string): string {
  let out = text;
  for (const secret of [TEST_API_KEY, ...SECRET_VALUES]) out = out.split(secret).join('***');
  return out;
}

// ---------------------------------------------------------------------------------------------
// Running a case
// ---------------------------------------------------------------------------------------------

interface Tally {
  cases: number;
  once: number;
  persistent: number;
  served: number;
  recovered: number;
  failed: number;
}
const byCall = new Map<string, Tally>();
const byFault = new Map<string, Tally>();
const suiteStarted = Date.now();

function tally(map: Map<string, Tally>, key: string, c: Case, served: number, outcome: Expected['outcome']): void {
  const t = map.get(key) ?? { cases: 0, once: 0, persistent: 0, served: 0, recovered: 0, failed: 0 };
  t.cases++;
  if (c.times > 1) t.persistent++;
  else t.once++;
  t.served += served;
  if (outcome === 'recovered') t.recovered++;
  else t.failed++;
  map.set(key, t);
}

function unescapeCommand(text: string): string {
  return text.replace(/%0D/g, '\r').replace(/%0A/g, '\n').replace(/%25/g, '%');
}

/** The message of every `::name::` line without properties. */
function commandLines(stdout: string, name: 'error' | 'warning'): string[] {
  return stdout
    .split('\n')
    .filter((line) => line.startsWith(`::${name}::`))
    .map((line) => line.slice(`::${name}::`.length).replace(/\r$/, ''));
}

const BASIC = Buffer.from(`API:${TEST_API_KEY}`).toString('base64');

function assertNoSecrets(run: ActionRun): void {
  for (const secret of [TEST_API_KEY, BASIC, ...SECRET_VALUES, DEFAULT_GITHUB_TOKEN]) {
    expect(run.everything, `secret ${secret.slice(0, 6)}… leaked`).not.toContain(secret);
  }
}

function assertMessage(actual: string | undefined, expected: string | RegExp): void {
  expect(actual).toBeDefined();
  // One line: the runner shows the first line of a failure.
  expect(actual).not.toMatch(/%0A|\n/);
  const text = unescapeCommand(actual ?? '');
  if (typeof expected === 'string') expect(text).toBe(expected);
  else expect(text).toMatch(expected);
}

function inject(fake: FaultyLeadConduit | FaultyGitHub, route: string, fault: Fault | Custom, times: number): void {
  if (fault === 'refused') return; // set up by the caller
  if (fault === 'stall') {
    (fake.stall as Map<string, number>).set(route, times);
  } else if (fault === 'created-then-502') {
    (fake as FaultyGitHub).createdThenFail = times;
  } else if (fault === 'applied-then-reset' || fault === 'applied-then-502') {
    for (let i = 0; i < times; i++) (fake as FaultyLeadConduit).lostAfterApply.push(fault === 'applied-then-reset' ? 'reset' : 502);
  } else {
    (fake as FakeLeadConduit).inject(route as LeadConduitRoute, fault, times);
  }
}

function served(fake: FaultyLeadConduit | FaultyGitHub): number {
  return fake.requests.filter((r) => r.fault !== undefined).length + fake.customServed;
}

function caseName(c: Case): string {
  return `${c.call} · ${c.fault.name} · ${c.fault.name === 'connection refused' ? 'persistent (closed port)' : c.times > 1 ? `persistent (x${c.times})` : 'once'}`;
}

async function runLeadConduitCase(c: Case): Promise<void> {
  const call = c.call as LcCall;
  const lc = await leadconduit({ accountEndpoint: call !== 'GET /user' });
  const route: LeadConduitRoute = call;
  const target = await elsewhere();
  const fault = c.fault.make({ redirectTo: target.url, persistent: c.times > 1, put: call === 'PUT /account' });
  let baseUrl = lc.url;
  if (fault === 'refused') {
    const before = LC_BEFORE[call];
    if (before === undefined) baseUrl = `http://127.0.0.1:${await closedPort()}`;
    else lc.closeAfter = before;
  }
  inject(lc, route, fault, c.times);
  const expected = expectLeadConduit(c, { lcUrl: lc.url, redirectTo: target.url });

  // GETs in a manual apply; the PUT in an apply after a push whose commit has no pull request.
  const setup: ActionSetup = { file: DESIRED, leadconduitUrl: baseUrl, event: 'workflow_dispatch' };
  if (call === 'PUT /account') {
    const gh = await github();
    Object.assign(setup, { event: 'push', githubUrl: gh.url });
  }
  const started = Date.now();
  const run = await runInProcess(setup, TUNING);
  const elapsed = Date.now() - started;
  try {
    const puts = lc.requests.filter((r) => r.method === 'PUT');
    const failedGet = expected.outcome === 'failed' && call !== 'PUT /account';

    // Never half-changed.
    if (failedGet) expect(puts, 'a PUT after a failed GET').toHaveLength(0);
    expect(new Set(puts.map((r) => r.body)).size, 'distinct PUT bodies').toBeLessThanOrEqual(1);
    const unchanged = isDeepStrictEqual(lc.account, ORIGINAL);
    const matching = isDeepStrictEqual(lc.account, APPLIED);
    expect(unchanged || matching, 'the account is either unchanged or fully matches the file').toBe(true);
    assertNoSecrets(run);
    expect(target.hits, 'a redirect was followed').toBe(0);

    if (expected.requests !== undefined) expect(lc.count(route), `requests to ${route}`).toBe(expected.requests);
    if (expected.minMs !== undefined) expect(elapsed, 'Retry-After honoured').toBeGreaterThanOrEqual(expected.minMs);

    if (expected.outcome === 'recovered') {
      expect(commandLines(run.stdout, 'error')).toEqual([]);
      expect(run.exitCode).toBe(0);
      expect(run.outputs.applied).toBe('true');
      expect(matching, 'the account matches the file').toBe(true);
      expect(puts.length).toBeGreaterThanOrEqual(1);
    } else {
      expect(run.exitCode).toBe(1);
      expect(run.outputs.applied).toBe('false');
      const errors = commandLines(run.stdout, 'error');
      expect(errors).toHaveLength(1);
      assertMessage(errors[0], expected.message ?? /./);
      if (call !== 'PUT /account' || !c.fault.name.startsWith('applied')) expect(unchanged, 'a failed run changed the account').toBe(true);
      expect(run.summary).toContain('❌ Failed');
      expect(run.summary).toContain(call);
    }
    tally(byCall, call, c, served(lc), expected.outcome);
    tally(byFault, c.fault.name, c, served(lc), expected.outcome);
  } finally {
    await run.cleanup();
  }
}

async function runGitHubCase(c: Case): Promise<void> {
  const call = c.call as GhCall;
  const lc = await leadconduit();
  const gh = await github();
  const route = GH_ROUTE[call];
  // On the base commit the file manages nothing yet: every change is the pull request's.
  gh.setFile(BASE_SHA, FILE_NAME, `${JSON.stringify({ id: SAMPLE_ACCOUNT_ID }, null, 2)}\n`);
  const seeded = call !== 'create comment';
  if (seeded) gh.addComment(PR_NUMBER, `${MARKER}\nthe plan of an older commit`);
  const fault = c.fault.make({ redirectTo: '', persistent: c.times > 1, put: false });
  let githubUrl = gh.url;
  if (fault === 'refused') {
    const before = GH_BEFORE[call];
    if (before === undefined) githubUrl = `http://127.0.0.1:${await closedPort()}`;
    else gh.closeAfter = before;
  }
  inject(gh, route, fault, c.times);
  const expected = expectGitHub(c);

  const started = Date.now();
  const run = await runInProcess({ file: DESIRED, leadconduitUrl: lc.url, githubUrl }, TUNING);
  const elapsed = Date.now() - started;
  try {
    // A GitHub failure never fails a plan, never touches the account, and the summary is written.
    expect(commandLines(run.stdout, 'error')).toEqual([]);
    expect(run.exitCode).toBe(0);
    expect(lc.requests.filter((r) => r.method === 'PUT')).toHaveLength(0);
    expect(lc.account).toEqual(ORIGINAL);
    expect(run.summary).toContain('📝 Plan: 2 changes, 0 destructive');
    expect(run.outputs['change-count']).toBe('2');
    assertNoSecrets(run);

    if (expected.requests !== undefined) expect(gh.count(route), `requests to ${route}`).toBe(expected.requests);
    if (expected.minMs !== undefined) expect(elapsed, 'Retry-After honoured').toBeGreaterThanOrEqual(expected.minMs);

    const marked = gh.commentsOf(PR_NUMBER).filter((comment) => comment.body.startsWith(MARKER));
    // Never two plan comments, whatever failed; not even one made and deleted again (each one
    // notifies the pull request's subscribers).
    expect(marked.length, 'plan comments').toBeLessThanOrEqual(1);
    expect(gh.count('DELETE comment'), 'duplicate comments deleted').toBe(0);
    if (seeded) expect(gh.count('POST comment'), 'a comment created although one existed').toBe(0);
    const warnings = commandLines(run.stdout, 'warning');
    const commentFailed = expected.outcome === 'failed' && call !== 'read base file';
    if (commentFailed || (fault === 'refused' && call === 'read base file')) {
      // The old comment (if any) is left as it was; no new one.
      expect(marked).toHaveLength(seeded ? 1 : 0);
      if (seeded) expect(marked[0]?.body).toContain('the plan of an older commit');
      expect(run.outputs['comment-url']).toBe('');
    } else {
      expect(marked).toHaveLength(1);
      expect(marked[0]?.body).toContain('leadconduit-account-action:plan:v1');
      expect(marked[0]?.body).not.toContain('the plan of an older commit');
      expect(run.outputs['comment-url']).toBe(marked[0]?.html_url);
      expect(run.stdout).toMatch(/(Created|Updated) the plan comment/);
    }
    if (expected.outcome === 'recovered') {
      expect(warnings).toEqual([]);
    } else {
      expect(warnings.length).toBeGreaterThanOrEqual(1);
      assertMessage(warnings[0], expected.message ?? /./);
      if (call === 'read base file') expect(run.summary).toContain('Changes are shown without telling pull-request changes from live edits.');
    }
    tally(byCall, call, c, served(gh), expected.outcome);
    tally(byFault, c.fault.name, c, served(gh), expected.outcome);
  } finally {
    await run.cleanup();
  }
}

describe('LeadConduit faults (apply mode)', () => {
  for (const c of [...casesFor(LC_CALLS, 'leadconduit'), ...EXTRA_LC]) {
    it(caseName(c), () => runLeadConduitCase(c));
  }
});

describe('GitHub faults (plan mode on a pull request)', () => {
  for (const c of [...casesFor(GH_CALLS, 'github'), ...EXTRA_GH]) {
    it(caseName(c), () => runGitHubCase(c));
  }
});

afterAll(() => {
  const row = (name: string, t: Tally) =>
    `| ${name.padEnd(26)} | ${String(t.cases).padStart(5)} | ${String(t.once).padStart(4)} | ${String(t.persistent).padStart(10)} | ${String(t.served).padStart(12)} | ${String(t.recovered).padStart(9)} | ${String(t.failed).padStart(16)} |`;
  const head = (title: string) => [
    `| ${title.padEnd(26)} | cases | once | persistent | faults served | recovered | failed correctly |`,
    `|${'-'.repeat(28)}|-------|------|------------|---------------|-----------|------------------|`,
  ];
  const total = (map: Map<string, Tally>): Tally =>
    [...map.values()].reduce(
      (sum, t) => ({
        cases: sum.cases + t.cases,
        once: sum.once + t.once,
        persistent: sum.persistent + t.persistent,
        served: sum.served + t.served,
        recovered: sum.recovered + t.recovered,
        failed: sum.failed + t.failed,
      }),
      { cases: 0, once: 0, persistent: 0, served: 0, recovered: 0, failed: 0 },
    );
  const lines = [
    '',
    `Fault injection: ${total(byCall).cases} passing cases in ${((Date.now() - suiteStarted) / 1000).toFixed(1)} s ("faults served": faulty answers the fakes gave; a refused connection is not an answer)`,
    '',
    ...head('call'),
    ...[...byCall].map(([name, t]) => row(name, t)),
    row('total', total(byCall)),
    '',
    ...head('fault'),
    ...[...byFault].map(([name, t]) => row(name, t)),
    row('total', total(byFault)),
    '',
  ];
  console.log(lines.join('\n'));
});
