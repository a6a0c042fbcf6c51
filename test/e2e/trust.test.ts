/**
 * The pull request's comment is the action's own authenticated record, from the first plan to
 * the apply's outcome. Tried as an attacker would: foreign and forged comments, a missing record,
 * a plan that no longer stands, a comment GitHub refuses, an answer about another account.
 */
import { describe, expect, it } from 'vitest';
import { FAST_TUNING, PR_NUMBER, forkPayload, pullRequestPayload, type ActionSetup } from '../support/action-env.js';
import { useFakes } from '../support/e2e.js';
import { ACTIONS_BOT, MAX_COMMENT_LENGTH } from '../support/fake-github.js';
import { MARKER, ownRecordBody, recordedChanges } from '../support/records.js';
import { SAMPLE_ACCOUNT_ID, TEST_API_KEY, sampleAccount } from '../support/sample-account.js';

const fakes = useFakes();

const DESIRED = { data_retention_in_days: 400, features: { firehose: true } };
const PLANNED_PATHS = ['data_retention_in_days', 'features.firehose'];

const plan = (setup: Partial<ActionSetup> = {}) => fakes.run({ event: 'pull_request', file: DESIRED, ...setup });
const apply = (setup: Partial<ActionSetup> = {}) => fakes.run({ event: 'push', file: DESIRED, ...setup });

const puts = () => fakes.lc.requests.filter((r) => r.method === 'PUT');
const comments = () => fakes.gh.commentsOf(PR_NUMBER);
const readable = (text: string) => text.replace(/&#(\d+);/g, (_, n: string) => String.fromCodePoint(Number(n))).replaceAll('\u200D', '');

describe("only the action's own comments count", () => {
  it('a marker comment someone posted before the first plan is not edited, not trusted, and is reported', async () => {
    const planted = fakes.gh.addComment(PR_NUMBER, `${MARKER}\nLooks good to me, merge away`, { login: 'mallory' });
    const run = await plan();
    expect(run.exitCode).toBe(0);
    expect(comments().find((c) => c.id === planted.id)?.body).toBe(`${MARKER}\nLooks good to me, merge away`);
    const own = comments().filter((c) => c.id !== planted.id);
    expect(own).toHaveLength(1);
    // The only comment edited is the action's own (signed once GitHub named its author); none deleted.
    const touched = fakes.gh.requests.filter((r) => r.route === 'PATCH comment' || r.route === 'DELETE comment').map((r) => `${r.method} ${r.path}`);
    expect(touched).toEqual([`PATCH /repos/acme/settings/issues/comments/${own[0]?.id}`]);
    expect(recordedChanges(own[0]?.body ?? '')?.map((c) => c.path)).toEqual(PLANNED_PATHS);
    expect(run.outputs['comment-url']).toBe(own[0]?.html_url);
    expect(readable(run.summary)).toContain("Ignored a comment by mallory that carries this action's marker but not its signature");
  });

  it('a forged plan (a record with a made-up signature) is never read as the reviewed plan: the merge is refused', async () => {
    // The attacker copies the shape of a record, claiming that only firehose changes.
    const forged = ownRecordBody([{ path: 'features.firehose', before: false, after: true, destructive: false }], 'plan', 'mallory', 'a guessed key');
    fakes.gh.addComment(PR_NUMBER, forged, { login: 'mallory' });
    fakes.mergePullRequest();
    const run = await apply({ file: { features: { firehose: true } } });
    expect(run.exitCode).toBe(1);
    expect(puts()).toHaveLength(0);
    expect(run.stdout).toContain(`::error::No reviewed plan for leadconduit-account.json on pull request #${PR_NUMBER}`);
    expect(readable(run.summary)).toContain('Ignored a comment on pull request #7 by mallory');
    expect(run.summary.split('\n')[0]).toBe(`### ⛔ Refused: no reviewed plan on pull request #\u200D${PR_NUMBER}`);
  });

  it("a comment copied word for word from the action's, posted by someone else, does not verify for its author", async () => {
    await plan();
    const genuine = { id: comments()[0]!.id, body: comments()[0]!.body };
    const copy = fakes.gh.addComment(PR_NUMBER, genuine.body, { login: 'mallory' });
    const again = await plan({ file: { ...DESIRED, data_retention_in_days: 500 } });
    expect(again.exitCode).toBe(0);
    expect(comments().find((c) => c.id === copy.id)?.body).toBe(genuine.body);
    expect(recordedChanges(comments().find((c) => c.id === genuine.id)?.body ?? '')?.find((c) => c.path === 'data_retention_in_days')?.after).toBe(500);
    expect(readable(again.summary)).toContain('Ignored a comment by mallory');
  });

  it('a bot comment whose record is signed with another API key (another workflow of the repository) is ignored', async () => {
    fakes.gh.addComment(PR_NUMBER, ownRecordBody([], 'no changes here', ACTIONS_BOT.login, 'another-workflows-key'));
    fakes.mergePullRequest();
    const run = await apply();
    expect(run.exitCode).toBe(1);
    expect(puts()).toHaveLength(0);
    expect(readable(run.summary)).toContain(`Ignored a comment on pull request #${PR_NUMBER} by github-actions[bot]`);
    expect(run.stdout).toContain(
      `::error::No reviewed plan for leadconduit-account.json on pull request #${PR_NUMBER}: the plan record in the comment by github-actions[bot] does not verify with this API key (it was signed with another key, or forged)`,
    );
  });

  it('a merged pull request whose plan comment is gone: the refusal says it is not there', async () => {
    fakes.mergePullRequest();
    const run = await apply();
    expect(run.exitCode).toBe(1);
    expect(run.stdout).toContain("the action's plan comment is not there (the plan job could not write it, or it was deleted)");
  });

  it("with a token of another identity (an app), it learns its login from GitHub's answer and keeps one comment", async () => {
    await fakes.restartGitHub({ user: { login: 'settings-bot[bot]', type: 'Bot' } });
    const first = await plan();
    expect(first.exitCode).toBe(0);
    expect(comments()).toHaveLength(1);
    // Posted without a record, then signed for the author GitHub gave it: never for a guessed login.
    expect(fakes.gh.count('PATCH comment')).toBe(1);
    const posted = fakes.gh.requests.find((r) => r.route === 'POST comment')?.body ?? '';
    expect(posted).toContain('leadconduit-account-action:record:pending');
    expect(posted).not.toContain('leadconduit-account-action:record:v3');
    expect(recordedChanges(comments()[0]?.body ?? '', 'settings-bot[bot]')?.map((c) => c.path)).toEqual(PLANNED_PATHS);
    const second = await plan();
    expect(second.exitCode).toBe(0);
    expect(comments()).toHaveLength(1);
    expect(fakes.gh.count('POST comment')).toBe(1);
    fakes.mergePullRequest();
    const run = await apply();
    expect(run.exitCode).toBe(0);
    expect(puts()).toHaveLength(1);
  });
});

describe('fail closed when the reviewed plan is missing', () => {
  it('a merged pull request without a plan comment: refused, nothing sent, and the reason and the ways forward said', async () => {
    fakes.mergePullRequest();
    const run = await apply();
    expect(run.exitCode).toBe(1);
    expect(puts()).toHaveLength(0);
    expect(fakes.lc.account.data_retention_in_days).toBe(365);
    expect(run.stdout).toContain(`::error::No reviewed plan for leadconduit-account.json on pull request #${PR_NUMBER}`);
    expect(run.stdout).toContain('re-run the plan job of the pull request');
    expect(run.stdout).toContain('run this workflow by hand (workflow_dispatch)');
    expect(run.stdout).toContain('set allow-unreviewed-changes: true');
    expect(run.outputs.applied).toBe('false');
  });

  it('the same with allow-unreviewed-changes: true: applied, and the summary says no review was compared', async () => {
    fakes.mergePullRequest();
    const run = await apply({ inputs: { 'allow-unreviewed-changes': 'true' } });
    expect(run.exitCode).toBe(0);
    expect(puts()).toHaveLength(1);
    expect(readable(run.summary)).toContain('Applied without comparing with a reviewed plan because allow-unreviewed-changes is true');
  });

  it('a manual run (workflow_dispatch) applies what the file says now and records that no review was compared', async () => {
    const run = await apply({ event: 'workflow_dispatch' });
    expect(run.exitCode).toBe(0);
    expect(puts()).toHaveLength(1);
    expect(readable(run.summary)).toContain('No reviewed plan was looked for (a workflow_dispatch run)');
  });

  it('a direct push that belongs to no pull request applies, with the note', async () => {
    const run = await apply();
    expect(run.exitCode).toBe(0);
    expect(puts()).toHaveLength(1);
    expect(readable(run.summary)).toContain('this commit belongs to no pull request (a direct push)');
  });

  it('a same-repository pull request whose comment cannot be written (403) fails red, naming the permissions to add', async () => {
    fakes.gh.inject('POST comment', { kind: 'status', status: 403, body: { message: 'Resource not accessible by integration' } });
    const run = await plan();
    expect(run.exitCode).toBe(1);
    expect(run.stdout).toMatch(/::error::Could not comment on the pull request: GitHub answered 403 \(Resource not accessible by integration\)/);
    expect(run.stdout).toContain('add "permissions:" with "contents: read" and "pull-requests: write"');
    expect(run.summary.split('\n')[0]).toBe('### ❌ Failed: the plan comment could not be written');
    expect(run.summary).toContain('Changes in this pull request (2)');
  });

  it('a locked conversation (403) fails red and says to unlock it, not to add permissions', async () => {
    fakes.gh.inject('POST comment', { kind: 'status', status: 403, body: { message: 'Unable to create comment because issue is locked.' } });
    const run = await plan();
    expect(run.exitCode).toBe(1);
    expect(run.stdout).toContain(
      'GitHub answered 403 (Unable to create comment because issue is locked.): the conversation is locked. Unlock it, then re-run the job.',
    );
    expect(run.stdout).not.toContain('permissions:');
  });

  it('a fork pull request with the key whose comment is refused stays green, with the plan in the summary and a warning', async () => {
    await fakes.restartGitHub({ readOnly: true });
    const run = await plan({ payload: forkPayload() });
    expect(run.exitCode).toBe(0);
    expect(run.stdout).toMatch(/^::warning::Could not comment on the pull request: GitHub answered 403/m);
    expect(readable(run.summary)).toContain('a maintainer applies it with a manual (workflow_dispatch) run');
  });

  it('a fork pull request without the key is validated only and does not touch the comment', async () => {
    const run = await plan({ payload: forkPayload(), inputs: { 'api-key': '' } });
    expect(run.exitCode).toBe(0);
    expect(fakes.gh.requests).toEqual([]);
    expect(fakes.lc.requests).toEqual([]);
  });
});

describe("the comment never exceeds GitHub's limit", () => {
  it('a 70,000-character account name: the comment is cut under the limit, its record intact, the summary whole', async () => {
    fakes.lc.account = sampleAccount({ name: `Acme ${'x'.repeat(70_000)}` });
    const run = await plan();
    expect(run.exitCode).toBe(0);
    const [comment] = comments();
    expect(comment?.body.length).toBeLessThanOrEqual(MAX_COMMENT_LENGTH);
    expect(recordedChanges(comment?.body ?? '')?.map((c) => c.path)).toEqual(PLANNED_PATHS);
    expect(comment?.body).toContain('the job summary of the run below shows them whole');
    expect(run.summary).toContain('x'.repeat(70_000));
    fakes.mergePullRequest();
    expect((await apply()).exitCode).toBe(0);
  });
});

describe('the comment never shows a plan that no longer stands', () => {
  it('a later invalid push replaces the plan with the failure and removes the record; the merge is then refused', async () => {
    await plan();
    expect(recordedChanges(comments()[0]?.body ?? '')).toHaveLength(2);
    const broken = await plan({ file: '{"data_retention_in_days": "400"}' });
    expect(broken.exitCode).toBe(1);
    const [comment, ...more] = comments();
    expect(more).toEqual([]);
    expect(recordedChanges(comment?.body ?? '')).toBeNull();
    expect(comment?.body).toContain('\n### ❌ Invalid: 1 problem in leadconduit-account.json\n');
    expect(comment?.body).not.toContain('Merging applies these changes');
    fakes.mergePullRequest();
    const run = await apply();
    expect(run.exitCode).toBe(1);
    expect(puts()).toHaveLength(0);
    expect(run.stdout).toContain('its last plan run failed');
  });

  it('a plan run that fails on LeadConduit (down) replaces the plan with the failure, verdict first', async () => {
    await plan();
    fakes.lc.inject('GET /account', { kind: 'status', status: 503 }, 10);
    const run = await plan();
    expect(run.exitCode).toBe(1);
    const body = comments()[0]?.body ?? '';
    expect(recordedChanges(body)).toBeNull();
    expect(body.split('\n').find((line) => !line.startsWith('<!--'))).toMatch(/^### ❌ Failed: LeadConduit failed on GET \/account/);
  });

  it('a plan run whose LeadConduit hangs until the deadline still has time to replace the plan with the failure', async () => {
    await plan();
    fakes.lc.inject('GET /account', { kind: 'hang' }, 10);
    const run = await fakes.run({ event: 'pull_request', file: DESIRED }, { ...FAST_TUNING, deadlineMs: 2_000, requestTimeoutMs: 10_000 });
    expect(run.exitCode).toBe(1);
    const body = comments()[0]?.body ?? '';
    expect(recordedChanges(body)).toBeNull();
    expect(readable(body)).toContain('❌ Failed');
    expect(run.stdout).not.toContain('Could not comment');
    expect(run.stdout).toContain("the run's deadline for LeadConduit of 1.6 s passed (the run's last 400 ms are kept to report on GitHub)");
  });

  it("a plan for the wrong account (the file's id is another) replaces the plan with the failure", async () => {
    await plan();
    const run = await plan({ file: { ...DESIRED, id: '5fd4371e940df5a34a3888ff' } });
    expect(run.exitCode).toBe(1);
    expect(recordedChanges(comments()[0]?.body ?? '')).toBeNull();
    expect(readable(comments()[0]?.body ?? '')).toContain(`but the API key reads account ${SAMPLE_ACCOUNT_ID}`);
  });
});

describe('the apply writes its outcome on the merged pull request', () => {
  it('applied: on top of the plan comment, with when, the commit and the run; the plan stays below', async () => {
    await plan();
    fakes.mergePullRequest();
    const run = await apply();
    expect(run.exitCode).toBe(0);
    const body = comments()[0]?.body ?? '';
    expect(comments()).toHaveLength(1);
    expect(body).toMatch(
      /### ✅ Applied to LeadConduit\n\n2 changes were applied at \d{4}-\d\d-\d\d \d\d:\d\d UTC from commit <code>dddddddddddd<\/code> \(\[run\]\(https:\/\/github.com\/acme\/settings\/actions\/runs\/4242\)\)/,
    );
    expect(body.indexOf('Applied to LeadConduit')).toBeLessThan(body.indexOf('LeadConduit account plan for'));
    expect(recordedChanges(body)?.map((c) => c.path)).toEqual(PLANNED_PATHS);
    expect(run.outputs['comment-url']).toBe(comments()[0]?.html_url);
  });

  it('refused (a live edit after the review): says which guard stopped it and that nothing was sent', async () => {
    await plan();
    fakes.mergePullRequest();
    fakes.lc.account = { ...fakes.lc.account, data_retention_in_days: 300 };
    const run = await apply();
    expect(run.exitCode).toBe(1);
    expect(puts()).toHaveLength(0);
    const body = readable(comments()[0]?.body ?? '');
    expect(body).toContain('### ⛔ Apply refused: the changes differ from the plan reviewed on pull request #7');
    // Said once, by the explanation; the last line only says when.
    expect(body.match(/Nothing was sent/g)).toHaveLength(1);
    expect(body).toMatch(/\n\nRefused at \d{4}-\d\d-\d\d \d\d:\d\d UTC from commit/);
  });

  it('failed after sending: says the update may or may not have been applied', async () => {
    await plan();
    fakes.mergePullRequest();
    fakes.lc.inject('PUT /account', { kind: 'status', status: 500 }, 10);
    const run = await apply();
    expect(run.exitCode).toBe(1);
    const body = readable(comments()[0]?.body ?? '');
    expect(body).toContain('### ❌ Apply failed: LeadConduit failed on PUT /account');
    expect(body).toContain('The update was sent: it may or may not have been applied');
  });

  it('refused for want of a record: a new comment says so on the merged pull request', async () => {
    fakes.mergePullRequest();
    const run = await apply();
    expect(run.exitCode).toBe(1);
    const [comment] = comments();
    expect(readable(comment?.body ?? '')).toContain('### ⛔ Apply refused: no reviewed plan on pull request #7');
    expect(recordedChanges(comment?.body ?? '')).toBeNull();
  });

  it('a second outcome replaces the first', async () => {
    await plan();
    fakes.mergePullRequest();
    fakes.lc.inject('PUT /account', { kind: 'status', status: 500 }, 4); // every attempt of one apply
    expect((await apply()).exitCode).toBe(1);
    expect(comments()[0]?.body).toContain('Apply failed');
    const again = await apply();
    expect(again.exitCode).toBe(0);
    const body = comments()[0]?.body ?? '';
    expect(body).toContain('Applied to LeadConduit');
    expect(body).not.toContain('Apply failed');
    expect(body.match(/<!-- leadconduit-account-action:outcome -->/g)).toHaveLength(1);
  });

  it('a failure to write the outcome is a warning only: the apply itself stands', async () => {
    await plan();
    fakes.mergePullRequest();
    fakes.gh.inject('PATCH comment', { kind: 'status', status: 403, body: { message: 'Resource not accessible by integration' } });
    const run = await apply();
    expect(run.exitCode).toBe(0);
    expect(puts()).toHaveLength(1);
    expect(run.stdout).toMatch(/^::warning::Could not write the outcome on pull request #7: GitHub answered 403/m);
  });
});

describe('the apply checks what it changed', () => {
  it("a PUT answering with another account's id fails loudly, naming both accounts", async () => {
    await fakes.restartLeadConduit({ putAnswersAccount: sampleAccount({ id: '5fd4371e940df5a34a3888ee', name: 'Globex' }) });
    const run = await apply({ event: 'workflow_dispatch' });
    expect(run.exitCode).toBe(1);
    expect(run.stdout).toContain(
      `::error::LeadConduit applied the update to account 5fd4371e940df5a34a3888ee (Globex), not to account ${SAMPLE_ACCOUNT_ID} (Acme, Inc.), the one that was read and planned.`,
    );
    expect(run.summary.split('\n')[0]).toBe(`### ❌ Failed: the update went to account 5fd4371e940df5a34a3888ee, not ${SAMPLE_ACCOUNT_ID}`);
    expect(run.outputs.applied).toBe('false');
  });

  it('GET /user listing two accounts: the plan says the apply will refuse, and the apply refuses before sending', async () => {
    const other = sampleAccount({ id: '5fd4371e940df5a34a3888ee', name: 'Globex' });
    await fakes.restartLeadConduit({ accountEndpoint: false, userAccounts: [sampleAccount(), other] });
    const file = { ...DESIRED, id: SAMPLE_ACCOUNT_ID };
    const planned = await plan({ file });
    expect(planned.exitCode).toBe(0);
    expect(readable(planned.summary)).toContain(
      "The apply will refuse this plan: LeadConduit does not serve GET /account here and the API key's user has 2 accounts",
    );
    const run = await apply({ file, event: 'workflow_dispatch' });
    expect(run.exitCode).toBe(1);
    expect(puts()).toHaveLength(0);
    expect(run.summary.split('\n')[0]).toBe("### ⛔ Refused: the API key's user has 2 accounts");
  });
});

describe('secrets stay out of the record', () => {
  it('the comment holds no API key, and the record is keyed by a key derived from it', async () => {
    await plan();
    const body = comments()[0]?.body ?? '';
    expect(body).not.toContain(TEST_API_KEY);
    expect(body).not.toContain(Buffer.from(TEST_API_KEY).toString('base64url'));
    expect(recordedChanges(body)).not.toBeUndefined();
  });
});

describe('tried as an attacker would, again', () => {
  /** The plan comment's visible text: what reviewers read, below the hidden lines. */
  const visible = (body: string) =>
    body
      .split('\n')
      .filter((line) => !line.startsWith('<!-- leadconduit-account-action:'))
      .join('\n');

  it('an edit of the plan reviewers read (the record left intact) is seen: the merge is refused', async () => {
    await plan();
    const [comment] = comments();
    // Someone who can edit the comment hides a line of the plan, keeping the hidden lines.
    comment!.body = comment!.body.replace('Merging applies these changes.', 'Nothing to worry about.');
    fakes.mergePullRequest();
    const run = await apply();
    expect(run.exitCode).toBe(1);
    expect(puts()).toHaveLength(0);
    expect(run.stdout).toContain(
      `::error::No reviewed plan for leadconduit-account.json on pull request #${PR_NUMBER}: its plan comment was edited after the action wrote it`,
    );
  });

  it("text slipped in between the outcome's own markers is an edit too: the merge is refused", async () => {
    await plan();
    const [comment] = comments();
    // The outcome's markers are only HTML comments: anyone who can edit the comment can write them.
    const slipped = '<!-- leadconduit-account-action:outcome -->\n**Merging changes nothing.**\n<!-- /leadconduit-account-action:outcome -->';
    comment!.body = comment!.body.replace('Merging applies these changes.', `${slipped}Merging applies these changes.`);
    fakes.mergePullRequest();
    const run = await apply();
    expect(run.exitCode).toBe(1);
    expect(puts()).toHaveLength(0);
    expect(run.stdout).toContain('its plan comment was edited after the action wrote it');
  });

  it("the apply's outcome is signed with the plan: a later run reads the record as the action left it", async () => {
    await plan();
    fakes.mergePullRequest();
    fakes.lc.inject('PUT /account', { kind: 'status', status: 500 }, 4); // every attempt of one apply
    expect((await apply()).exitCode).toBe(1);
    const [comment] = comments();
    // Someone rewrites the outcome the apply wrote: that is an edit of what reviewers read.
    comment!.body = comment!.body.replace('Apply failed', 'Apply succeeded');
    const sent = puts().length;
    const run = await apply();
    expect(run.exitCode).toBe(1);
    expect(puts()).toHaveLength(sent);
    expect(run.stdout).toContain('its plan comment was edited after the action wrote it');
  });

  it("a rotated API key: the old plan comment is the action's own, rewritten and kept as the one comment", async () => {
    fakes.gh.addComment(PR_NUMBER, ownRecordBody([], 'a plan signed with the old key', ACTIONS_BOT.login, 'the-old-api-key'));
    const run = await plan();
    expect(run.exitCode).toBe(0);
    const [comment, ...more] = comments();
    expect(more).toEqual([]);
    expect(recordedChanges(comment?.body ?? '')?.map((c) => c.path)).toEqual(PLANNED_PATHS);
    expect(visible(comment?.body ?? '')).not.toContain('old key');
    expect(readable(run.summary)).not.toContain('Ignored');
  });

  it('300 marker comments by one commenter make one note, with their count', async () => {
    for (let i = 0; i < 300; i++) fakes.gh.addComment(PR_NUMBER, `${MARKER}\nspam ${i}`, { login: 'mallory' });
    const run = await plan();
    expect(run.exitCode).toBe(0);
    const notes = readable(run.summary).match(/Ignored [^\n]*/g) ?? [];
    expect(notes).toEqual([expect.stringContaining("Ignored 300 comments by mallory that carry this action's marker but not its signature")]);
  });

  it('a same-repository pull request with the key but no github-token fails red: its merge would have no record', async () => {
    const run = await plan({ inputs: { 'github-token': '' } });
    expect(run.exitCode).toBe(1);
    expect(run.stdout).toContain('::error::Could not comment on the pull request: the github-token input is empty');
    expect(run.stdout).toContain('Leave github-token at its default');
    expect(run.summary).toContain('<code>data&#95;retention&#95;in&#95;days</code> | <code>365</code> | <code>400</code>');
  });

  it('a fork pull request with the key whose comment is refused has the whole plan in its summary', async () => {
    await fakes.restartGitHub({ readOnly: true });
    const run = await plan({ payload: forkPayload() });
    expect(run.exitCode).toBe(0);
    expect(run.summary.split('\n')[0]).toBe('### 📝 Plan: 2 changes, 0 destructive');
    expect(run.summary).toContain('<code>data&#95;retention&#95;in&#95;days</code> | <code>365</code> | <code>400</code>');
  });

  it('a 70,000-character live value among the changes: the comment, its record and the outcome stay under the limit', async () => {
    const live = sampleAccount();
    fakes.lc.account = { ...live, subscriptions: { ...live.subscriptions, pro: { ...live.subscriptions?.pro, state: 'x'.repeat(70_000) } } } as typeof live;
    const file = { ...DESIRED, subscriptions: { pro: { state: 'active' } } };
    const planned = await plan({ file });
    expect(planned.exitCode).toBe(0);
    const [comment] = comments();
    expect(comment?.body.length).toBeLessThanOrEqual(MAX_COMMENT_LENGTH);
    expect(recordedChanges(comment?.body ?? '')?.map((c) => c.path)).toEqual([...PLANNED_PATHS, 'subscriptions.pro.state'].sort());
    fakes.mergePullRequest();
    const run = await apply({ file });
    expect(run.exitCode).toBe(0);
    expect(puts()).toHaveLength(1);
    expect(comments()[0]?.body.length).toBeLessThanOrEqual(MAX_COMMENT_LENGTH);
    expect(comments()[0]?.body).toContain('### ✅ Applied to LeadConduit');
  });

  it('an outcome whose reason is long and full of characters that escaping lengthens still fits on a plan near the limit', async () => {
    const file = { ...DESIRED, subscriptions: { pro: { state: 'active' } } };
    const live = sampleAccount({ name: 'x'.repeat(70_000) });
    fakes.lc.account = { ...live, subscriptions: { ...live.subscriptions, pro: { ...live.subscriptions?.pro, state: 'active' } } } as typeof live;
    await plan({ file });
    fakes.mergePullRequest();
    // A live edit after the review, its value long and full of underscores (each escaped as &#95;).
    fakes.lc.account = { ...live, subscriptions: { ...live.subscriptions, pro: { ...live.subscriptions?.pro, state: '_'.repeat(20_000) } } } as typeof live;
    const run = await apply({ file });
    expect(run.exitCode).toBe(1);
    expect(puts()).toHaveLength(0);
    const body = comments()[0]?.body ?? '';
    expect(body.length).toBeLessThanOrEqual(MAX_COMMENT_LENGTH);
    expect(body).toContain('### ⛔ Apply refused: the changes differ from the plan reviewed on pull request #');
    expect(run.stdout).not.toContain('Could not write the outcome');
  });
});

describe('every outcome of an apply after a merge is written on the pull request', () => {
  it('refused by the destructive guard', async () => {
    const file = { data_retention_in_days: 30 };
    await plan({ file });
    fakes.mergePullRequest();
    const run = await apply({ file });
    expect(run.exitCode).toBe(1);
    expect(puts()).toHaveLength(0);
    expect(readable(comments()[0]?.body ?? '')).toContain('### ⛔ Apply refused: 1 destructive change is not allowed');
  });

  it('refused by the account guard (GET /user lists two accounts)', async () => {
    await fakes.restartLeadConduit({
      accountEndpoint: false,
      userAccounts: [sampleAccount(), sampleAccount({ id: '5fd4371e940df5a34a3888ee', name: 'Globex' })],
    });
    const file = { ...DESIRED, id: SAMPLE_ACCOUNT_ID };
    await plan({ file });
    fakes.mergePullRequest();
    const run = await apply({ file });
    expect(run.exitCode).toBe(1);
    expect(readable(comments()[0]?.body ?? '')).toContain("### ⛔ Apply refused: the API key's user has 2 accounts");
  });

  it('failed before anything was sent: LeadConduit down while reading', async () => {
    await plan();
    fakes.mergePullRequest();
    fakes.lc.inject('GET /account', { kind: 'status', status: 503 }, 10);
    const run = await apply();
    expect(run.exitCode).toBe(1);
    const body = readable(comments()[0]?.body ?? '');
    expect(body).toContain('### ❌ Apply failed: LeadConduit failed on GET /account');
    expect(body).toContain('Nothing was sent to LeadConduit');
  });

  it('failed: the file on the default branch is invalid', async () => {
    await plan();
    fakes.mergePullRequest();
    const run = await apply({ file: '{"data_retention_in_days": "400"}' });
    expect(run.exitCode).toBe(1);
    expect(readable(comments()[0]?.body ?? '')).toMatch(/### ❌ Apply failed: leadconduit-account\.json has 1 problem/);
  });

  it('nothing to apply: the account already matched', async () => {
    await plan();
    fakes.mergePullRequest();
    fakes.lc.account = sampleAccount({ data_retention_in_days: 400, features: { ...sampleAccount().features, firehose: true } });
    const run = await apply();
    expect(run.exitCode).toBe(0);
    expect(puts()).toHaveLength(0);
    expect(readable(comments()[0]?.body ?? '')).toContain('### ✅ Nothing to apply');
  });
});

describe('an apply started by another event than a push', () => {
  const closed = (merged: boolean) => {
    const payload = pullRequestPayload() as { action: string; pull_request: Record<string, unknown> };
    payload.action = 'closed';
    payload.pull_request.merged = merged;
    return payload;
  };

  it('a pull_request "closed" event of a merge checks that pull request\'s record, and writes the outcome there', async () => {
    await plan();
    const run = await apply({ event: 'pull_request', payload: closed(true), inputs: { mode: 'apply' } });
    expect(run.exitCode).toBe(0);
    expect(puts()).toHaveLength(1);
    expect(readable(run.summary)).toContain(`The changes match the plan reviewed on pull request #${PR_NUMBER}.`);
    expect(comments()[0]?.body).toContain('### ✅ Applied to LeadConduit');
  });

  it('the same after a live edit since the review is refused', async () => {
    await plan();
    fakes.lc.account = { ...fakes.lc.account, data_retention_in_days: 300 };
    const run = await apply({ event: 'pull_request', payload: closed(true), inputs: { mode: 'apply' } });
    expect(run.exitCode).toBe(1);
    expect(puts()).toHaveLength(0);
  });

  it('a pull request that is not merged is refused: nothing is applied before the merge', async () => {
    await plan();
    const run = await apply({ event: 'pull_request', payload: closed(false), inputs: { mode: 'apply' } });
    expect(run.exitCode).toBe(1);
    expect(puts()).toHaveLength(0);
    expect(run.stdout).toContain(`::error::This apply runs on a pull_request event of pull request #${PR_NUMBER}, which is not merged`);
  });

  it('another event (repository_dispatch) cannot be matched with a review: refused unless allow-unreviewed-changes', async () => {
    const run = await apply({ event: 'repository_dispatch', payload: {}, inputs: { mode: 'apply' } });
    expect(run.exitCode).toBe(1);
    expect(puts()).toHaveLength(0);
    expect(run.stdout).toContain('::error::This apply runs on a repository_dispatch event, which cannot be matched with a plan reviewed on a pull request.');
    const allowed = await apply({ event: 'repository_dispatch', payload: {}, inputs: { mode: 'apply', 'allow-unreviewed-changes': 'true' } });
    expect(allowed.exitCode).toBe(0);
    expect(puts()).toHaveLength(1);
  });
});
