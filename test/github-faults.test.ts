/**
 * The GitHub calls on their own (createGitHubApi against the fake): retry classification of
 * octokit's errors, the sticky comment never duplicated, answers cut short, and the wording of
 * the warnings. The whole-action view is in test/faults/github-*.test.ts.
 */
import { createServer, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { describeGitHubError } from '../src/github-errors.js';
import type { GitHubApi } from '../src/github-api.js';
import { createGitHubApi } from '../src/pull-request.js';
import { Deadline } from '../src/deadline.js';
import { RetryAfterTooLongError, attemptsOf, type RetryPolicy } from '../src/retry.js';
import { DEFAULT_GITHUB_TOKEN, type FakeGitHub } from './support/fake-github.js';
import { FaultyGitHub, closedPort } from './support/faulty-fakes.js';

const POLICY: RetryPolicy = { retries: 3, baseDelayMs: 5, maxDelayMs: 20, maxRetryAfterMs: 2_000 };
const MARKER = '<!-- leadconduit-account-action:comment file=leadconduit-account.json -->';
const PR = 7;
/** In these tests every comment with the marker counts as the action's own (signatures are tested in plan-comment tests). */
const QUERY = { marker: MARKER, record: (c: { body: string }) => (c.body.startsWith(MARKER) ? ('verified' as const) : ('unsigned' as const)) };

const open: Array<{ close(): Promise<void> } | Deadline> = [];
afterEach(async () => {
  for (const thing of open.splice(0)) {
    if (thing instanceof Deadline) thing.dispose();
    else await thing.close();
  }
});

async function fake(): Promise<FaultyGitHub> {
  const gh = await new FaultyGitHub().listen();
  open.push(gh);
  return gh;
}

/** A GitHub client; its request timeout is generous unless a test waits one out (a busy machine must not time out a normal answer). */
async function api(apiUrl: string, retry: Partial<RetryPolicy> = {}, requestTimeoutMs = 2_000): Promise<GitHubApi> {
  const deadline = new Deadline(20_000);
  open.push(deadline);
  return createGitHubApi({ token: DEFAULT_GITHUB_TOKEN, apiUrl, owner: 'acme', repo: 'settings', retry: { ...POLICY, ...retry }, deadline, requestTimeoutMs });
}

async function rejection(promise: Promise<unknown>): Promise<unknown> {
  return promise.then(
    () => {
      throw new Error('expected a failure');
    },
    (error: unknown) => error,
  );
}

function marked(gh: FakeGitHub) {
  return gh.commentsOf(PR).filter((c) => c.body.startsWith(MARKER));
}

describe('the sticky comment is never duplicated', () => {
  it('a create that got a 5xx after GitHub made the comment is not posted again', async () => {
    const gh = await fake();
    gh.createdThenFail = 1;
    const { comment, created } = await (await api(gh.url)).upsertComment(PR, QUERY, () => `${MARKER}\nplan`);
    expect(marked(gh)).toHaveLength(1);
    expect(marked(gh)[0]?.body).toBe(`${MARKER}\nplan`);
    expect(comment.id).toBe(marked(gh)[0]?.id);
    expect(created).toBe(true);
    expect(gh.count('POST comment')).toBe(1);
    expect(gh.count('DELETE comment')).toBe(0);
  });

  it('a create that keeps failing after making the comment still ends with that one comment', async () => {
    const gh = await fake();
    gh.createdThenFail = 10;
    const { comment } = await (await api(gh.url)).upsertComment(PR, QUERY, () => `${MARKER}\nplan`);
    expect(marked(gh)).toHaveLength(1);
    expect(comment.url).toBe(marked(gh)[0]?.html_url);
  });

  it('a create whose answer was lost, while listing fails too, ends with the one comment made', async () => {
    // The first look finds nothing; the create is made but answered 502; then listing fails for
    // every look before a retry (3 x 4 attempts)...
    for (const [listFailures, outcome] of [
      [12, 'kept'],
      [16, 'failed'],
    ] as const) {
      const gh = await fake();
      gh.createdThenFail = 1;
      gh.inject('GET comments', { kind: 'status', status: 200, body: [] });
      gh.inject('GET comments', { kind: 'status', status: 503 }, listFailures);
      const upsert = (await api(gh.url)).upsertComment(PR, QUERY, () => `${MARKER}\nplan`);
      if (outcome === 'kept') {
        // ...and the last look, after the create gave up, finds the comment: it is the result.
        const { comment, created } = await upsert;
        expect(comment.body).toBe(`${MARKER}\nplan`);
        expect(created).toBe(true);
      } else {
        // ...and that look fails too: a warning, but never a second comment.
        const error = await rejection(upsert);
        expect((error as { status?: number }).status).toBe(503);
      }
      expect(marked(gh)).toHaveLength(1);
      expect(gh.count('POST comment')).toBe(1);
    }
  });

  it('of two runs creating at once, the oldest comment is kept with the newest plan', async () => {
    const gh = await fake();
    gh.concurrentCreate = `${MARKER}\nthe other run's plan`;
    const { comment, created } = await (await api(gh.url)).upsertComment(PR, QUERY, () => `${MARKER}\nmy plan`);
    expect(marked(gh)).toHaveLength(1);
    expect(marked(gh)[0]?.id).toBe(1);
    expect(marked(gh)[0]?.body).toBe(`${MARKER}\nmy plan`);
    expect(comment.id).toBe(1);
    expect(created).toBe(false);
    expect(gh.count('DELETE comment')).toBe(1);
  });

  it('a duplicate that cannot be deleted does not turn a posted plan into a failure', async () => {
    const gh = await fake();
    gh.concurrentCreate = `${MARKER}\nthe other run's plan`;
    gh.deleteFails = 10;
    const { comment } = await (await api(gh.url)).upsertComment(PR, QUERY, () => `${MARKER}\nmy plan`);
    expect(comment.body).toBe(`${MARKER}\nmy plan`);
  });

  it('a list cut short is retried, never read as "no comment yet"', async () => {
    for (const fault of [
      { kind: 'reset-mid-body' },
      { kind: 'malformed-json' },
      { kind: 'not-an-account' },
      { kind: 'status', status: 200, body: '' },
    ] as const) {
      const gh = await fake();
      gh.addComment(PR, `${MARKER}\nold plan`);
      gh.inject('GET comments', fault);
      const { created } = await (await api(gh.url)).upsertComment(PR, QUERY, () => `${MARKER}\nnew plan`);
      expect(created).toBe(false);
      expect(gh.count('POST comment')).toBe(0);
      expect(marked(gh).map((c) => c.body)).toEqual([`${MARKER}\nnew plan`]);
    }
  });

  it('finds the comment past the first page', async () => {
    const gh = await fake();
    for (let i = 0; i < 130; i++) gh.addComment(PR, `chatter ${i}`, { login: 'octocat' });
    gh.addComment(PR, `${MARKER}\nold plan`);
    const github = await api(gh.url);
    expect((await github.markedComments(PR, QUERY))[0]?.body).toBe(`${MARKER}\nold plan`);
    await github.upsertComment(PR, QUERY, () => `${MARKER}\nnew plan`);
    expect(gh.count('POST comment')).toBe(0);
    expect(marked(gh).map((c) => c.body)).toEqual([`${MARKER}\nnew plan`]);
  });

  it('a listing that never ends stops at 100 pages, is not retried, and is worded as what it is', async () => {
    const gh = await fake();
    gh.endlessComments = { body: `${MARKER}\nsomeone else's`, user: { login: 'mallory', type: 'User' } };
    const error = await rejection((await api(gh.url)).upsertComment(PR, QUERY, () => `${MARKER}\nplan`));
    expect(gh.count('GET comments')).toBe(100);
    expect(gh.requests.filter((r) => r.method !== 'GET')).toEqual([]);
    expect(describeGitHubError('comment on the pull request', error)).toBe(
      "Could not comment on the pull request: GitHub listed 10,000 comments or more on pull request #7 (100 full pages), more than any real pull request holds, so the action stopped reading them. Nothing was written on the pull request. Check that GITHUB_API_URL is GitHub's API; if the pull request does hold that many comments, delete the ones a bot left, or make the change in a new pull request.",
    );
  });

  it('of the marked comments of other logins only the author and address are kept, never the body', async () => {
    const gh = await fake();
    gh.addComment(PR, `${MARKER}\nmine`);
    gh.addComment(PR, `${MARKER}\nplanted`, { login: 'mallory' });
    const query = {
      marker: MARKER,
      record: (c: { body: string; author: string }) => (c.author === 'github-actions[bot]' ? ('verified' as const) : ('unsigned' as const)),
    };
    const found = await (await api(gh.url)).markedComments(PR, query);
    expect(found.map((c) => [c.author, c.verified, c.body])).toEqual([
      ['github-actions[bot]', true, `${MARKER}\nmine`],
      ['mallory', false, undefined],
    ]);
  });

  it('a clear refusal of the create is not retried, nor looked at again', async () => {
    const gh = await fake();
    gh.inject('POST comment', { kind: 'status', status: 403, body: { message: 'Resource not accessible by integration' } }, 5);
    const error = await rejection((await api(gh.url)).upsertComment(PR, QUERY, () => `${MARKER}\nplan`));
    expect((error as { status?: number }).status).toBe(403);
    expect(gh.count('POST comment')).toBe(1);
    expect(gh.count('GET comments')).toBe(1);
  });
});

describe('retry classification of octokit errors', () => {
  const cases: Array<{ name: string; status: number; body?: object; headers?: Record<string, string>; attempts: number }> = [
    { name: '500', status: 500, attempts: 4 },
    { name: '502', status: 502, attempts: 4 },
    { name: '503', status: 503, attempts: 4 },
    { name: '504', status: 504, attempts: 4 },
    { name: '408', status: 408, attempts: 4 },
    { name: '429', status: 429, attempts: 4 },
    { name: '403 + Retry-After (secondary rate limit)', status: 403, headers: { 'retry-after': '0' }, attempts: 4 },
    {
      name: '403 primary rate limit, reset now',
      status: 403,
      body: { message: 'API rate limit exceeded for installation ID 1.' },
      headers: { 'x-ratelimit-remaining': '0', 'x-ratelimit-reset': '1' },
      attempts: 4,
    },
    { name: '401', status: 401, body: { message: 'Bad credentials' }, attempts: 1 },
    { name: '403 (no permission)', status: 403, body: { message: 'Resource not accessible by integration' }, attempts: 1 },
    { name: '404', status: 404, attempts: 1 },
    { name: '410', status: 410, attempts: 1 },
    { name: '422', status: 422, attempts: 1 },
  ];
  for (const c of cases) {
    it(`${c.name}: ${c.attempts === 1 ? 'not retried' : 'retried'}`, async () => {
      const gh = await fake();
      gh.inject('GET comments', { kind: 'status', status: c.status, ...(c.body ? { body: c.body } : {}), ...(c.headers ? { headers: c.headers } : {}) }, 10);
      const error = await rejection((await api(gh.url)).markedComments(PR, QUERY));
      expect(gh.count('GET comments')).toBe(c.attempts);
      expect(attemptsOf(error)).toBe(c.attempts);
      expect((error as { status?: number }).status).toBe(c.status);
    });
  }

  it('a secondary rate limit without Retry-After waits a minute: with a shorter maximum it fails at once', async () => {
    const gh = await fake();
    gh.inject('GET comments', { kind: 'status', status: 403, body: { message: 'You have exceeded a secondary rate limit.' } }, 10);
    const error = await rejection((await api(gh.url)).markedComments(PR, QUERY));
    expect(error).toBeInstanceOf(RetryAfterTooLongError);
    expect((error as RetryAfterTooLongError).waitMs).toBe(60_000);
    expect(gh.count('GET comments')).toBe(1);
  });

  it('a primary rate limit that resets in an hour fails at once', async () => {
    const gh = await fake();
    const reset = String(Math.ceil(Date.now() / 1000) + 3600);
    gh.inject(
      'GET comments',
      { kind: 'status', status: 403, body: { message: 'API rate limit exceeded' }, headers: { 'x-ratelimit-remaining': '0', 'x-ratelimit-reset': reset } },
      10,
    );
    const error = await rejection((await api(gh.url)).markedComments(PR, QUERY));
    expect(error).toBeInstanceOf(RetryAfterTooLongError);
    expect(gh.count('GET comments')).toBe(1);
    expect(describeGitHubError('comment on the pull request', error)).toMatch(
      /^Could not comment on the pull request: GitHub answered 403 \(API rate limit exceeded\) and the server asked to wait (59\.\d|60|60\.\d) min before retrying, longer than the 2 s this action waits\. Re-run the job later\.$/,
    );
  });

  it('a refused connection (octokit: status 500, no response) is retried, and worded as unreachable', async () => {
    const port = await closedPort();
    const error = await rejection((await api(`http://127.0.0.1:${port}`)).markedComments(PR, QUERY));
    expect(attemptsOf(error)).toBe(4);
    expect(describeGitHubError('comment on the pull request', error)).toBe(
      `Could not comment on the pull request: GitHub could not be reached after 4 attempts (connect ECONNREFUSED 127.0.0.1:${port}). Check GitHub's status and the runner's network, then re-run the job.`,
    );
  });

  it('a timeout is retried, and worded as a timeout (not as "GitHub answered 500")', async () => {
    const gh = await fake();
    gh.inject('GET comments', { kind: 'hang' }, 10);
    const error = await rejection((await api(gh.url, {}, 150)).markedComments(PR, QUERY));
    expect(gh.count('GET comments')).toBe(4);
    expect(describeGitHubError('comment on the pull request', error)).toBe(
      "Could not comment on the pull request: GitHub did not answer in time after 4 attempts. Check GitHub's status, then re-run the job.",
    );
  });

  it('a body that stalls is cut by the request timeout and retried', async () => {
    let calls = 0;
    const server = createServer((_req, res: ServerResponse) => {
      res.writeHead(200, { 'content-type': 'application/json; charset=utf-8', 'content-length': '200' });
      if (++calls === 1)
        res.write('[{"id": 1, "bo'); // then silence
      else res.end(JSON.stringify([]).padEnd(200, ' '));
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    open.push({ close: () => new Promise<void>((resolve) => (server.closeAllConnections(), server.close(() => resolve()))) });
    const found = await (await api(`http://127.0.0.1:${(server.address() as AddressInfo).port}`, {}, 150)).markedComments(PR, QUERY);
    expect(found).toEqual([]);
    expect(calls).toBe(2);
  });
});

describe('reading the base file and the pull requests of a commit', () => {
  it('reads a file; a missing file or a directory is undefined; a cut answer is retried', async () => {
    const gh = await fake();
    gh.setFile('abc', 'leadconduit-account.json', '{"id": "x"}\n');
    const github = await api(gh.url);
    gh.inject('GET contents', { kind: 'reset-mid-body' });
    gh.inject('GET contents', { kind: 'not-an-account' });
    expect(await github.readFile('leadconduit-account.json', 'abc')).toBe('{"id": "x"}\n');
    expect(gh.count('GET contents')).toBe(3);
    expect(await github.readFile('missing.json', 'abc')).toBeUndefined();
    gh.inject('GET contents', { kind: 'status', status: 200, body: [{ type: 'file', name: 'a.json' }] });
    expect(await github.readFile('dir', 'abc')).toBeUndefined();
  });

  it('lists the pull requests of a commit; a cut answer is retried', async () => {
    const gh = await fake();
    gh.setCommitPulls('d'.repeat(40), [
      { number: 7, html_url: 'https://github.com/acme/settings/pull/7', merge_commit_sha: 'd'.repeat(40), merged_at: '2025-01-01T00:00:00Z' },
    ]);
    gh.inject('GET commit pulls', { kind: 'malformed-json' });
    const pulls = await (await api(gh.url)).pullRequestsForCommit('d'.repeat(40));
    expect(pulls).toEqual([{ number: 7, url: 'https://github.com/acme/settings/pull/7', mergeCommitSha: 'd'.repeat(40), merged: true }]);
    expect(gh.count('GET commit pulls')).toBe(2);
  });
});

describe('describeGitHubError', () => {
  const say = (error: unknown) => describeGitHubError('comment on the pull request', error);

  it("is one line, with GitHub's message and what to do", () => {
    const http = (status: number, message: string) => ({ status, message, response: { headers: {} } });
    expect(say(http(403, 'Resource not accessible by integration'))).toBe(
      'Could not comment on the pull request: GitHub answered 403 (Resource not accessible by integration). Check the "permissions:" of the workflow.',
    );
    expect(say(http(401, 'Bad credentials - https://docs.github.com/rest'))).toBe(
      'Could not comment on the pull request: GitHub answered 401 (Bad credentials - https://docs.github.com/rest). The github-token input is not a valid token; leave it at its default, ${{ github.token }}.',
    );
    expect(say(http(404, 'Not Found'))).toBe(
      "Could not comment on the pull request: GitHub answered 404 (Not Found). Check the repository and the token's access.",
    );
    expect(say(http(429, 'Too many'))).toBe(
      'Could not comment on the pull request: GitHub answered 429 (Too many): the token is rate-limited. Re-run the job later.',
    );
    expect(say(http(403, 'You have exceeded a secondary rate limit.\nWait.'))).toBe(
      'Could not comment on the pull request: GitHub answered 403 (You have exceeded a secondary rate limit.): the token is rate-limited. Re-run the job later.',
    );
    expect(say(http(502, '<!DOCTYPE html>\n<html><head><title>502 Bad Gateway</title></head></html>'))).toBe(
      'Could not comment on the pull request: GitHub answered 502 (an HTML page titled "502 Bad Gateway"). GitHub may be having an outage; re-run the job later.',
    );
    expect(say(http(500, ''))).toBe(
      'Could not comment on the pull request: GitHub answered 500 (no message). GitHub may be having an outage; re-run the job later.',
    );
    expect(say(Object.assign(new Error('fetch failed'), {}))).toBe(
      "Could not comment on the pull request: GitHub could not be reached (fetch failed). Check GitHub's status and the runner's network, then re-run the job.",
    );
    for (const error of [http(403, 'a\nb'), http(502, 'x\ny'), new Error('p\nq')]) expect(say(error)).not.toContain('\n');
  });
});
