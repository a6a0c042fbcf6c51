/**
 * Every failure the report can show says its verdict once: the `###` headline is the verdict and
 * one short sentence, and the explanation under it, in the job summary, in the failed plan's
 * comment (which starts with that verdict) and in the apply's outcome on the pull request, never
 * says that sentence again. Each kind is made as it happens, against the loopback fakes.
 */
import { describe, expect, it } from 'vitest';
import { PR_NUMBER, type ActionRun, type ActionSetup } from '../support/action-env.js';
import { useFakes } from '../support/e2e.js';
import { SAMPLE_ACCOUNT_ID, sampleAccount } from '../support/sample-account.js';
import { expectVerdictSaidOnce, readable, verdictAndBody } from '../support/verdict.js';

const fakes = useFakes();

const DESIRED = { data_retention_in_days: 400, features: { firehose: true } };
const plan = (setup: Partial<ActionSetup> = {}) => fakes.run({ event: 'pull_request', file: DESIRED, ...setup });
const apply = (setup: Partial<ActionSetup> = {}) => fakes.run({ event: 'push', file: DESIRED, ...setup });
const comment = () => fakes.gh.commentsOf(PR_NUMBER)[0]?.body;

/** The summary, and the pull request's comment when the run wrote one: each says its verdict once. */
function expectEachSaidOnce(run: ActionRun, options: { comment?: boolean } = {}): void {
  expectVerdictSaidOnce(run.summary, 'the job summary');
  const body = comment();
  if (options.comment === true) expect(body, 'a comment on the pull request').toBeDefined();
  if (options.comment !== false && body !== undefined) expectVerdictSaidOnce(body, 'the pull request comment');
}

describe('a failure says its verdict once, in the summary and on the pull request', () => {
  it('LeadConduit rejects the API key (401) during a plan', async () => {
    fakes.lc.inject('GET /account', { kind: 'status', status: 401, body: { message: 'Unauthorized' } }, 10);
    const run = await plan();
    expect(run.summary.split('\n')[0]).toBe('### ❌ Failed: LeadConduit rejected the API key (401 Unauthorized) on GET /account');
    expectEachSaidOnce(run, { comment: true });
  });

  it("the file is for another account than the API key's", async () => {
    const run = await plan({ file: { ...DESIRED, id: '5fd4371e940df5a34a3888ff' } });
    expect(readable(run.summary.split('\n')[0] ?? '')).toBe(
      `### ❌ Failed: leadconduit-account.json is for account 5fd4371e940df5a34a3888ff, but the API key reads account ${SAMPLE_ACCOUNT_ID} (Acme, Inc.)`,
    );
    expectEachSaidOnce(run, { comment: true });
  });

  it('LeadConduit is down (503) during a plan: the comment starts with the verdict, and still names the file', async () => {
    fakes.lc.inject('GET /account', { kind: 'status', status: 503, body: { message: 'busy' } }, 10);
    await plan();
    expectEachSaidOnce(await plan(), { comment: true });
    const lines = (comment() ?? '').split('\n').filter((line) => line !== '' && !line.startsWith('<!--'));
    expect(lines[0]).toMatch(/^### ❌ Failed: LeadConduit failed on GET \/account \(503 Service Unavailable\)/);
    expect(lines[1]).toBe('LeadConduit account plan for <code>leadconduit-account.json</code>');
  });

  it('the api-key input is empty: an apply fails, a pull request is validated only', async () => {
    const applied = await apply({ event: 'workflow_dispatch', inputs: { 'api-key': '' } });
    expect(applied.summary.split('\n')[0]).toBe('### ❌ Invalid input: Input &#34;api-key&#34; is empty');
    expectEachSaidOnce(applied);
    const planned = await plan({ inputs: { 'api-key': '' } });
    expect(planned.exitCode).toBe(0);
    expect(planned.summary.split('\n')[0]).toBe('### ✅ Valid: leadconduit-account.json passed validation; the live account was not compared');
    expectEachSaidOnce(planned);
    expect(readable(planned.summary)).toContain('The api-key input is empty.');
  });

  it('an input that is wrong (base-url over plain http)', async () => {
    expectEachSaidOnce(await plan({ inputs: { 'base-url': 'http://example.com' } }));
  });

  it('an invalid file', async () => {
    expectEachSaidOnce(await plan({ file: { features: { firehos: true } } }), { comment: true });
  });

  it('a managed live value of an odd kind: listed once', async () => {
    const account = sampleAccount();
    Object.assign(account.features, { firehose: 'yes' });
    await fakes.restartLeadConduit({ account });
    const run = await plan();
    expectEachSaidOnce(run, { comment: true });
    expect(readable(run.summary).match(/features\.firehose is the string "yes"/g)).toHaveLength(1);
  });

  it('a destructive change, refused', async () => {
    expectEachSaidOnce(await apply({ event: 'workflow_dispatch', file: { data_retention_in_days: 30 } }));
  });

  it("two accounts behind the API key's user (GET /user), refused", async () => {
    await fakes.restartLeadConduit({ accountEndpoint: false, userAccounts: [sampleAccount(), sampleAccount({ id: '5fd4371e940df5a34a3888ee' })] });
    const run = await apply({ event: 'workflow_dispatch', file: { ...DESIRED, id: SAMPLE_ACCOUNT_ID } });
    expect(run.summary.split('\n')[0]).toBe("### ⛔ Refused: the API key's user has 2 accounts");
    expectEachSaidOnce(run);
  });

  it('a merged pull request without a reviewed plan, refused: the summary and the outcome on the pull request', async () => {
    fakes.mergePullRequest();
    expectEachSaidOnce(await apply());
  });

  it('changes that differ from the reviewed plan, refused', async () => {
    await plan();
    // Someone changes the retention in LeadConduit after the review.
    await fakes.restartLeadConduit({ account: sampleAccount({ data_retention_in_days: 500 }) });
    fakes.mergePullRequest();
    const run = await apply();
    expect(run.exitCode).toBe(1);
    expectEachSaidOnce(run, { comment: true });
  });

  it('a setting LeadConduit does not take: the summary and the outcome name it once, in their table', async () => {
    await fakes.restartLeadConduit({ ignorePaths: ['features.firehose'] });
    await plan();
    fakes.mergePullRequest();
    const run = await apply();
    expect(run.exitCode).toBe(1);
    expectEachSaidOnce(run, { comment: true });
    for (const text of [run.summary, verdictAndBody(comment() ?? '').body]) {
      expect(readable(text)).not.toContain('is false, expected true');
      expect(readable(text)).toContain('| features.firehose | true | false |');
    }
  });

  it('the update went to another account', async () => {
    await fakes.restartLeadConduit({ putAnswersAccount: sampleAccount({ id: '5fd4371e940df5a34a3888ee', name: 'Globex' }) });
    expectEachSaidOnce(await apply({ event: 'workflow_dispatch' }));
  });

  it('a PUT that fails after the merge: the outcome says so once', async () => {
    await plan();
    fakes.mergePullRequest();
    fakes.lc.inject('PUT /account', { kind: 'status', status: 422, body: { message: 'data_retention_in_days is beyond your plan' } });
    const run = await apply();
    expect(run.exitCode).toBe(1);
    expectEachSaidOnce(run, { comment: true });
  });

  it('the plan comment cannot be written (403)', async () => {
    fakes.gh.inject('POST comment', { kind: 'status', status: 403, body: { message: 'Resource not accessible by integration' } });
    const run = await plan();
    expect(run.summary.split('\n')[0]).toBe('### ❌ Failed: the plan comment could not be written');
    expectEachSaidOnce(run, { comment: false });
  });
});
