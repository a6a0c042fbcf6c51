import { describe, expect, it } from 'vitest';
import { BASE_SHA, PR_NUMBER, forkPayload, pullRequestPayload, type ActionSetup } from '../support/action-env.js';
import { useFakes } from '../support/e2e.js';
import { MARKER, ownRecordBody, recordedChanges } from '../support/records.js';
import { SECRET_VALUES, TEST_API_KEY, sampleAccount } from '../support/sample-account.js';

const fakes = useFakes();

const plan = (setup: Partial<ActionSetup> = {}) => fakes.run({ event: 'pull_request', ...setup });

const DESIRED = { data_retention_in_days: 30, features: { firehose: true }, subscriptions: { pro: { state: 'active' } } };

describe('plan on a pull request', () => {
  it('posts one comment with each change (live, desired, destructive warning) and sends nothing', async () => {
    const run = await plan({ file: DESIRED });
    expect(run.exitCode).toBe(0);
    const comments = fakes.gh.commentsOf(PR_NUMBER);
    expect(comments).toHaveLength(1);
    const body = comments[0]?.body ?? '';
    expect(body.startsWith('<!-- leadconduit-account-action:comment file=leadconduit-account.json -->')).toBe(true);
    expect(body).toContain('<code>features.firehose</code> | <code>false</code> | <code>true</code>');
    expect(body).toMatch(/<code>data&#95;retention&#95;in&#95;days<\/code> \| <code>365<\/code> \| <code>30<\/code> \| ⚠️ \*\*Destructive:\*\*/);
    expect(body).toContain('<code>subscriptions.pro.state</code>');
    // LeadConduit's own timestamps appear nowhere: not as changes, not in the request apply will send.
    expect(body).not.toMatch(/created_at|updated_at|active_at|inactive_at|created&#95;at|updated&#95;at|active&#95;at|inactive&#95;at/);
    expect(fakes.lc.count('PUT /account')).toBe(0);
    expect(fakes.lc.count('GET /account')).toBe(1);
    expect(run.outputs).toMatchObject({ changed: 'true', 'change-count': '3', applied: 'false', 'comment-url': comments[0]?.html_url });
    expect(JSON.parse(run.outputs.changes ?? '')).toEqual([
      { path: 'data_retention_in_days', before: 365, after: 30, destructive: true, source: 'pull-request' },
      { path: 'features.firehose', before: false, after: true, destructive: false, source: 'pull-request' },
      { path: 'subscriptions.pro.state', before: 'inactive', after: 'active', destructive: false, source: 'pull-request' },
    ]);
  });

  it('writes the job summary: verdict and counts first, account, mode, table, request body, base URL', async () => {
    const run = await plan({ file: DESIRED });
    const lines = run.summary.split('\n');
    expect(lines[0]).toBe('### 📝 Plan: 3 changes, 1 destructive ⚠️');
    expect(run.summary).toContain('- **Account:** Acme, Inc. (<code>5fd4371e940df5a34a3888b2</code>)');
    expect(run.summary).toContain('- **Mode:** <code>plan</code>');
    expect(run.summary).toContain('<details><summary>The request the apply will send: PUT /account</summary>');
    expect(run.summary).toContain('"firehose": true');
    expect(run.summary).toContain(`<code>http://127.0.0.1:${new URL(fakes.lc.url).port}</code>`);
    expect(run.summary.indexOf('Plan')).toBeLessThan(run.summary.indexOf('Account'));
  });

  it('shows each step as a collapsible group in the log: Validate, Read the live account, Plan, Comment', async () => {
    const run = await plan({ file: DESIRED });
    const groups = run.stdout.split('\n').filter((line) => line.startsWith('::group::') || line === '::endgroup::');
    expect(groups).toEqual([
      '::group::Validate',
      '::endgroup::',
      '::group::Read the live account',
      '::endgroup::',
      '::group::Plan',
      '::endgroup::',
      '::group::Comment',
      '::endgroup::',
    ]);
    const validate = run.stdout.slice(run.stdout.indexOf('::group::Validate'), run.stdout.indexOf('::group::Read the live account'));
    expect(validate).toContain('leadconduit-account.json is valid (plan mode).');
  });

  it('updates the same comment on the next push instead of adding one', async () => {
    await plan({ file: DESIRED });
    const first = fakes.gh.commentsOf(PR_NUMBER)[0];
    const run = await plan({ file: { features: { firehose: true } } });
    const comments = fakes.gh.commentsOf(PR_NUMBER);
    expect(comments).toHaveLength(1);
    expect(comments[0]?.id).toBe(first?.id);
    expect(comments[0]?.body).not.toContain('data&#95;retention');
    // The first plan posts the comment, then signs it for the login GitHub gave it; the second updates it.
    expect(fakes.gh.requests.map((r) => r.route).filter((r) => r === 'POST comment' || r === 'PATCH comment')).toEqual([
      'POST comment',
      'PATCH comment',
      'PATCH comment',
    ]);
    expect(run.outputs['comment-url']).toBe(first?.html_url);
  });

  it('finds its comment on a later page of a long pull request', async () => {
    for (let i = 0; i < 150; i++) fakes.gh.addComment(PR_NUMBER, `review comment ${i}`, { login: 'someone', type: 'User' });
    await plan({ file: DESIRED });
    await plan({ file: DESIRED });
    expect(fakes.gh.commentsOf(PR_NUMBER).filter((c) => c.body.includes('leadconduit-account-action:comment'))).toHaveLength(1);
    expect(fakes.gh.count('POST comment')).toBe(1);
    expect(fakes.gh.count('PATCH comment')).toBe(2); // the first plan's signature, the second plan's update
  });

  it('says so in the existing comment when the plan has no more changes', async () => {
    await plan({ file: DESIRED });
    const run = await plan({ file: { data_retention_in_days: 365, features: { firehose: false } } });
    const comments = fakes.gh.commentsOf(PR_NUMBER);
    expect(comments).toHaveLength(1);
    expect(comments[0]?.body).toContain('No changes: the live account matches leadconduit-account.json');
    expect(run.outputs).toMatchObject({ changed: 'false', 'change-count': '0', changes: '[]' });
  });

  it('keeps one comment per file when a matrix plans several files', async () => {
    await plan({ file: DESIRED, fileName: 'accounts/a.json' });
    await plan({ file: { features: { firehose: true } }, fileName: 'accounts/b.json' });
    await plan({ file: DESIRED, fileName: 'accounts/a.json' });
    const comments = fakes.gh.commentsOf(PR_NUMBER);
    expect(comments).toHaveLength(2);
    expect(comments.map((c) => c.body.split('\n')[0])).toEqual([
      '<!-- leadconduit-account-action:comment file=accounts%2Fa.json -->',
      '<!-- leadconduit-account-action:comment file=accounts%2Fb.json -->',
    ]);
  });

  it('does not comment when comment is false', async () => {
    const run = await plan({ file: DESIRED, inputs: { comment: 'false' } });
    expect(run.exitCode).toBe(0);
    expect(fakes.gh.count('POST comment') + fakes.gh.count('PATCH comment') + fakes.gh.count('GET comments')).toBe(0);
    expect(run.outputs['comment-url']).toBe('');
    // Green, but warned: its merge will have no reviewed plan to compare with.
    expect(run.stdout).toMatch(
      /^::warning::The plan comment is turned off \(comment: false\): .*the apply after the merge refuses it for want of a reviewed plan on record/m,
    );
    expect(run.summary).toContain('The plan comment is turned off');
  });

  it('annotates each change on its line: a notice, or a warning when destructive', async () => {
    const text = '{\n  "data_retention_in_days": 30,\n  "features": {\n    "firehose": true\n  }\n}\n';
    const run = await plan({ file: text });
    expect(run.stdout).toContain('::warning title=will change%3A 365 -> 30,file=leadconduit-account.json,line=2,col=3::data_retention_in_days: destructive');
    expect(run.stdout).toContain('::notice title=will change%3A false -> true,file=leadconduit-account.json,line=4,col=5::features.firehose');
  });
});

describe('plan from a fork', () => {
  it('validates the file without an API key, says why the live comparison was skipped, and passes', async () => {
    const run = await plan({ file: DESIRED, inputs: { 'api-key': '' } });
    expect(run.exitCode).toBe(0);
    expect(run.summary).toContain('Valid: leadconduit-account.json passed validation; the live account was not compared');
    expect(run.summary).toContain('GitHub gives no secrets to pull requests from forks');
    expect(fakes.lc.requests).toHaveLength(0);
  });

  it('with the key, turns the read-only token (403 on commenting) into a warning: the plan is in the summary, applied later by hand', async () => {
    await fakes.restartGitHub({ readOnly: true });
    const run = await plan({ file: DESIRED, payload: forkPayload() });
    expect(run.exitCode).toBe(0);
    expect(run.stdout).toMatch(/::warning::Could not comment on the pull request: GitHub answered 403.* comes from a fork/);
    expect(run.stdout).toContain('a maintainer applies it with a manual (workflow_dispatch) run');
    expect(run.stdout).not.toContain('::error');
    expect(run.summary).toContain('Plan: 3 changes');
    expect(run.outputs['comment-url']).toBe('');
    expect(fakes.lc.count('PUT /account')).toBe(0);
  });
});

describe('three-way plan', () => {
  it('tells changes in the pull request from live edits the merge would revert', async () => {
    // The base branch already had firehose on; someone switched it off in the UI since.
    fakes.gh.setFile(BASE_SHA, 'leadconduit-account.json', JSON.stringify({ data_retention_in_days: 365, features: { firehose: true } }));
    const run = await plan({ file: { data_retention_in_days: 400, features: { firehose: true } } });
    expect(run.exitCode).toBe(0);
    expect(JSON.parse(run.outputs.changes ?? '')).toEqual([
      { path: 'data_retention_in_days', before: 365, after: 400, destructive: false, source: 'pull-request' },
      { path: 'features.firehose', before: false, after: true, destructive: false, source: 'drift' },
    ]);
    const body = fakes.gh.commentsOf(PR_NUMBER)[0]?.body ?? '';
    const driftAt = body.indexOf('Live edits this merge will revert (1)');
    const prAt = body.indexOf('Changes in this pull request (1)');
    expect(driftAt).toBeGreaterThan(0);
    expect(prAt).toBeGreaterThan(driftAt);
    expect(run.stdout).toContain('::warning::1 setting was changed in LeadConduit outside the file; merging reverts them: features.firehose.');
  });

  it('falls back to a two-way plan and says so when the base file cannot be read', async () => {
    fakes.gh.inject('GET contents', { kind: 'status', status: 500 }, 10);
    const run = await plan({ file: DESIRED });
    expect(run.exitCode).toBe(0);
    expect(run.summary).toContain('Changes are shown without telling pull-request changes from live edits');
    expect(JSON.parse(run.outputs.changes ?? '')[0]).not.toHaveProperty('source');
    expect(fakes.gh.commentsOf(PR_NUMBER)).toHaveLength(1);
  });
});

describe('reading the live account', () => {
  it('falls back to GET /user when GET /account is not served', async () => {
    await fakes.restartLeadConduit({ accountEndpoint: false });
    const run = await plan({ file: DESIRED });
    expect(run.exitCode).toBe(0);
    expect(fakes.lc.count('GET /account')).toBe(1);
    expect(fakes.lc.count('GET /user')).toBe(1);
    expect(run.outputs['change-count']).toBe('3');
  });

  it('names every account when GET /user lists several and the file has no id', async () => {
    const other = sampleAccount({ id: 'aaaaaaaaaaaaaaaaaaaaaaaa', name: 'Other Co' });
    await fakes.restartLeadConduit({ accountEndpoint: false, userAccounts: [sampleAccount(), other] });
    const run = await plan({ file: DESIRED });
    expect(run.exitCode).toBe(1);
    expect(run.stdout).toContain(
      '::error::The API key\'s user has 2 accounts and the file does not say which one it is for: add "id" to the file with one of 5fd4371e940df5a34a3888b2 (Acme, Inc.), aaaaaaaaaaaaaaaaaaaaaaaa (Other Co).',
    );
  });

  it('picks the account whose id the file names', async () => {
    const other = sampleAccount({ id: 'aaaaaaaaaaaaaaaaaaaaaaaa', name: 'Other Co', data_retention_in_days: 30 });
    await fakes.restartLeadConduit({ accountEndpoint: false, userAccounts: [sampleAccount(), other] });
    const run = await plan({ file: { id: 'aaaaaaaaaaaaaaaaaaaaaaaa', data_retention_in_days: 30 } });
    expect(run.exitCode).toBe(0);
    expect(run.outputs['change-count']).toBe('0');
    expect(run.summary).toContain('Other Co');
  });

  it('fails before any change when the file is for another account', async () => {
    const run = await plan({ file: { id: 'aaaaaaaaaaaaaaaaaaaaaaaa', ...DESIRED }, inputs: { mode: 'apply' } });
    expect(run.exitCode).toBe(1);
    expect(run.stdout).toContain(
      '::error::leadconduit-account.json is for account aaaaaaaaaaaaaaaaaaaaaaaa, but the API key reads account 5fd4371e940df5a34a3888b2 (Acme, Inc.)',
    );
    expect(fakes.lc.count('PUT /account')).toBe(0);
  });

  it('explains a rejected API key in one line', async () => {
    const run = await plan({ file: DESIRED, inputs: { 'api-key': 'wrong-key-123456' } });
    expect(run.exitCode).toBe(1);
    expect(run.stdout).toContain('::error::LeadConduit rejected the API key (401 Unauthorized) on GET /account: Unauthorized. Check the api-key secret');
    expect(run.everything).not.toContain('wrong-key-123456');
    expect(run.summary).toContain('Failed');
  });
});

describe('secrets and escaping', () => {
  it('never prints the API key or the account secrets, even with debug logging', async () => {
    const run = await plan({ file: DESIRED, env: { RUNNER_DEBUG: '1' } });
    expect(run.exitCode).toBe(0);
    expect(run.stdout).toContain('::debug::GET http://127.0.0.1');
    const comment = fakes.gh.commentsOf(PR_NUMBER)[0]?.body ?? '';
    for (const secret of [TEST_API_KEY, ...SECRET_VALUES, Buffer.from(`API:${TEST_API_KEY}`).toString('base64')]) {
      expect(run.everything).not.toContain(secret);
      expect(comment).not.toContain(secret);
    }
  });

  it('escapes values from the API so they cannot break the table or inject markup', async () => {
    const nasty = 'a | b <script>alert(1)</script> [x](javascript:y) `code`';
    await fakes.restartLeadConduit({ account: sampleAccount({ name: nasty, subscriptions: { pro: { state: '| evil <b>x</b>' } } } as never) });
    const run = await plan({ file: { subscriptions: { pro: { state: 'active' } } } });
    expect(run.exitCode).toBe(0);
    for (const text of [run.summary, fakes.gh.commentsOf(PR_NUMBER)[0]?.body ?? '']) {
      expect(text).not.toContain('<script>');
      expect(text).not.toContain('<b>');
      expect(text).not.toContain('| evil');
      expect(text).not.toContain('[x](');
    }
    const row = run.summary.split('\n').find((line) => line.includes('subscriptions.pro.state')) ?? '';
    expect(row.split(' | ')).toHaveLength(4);
  });
});

describe('payload shapes', () => {
  it('plans on pull_request_target and merge_group too', async () => {
    const run = await plan({ file: DESIRED, event: 'pull_request_target', payload: pullRequestPayload() });
    expect(run.exitCode).toBe(0);
    expect(fakes.lc.count('PUT /account')).toBe(0);
    const merge = await plan({ file: DESIRED, event: 'merge_group', payload: {} });
    expect(merge.exitCode).toBe(0);
    expect(merge.summary).toContain('- **Mode:** <code>plan</code>');
    expect(fakes.lc.count('PUT /account')).toBe(0);
  });
});

describe('a pre-existing duplicate plan comment', () => {
  it('keeps and updates the oldest, deletes the stale duplicate, creates nothing and leaves other comments alone', async () => {
    const gh = fakes.gh;
    const human = gh.addComment(PR_NUMBER, 'LGTM once the plan is green', { login: 'octo-reviewer' });
    const oldest = gh.addComment(PR_NUMBER, ownRecordBody([], 'stale plan A'));
    const newer = gh.addComment(PR_NUMBER, ownRecordBody([], 'stale plan B'));

    for (let i = 0; i < 2; i++) {
      const run = await plan({ file: { data_retention_in_days: 400, features: { firehose: true } } });
      expect(run.exitCode, run.stdout).toBe(0);
      expect(run.outputs['comment-url']).toBe(oldest.html_url);
    }

    expect(gh.count('POST comment')).toBe(0);
    const comments = gh.commentsOf(PR_NUMBER);
    const kept = comments.find((c) => c.id === oldest.id);
    expect(kept?.body).not.toContain('stale plan A');
    expect(recordedChanges(kept?.body ?? '')?.map((c) => c.path)).toEqual(['data_retention_in_days', 'features.firehose']);
    expect(comments.find((c) => c.id === human.id)?.body).toBe('LGTM once the plan is green');
    // Only the oldest is written to; the newer duplicate, a stale plan, is deleted.
    const patched = gh.requests.filter((r) => r.route === 'PATCH comment').map((r) => r.path);
    expect(new Set(patched)).toEqual(new Set([`/repos/acme/settings/issues/comments/${oldest.id}`]));
    expect(comments.find((c) => c.id === newer.id)).toBeUndefined();
    expect(comments.filter((c) => c.body.startsWith(MARKER))).toHaveLength(1);
  });
});
