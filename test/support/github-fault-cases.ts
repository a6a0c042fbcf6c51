/**
 * Fault injection into every GitHub call a plan on a pull request makes (reading the file on the
 * base commit, listing, creating and updating the sticky comment), table-driven (fault-table.ts),
 * through the whole action (runInProcess) as the runner runs it: the cases, their expectations,
 * and the checks every case makes. A failure to read the base file is a warning; a failure to write
 * the comment fails the plan (a pull request of the same repository: its merge would have no record).
 * Either way the summary is written, the account is never touched, and there are never two comments.
 * test/faults/github-reads.test.ts and github-writes.test.ts run them; the GitHub calls on their
 * own (createGitHubApi) are in test/github-faults.test.ts.
 */
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { commentMarker } from '../../src/reviewed-plan.js';
import { ownRecordBody, recordedChanges } from './records.js';
import { BASE_SHA, PR_NUMBER, runInProcess } from './action-env.js';
import type { GitHubRoute } from './fake-github.js';
import {
  DESIRED,
  FILE_NAME,
  FaultReport,
  MAX_WAIT_S,
  ORIGINAL,
  RETRY_AFTER_MIN_MS,
  SAID,
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
  type GhCall,
} from './fault-table.js';
import { FaultyGitHub, FaultyLeadConduit, closedPort } from './faulty-fakes.js';
import { SAMPLE_ACCOUNT_ID } from './sample-account.js';
import { expectVerdictSaidOnce } from './verdict.js';

const MARKER = commentMarker(FILE_NAME);
const GH_ROUTE: Record<GhCall, GitHubRoute> = {
  'read base file': 'GET contents',
  'list comments': 'GET comments',
  'create comment': 'POST comment',
  'update comment': 'PATCH comment',
};
/** The route answered just before each call: closing after it makes the call "connection refused". */
const GH_BEFORE: Record<GhCall, GitHubRoute | undefined> = {
  'read base file': undefined,
  'list comments': 'GET contents',
  'create comment': 'GET comments',
  'update comment': 'GET comments',
};

const EXTRA_GH: Case[] = [
  // The comment was created but the answer was a 5xx: no second comment.
  ...[1, 10].map((times): Case => ({
    call: 'create comment',
    fault: { name: 'created, then 502', retryable: true, on: 'github', make: () => 'created-then-502' },
    times,
  })),
];

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
      ...(['429 + Retry-After (s)', '403 + Retry-After'].includes(c.fault.name) ? { minGapMs: RETRY_AFTER_MIN_MS } : {}),
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
        c.call === 'read base file'
          ? `${prefix}: GitHub answered 403 (${SAID[403]}). Give the job "contents: read" permission.`
          : `${prefix}: GitHub answered 403 (${SAID[403]}). The token may not write comments.`,
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

type Track = <T extends { close(): Promise<void> }>(thing: Promise<T>) => Promise<T>;

async function runGitHubCase(c: Case, report: FaultReport, track: Track): Promise<void> {
  const call = c.call as GhCall;
  const lc = await track(new FaultyLeadConduit().listen());
  const gh = await track(new FaultyGitHub().listen());
  const route = GH_ROUTE[call];
  // On the base commit the file manages nothing yet: every change is the pull request's.
  gh.setFile(BASE_SHA, FILE_NAME, `${JSON.stringify({ id: SAMPLE_ACCOUNT_ID }, null, 2)}\n`);
  const seeded = call !== 'create comment';
  if (seeded) gh.addComment(PR_NUMBER, ownRecordBody([], 'the plan of an older commit'));
  const fault = c.fault.make({ redirectTo: '', persistent: c.times > 1, put: false });
  let githubUrl = gh.url;
  if (fault === 'refused') {
    const before = GH_BEFORE[call];
    if (before === undefined) githubUrl = `http://127.0.0.1:${await closedPort()}`;
    else gh.closeAfter = before;
  }
  inject(gh, route, fault, c.times);
  const expected = expectGitHub(c);

  const run = await runInProcess({ file: DESIRED, leadconduitUrl: lc.url, githubUrl }, tuningFor(c));
  try {
    // A closed port refuses every call, the comment's too.
    const everyCallRefused = fault === 'refused' && call === 'read base file';
    const commentFailed = (expected.outcome === 'failed' && call !== 'read base file') || everyCallRefused;
    // A GitHub failure never touches the account, and the summary, with the plan, is written. Only a
    // comment that cannot be written fails the plan: its merge would have no record.
    expect(lc.requests.filter((r) => r.method === 'PUT')).toHaveLength(0);
    expect(lc.account).toEqual(ORIGINAL);
    expect(run.summary).toContain(commentFailed ? '### ❌ Failed: the plan comment could not be written' : '📝 Plan: 2 changes, 0 destructive');
    expect(run.summary).toContain('| <code>features.firehose</code> | <code>false</code> | <code>true</code> |');
    expect(run.outputs['change-count']).toBe('2');
    assertNoSecrets(run);
    const errors = commandLines(run.stdout, 'error');
    if (commentFailed) {
      expect(run.exitCode).toBe(1);
      expect(errors).toHaveLength(1);
      expectVerdictSaidOnce(run.summary, 'the job summary');
      const recordMissing = ' The plan is not on record on the pull request: its merge is refused, unless an earlier plan recorded there has the same changes.';
      const permissions =
        c.fault.name === '403'
          ? ' Give the job permission to write it: add "permissions:" with "contents: read" and "pull-requests: write" to the workflow or the job.'
          : '';
      const message = expected.message ?? /./;
      if (everyCallRefused) assertMessage(errors[0], /^Could not comment on the pull request: GitHub could not be reached after 4 attempts/);
      else {
        assertMessage(
          errors[0],
          typeof message === 'string'
            ? `${message}${recordMissing}${permissions}`
            : new RegExp(`${message.source.replace(/\$$/, '')}${escape(recordMissing)}$`),
        );
      }
    } else {
      expect(errors).toEqual([]);
      expect(run.exitCode).toBe(0);
    }

    if (expected.requests !== undefined) expect(gh.count(route), `requests to ${route}`).toBe(expected.requests);
    if (expected.minGapMs !== undefined) expect(retryGap(gh, route), 'Retry-After honoured').toBeGreaterThanOrEqual(expected.minGapMs);

    const marked = gh.commentsOf(PR_NUMBER).filter((comment) => comment.body.startsWith(MARKER));
    // Never two plan comments, whatever failed; not even one made and deleted again (each one
    // notifies the pull request's subscribers).
    expect(marked.length, 'plan comments').toBeLessThanOrEqual(1);
    expect(gh.count('DELETE comment'), 'duplicate comments deleted').toBe(0);
    if (seeded) expect(gh.count('POST comment'), 'a comment created although one existed').toBe(0);
    const warnings = commandLines(run.stdout, 'warning');
    if (commentFailed || (fault === 'refused' && call === 'read base file')) {
      // The old comment (if any) is left as it was; no new one.
      expect(marked).toHaveLength(seeded ? 1 : 0);
      if (seeded) expect(marked[0]?.body).toContain('the plan of an older commit');
      expect(run.outputs['comment-url']).toBe('');
    } else {
      expect(marked).toHaveLength(1);
      expect(recordedChanges(marked[0]?.body ?? '')?.map((change) => change.path)).toEqual(['data_retention_in_days', 'features.firehose']);
      expect(marked[0]?.body).not.toContain('the plan of an older commit');
      expect(run.outputs['comment-url']).toBe(marked[0]?.html_url);
      expect(run.stdout).toMatch(/(Created|Updated) the plan comment/);
    }
    if (expected.outcome === 'recovered' || (commentFailed && !everyCallRefused)) {
      expect(warnings).toEqual([]);
    } else {
      expect(warnings.length).toBeGreaterThanOrEqual(1);
      assertMessage(warnings[0], expected.message ?? /./);
      if (call === 'read base file') expect(run.summary).toContain('Changes are shown without telling pull-request changes from live edits.');
    }
    report.record(c, served(gh), expected.outcome);
  } finally {
    await run.cleanup();
  }
}

/**
 * The GitHub fault cases of `calls`, each a test, and their table of counts printed after them.
 * Two test files share the calls, so that vitest runs them side by side: most of their time is
 * spent waiting out timeouts and Retry-After, not on the CPU.
 */
export function githubFaultCases(calls: readonly GhCall[]): void {
  const report = new FaultReport();
  const open: Array<{ close(): Promise<void> }> = [];
  const track: Track = async (thing) => {
    open.push(await thing);
    return thing;
  };
  afterEach(async () => {
    await Promise.all(open.splice(0).map((thing) => thing.close()));
  });
  describe('GitHub faults (plan mode on a pull request)', () => {
    for (const c of [...casesFor(calls, 'github'), ...EXTRA_GH.filter((extra) => calls.includes(extra.call as GhCall))]) {
      it(caseName(c), () => runGitHubCase(c, report, track));
    }
  });
  afterAll(() => report.print(`GitHub fault injection (${calls.join(', ')})`));
}
