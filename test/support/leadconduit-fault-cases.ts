/**
 * Fault injection into every LeadConduit call the action makes (GET /account, GET /user, PUT
 * /account), table-driven (fault-table.ts), through the whole action (runInProcess) as the runner
 * runs it: a manual apply, or for the PUT an apply after a push. Each case asserts the outcome
 * (recovered, or failed with the right one-line ::error::) and the invariants: the account never
 * half-changed, no PUT after a failed GET, no secret anywhere, no redirect followed. A table of
 * counts is printed at the end. test/faults/leadconduit-reads.test.ts and leadconduit-put.test.ts
 * run them, side by side (most cases wait on timers).
 */
import { isDeepStrictEqual } from 'node:util';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { runInProcess, type ActionSetup } from './action-env.js';
import type { LeadConduitRoute } from './fake-leadconduit.js';
import {
  DESIRED,
  FaultReport,
  MAX_WAIT_S,
  ORIGINAL,
  RETRY_AFTER_MIN_MS,
  SAID,
  TIMEOUT,
  assertMessage,
  assertNoSecrets,
  caseName,
  casesFor,
  commandLines,
  escape,
  inject,
  redacted,
  retryGap,
  served,
  tuningFor,
  type Case,
  type Expected,
  type LcCall,
} from './fault-table.js';
import { FaultyGitHub, FaultyLeadConduit, closedPort, countingServer } from './faulty-fakes.js';
import { sampleAccount } from './sample-account.js';
import { expectVerdictSaidOnce } from './verdict.js';

const APPLIED = (() => {
  const account = sampleAccount();
  account.data_retention_in_days = 400;
  account.features.firehose = true;
  return account;
})();
const MAYBE_APPLIED = 'The update may or may not have been applied: re-run the job, which reads the account again and sends only what still differs.';

/** The route answered just before each call: closing after it makes the call "connection refused". */
const LC_BEFORE: Record<LcCall, LeadConduitRoute | undefined> = { 'GET /account': undefined, 'GET /user': 'GET /account', 'PUT /account': 'GET /account' };

const EXTRA_LC: Case[] = [
  // The PUT reached LeadConduit and was applied, but its answer was lost: the retry resends the
  // same body, which is harmless because a PUT of whole values is idempotent.
  ...(['applied, then reset', 'applied, then 502'] as const).map((name): Case => ({
    call: 'PUT /account',
    fault: { name, retryable: true, on: 'leadconduit', make: () => (name === 'applied, then reset' ? 'applied-then-reset' : 'applied-then-502') },
    times: 1,
  })),
];

type Track = <T extends { close(): Promise<void> }>(thing: Promise<T>) => Promise<T>;

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
    return { outcome: 'recovered', requests: 2, ...(c.fault.name === '429 + Retry-After (s)' ? { minGapMs: RETRY_AFTER_MIN_MS } : {}) };
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
          `LeadConduit refused PUT /account (422 Unprocessable Entity): ${redacted(SAID['422 put'])}. Nothing was changed; fix the setting it names, in the desired-state file or, where the file does not manage it, in LeadConduit.`,
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
          `^LeadConduit's answer to ${L} does not look like an account \\(id is missing, where the account's 24-character hexadecimal id is expected\\)\\. Check that base-url \\(${escape(url)}\\) points at LeadConduit's API\\.${escape(note)}$`,
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

async function runLeadConduitCase(c: Case, report: FaultReport, track: Track): Promise<void> {
  const call = c.call as LcCall;
  const lc = await track(new FaultyLeadConduit({ accountEndpoint: call !== 'GET /user' }).listen());
  const route: LeadConduitRoute = call;
  const target = await track(countingServer());
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
    const gh = await track(new FaultyGitHub().listen());
    Object.assign(setup, { event: 'push', githubUrl: gh.url });
  }
  const run = await runInProcess(setup, tuningFor(c));
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
    if (expected.minGapMs !== undefined) expect(retryGap(lc, route), 'Retry-After honoured').toBeGreaterThanOrEqual(expected.minGapMs);

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
      expectVerdictSaidOnce(run.summary, 'the job summary');
    }
    report.record(c, served(lc), expected.outcome);
  } finally {
    await run.cleanup();
  }
}

/** The fault cases of these LeadConduit calls, each a test, and their table of counts at the end. */
export function leadconduitFaultCases(calls: readonly LcCall[]): void {
  const report = new FaultReport();
  const open: Array<{ close(): Promise<void> }> = [];
  const track: Track = async (thing) => {
    open.push(await thing);
    return thing;
  };
  afterEach(async () => {
    await Promise.all(open.splice(0).map((thing) => thing.close()));
  });
  describe('LeadConduit faults (apply mode)', () => {
    for (const c of [...casesFor(calls, 'leadconduit'), ...EXTRA_LC.filter((extra) => calls.includes(extra.call as LcCall))]) {
      it(caseName(c), () => runLeadConduitCase(c, report, track));
    }
  });
  afterAll(() => report.print(`LeadConduit fault injection (${calls.join(', ')})`));
}
