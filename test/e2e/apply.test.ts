import { readFile } from 'node:fs/promises';
import { describe, expect, it } from 'vitest';
import { PR_NUMBER, type ActionSetup } from '../support/action-env.js';
import { useFakes } from '../support/e2e.js';
import { SECRET_VALUES, TEST_API_KEY } from '../support/sample-account.js';

const fakes = useFakes();

const action = (setup: Partial<ActionSetup> = {}) => fakes.run({ event: 'push', ...setup });

const DESIRED = { data_retention_in_days: 400, features: { firehose: true }, subscriptions: { pro: { state: 'active' } } };

function puts() {
  return fakes.lc.requests.filter((r) => r.method === 'PUT');
}

describe('apply on push to main', () => {
  it('sends one PUT with only the changed top-level fields, nested objects overlaid on live, and verifies', async () => {
    const before = fakes.lc.account;
    const run = await action({ file: DESIRED });
    expect(run.exitCode).toBe(0);
    expect(puts()).toHaveLength(1);
    const body = puts()[0]?.json as Record<string, unknown>;
    expect(Object.keys(body).sort()).toEqual(['data_retention_in_days', 'features', 'subscriptions']);
    expect(body.features).toEqual({ ...before.features, firehose: true });
    // Every subscription with its person-managed fields only: base unchanged, no timestamps.
    expect(body.subscriptions).toEqual({
      base: { state: 'active', product_offering_component: 'base' },
      pro: { state: 'active', product_offering_component: 'pro' },
    });
    expect(fakes.lc.account.features?.firehose).toBe(true);
    expect(fakes.lc.account.data_retention_in_days).toBe(400);
    expect(run.outputs).toMatchObject({ applied: 'true', changed: 'true', 'change-count': '3' });
    expect(run.summary.split('\n')[0]).toBe('### ✅ Applied: 3 changes, 0 destructive');
    expect(run.summary).toContain('| Setting | Before | After | Note |');
    expect(run.summary).toContain('The request sent: PUT /account');
  });

  it('shows each step as a collapsible group in the log: Validate, Read the live account, Apply, Verify', async () => {
    const run = await action({ file: DESIRED });
    const groups = run.stdout.split('\n').filter((line) => line.startsWith('::group::') || line === '::endgroup::');
    expect(groups).toEqual([
      '::group::Validate',
      '::endgroup::',
      '::group::Read the live account',
      '::endgroup::',
      '::group::Apply',
      '::endgroup::',
      '::group::Verify',
      '::endgroup::',
    ]);
    const apply = run.stdout.slice(run.stdout.indexOf('::group::Apply'), run.stdout.indexOf('::group::Verify'));
    expect(apply).toContain('Sending PUT /account with data_retention_in_days, features, subscriptions.');
  });

  it('sends only the changed field when nothing nested changes', async () => {
    const run = await action({ file: { data_retention_in_days: 400, features: { seller_access: true } } });
    expect(run.exitCode).toBe(0);
    expect(puts()[0]?.json).toEqual({ data_retention_in_days: 400 });
  });

  it('keeps unmanaged nested settings when the server replaces nested objects', async () => {
    await fakes.restartLeadConduit({ nested: 'replace' });
    const before = fakes.lc.account;
    const run = await action({ file: { features: { firehose: true }, subscriptions: { pro: { state: 'active' } } } });
    expect(run.exitCode).toBe(0);
    expect(fakes.lc.account.features).toEqual({ ...before.features, firehose: true });
    expect(fakes.lc.account.subscriptions?.base).toEqual(before.subscriptions?.base);
    expect(fakes.lc.account.subscriptions?.pro?.state).toBe('active');
  });

  it('sends nothing when the account already matches', async () => {
    const run = await action({ file: { data_retention_in_days: 365, features: { firehose: false } } });
    expect(run.exitCode).toBe(0);
    expect(puts()).toHaveLength(0);
    expect(run.outputs).toMatchObject({ applied: 'false', changed: 'false' });
    expect(run.summary).toContain('Nothing to apply');
    // Only whether the commit came from a pull request, whose comment would get the outcome.
    expect(fakes.gh.requests.map((r) => r.route)).toEqual(['GET commit pulls']);
  });

  it('refuses destructive changes without allow-destructive, naming each, and sends nothing', async () => {
    const run = await action({ file: { data_retention_in_days: 30, data_truncated_at: '2024-01-01T00:00:00Z', features: { firehose: true } } });
    expect(run.exitCode).toBe(1);
    expect(run.stdout).toContain('::error::Refusing to apply 2 destructive changes: data_retention_in_days 365 -> 30');
    expect(run.stdout).toContain('data_truncated_at "2023-11-07T05:31:56Z" -> "2024-01-01T00:00:00Z"');
    expect(run.stdout).toContain('Nothing was sent. If this is intended, set allow-destructive: true');
    expect(puts()).toHaveLength(0);
    expect(run.outputs.applied).toBe('false');
    expect(run.summary.split('\n')[0]).toBe('### ⛔ Refused: 2 destructive changes are not allowed');
  });

  it('applies destructive changes with allow-destructive: true', async () => {
    const run = await action({ file: { data_retention_in_days: 30 }, inputs: { 'allow-destructive': 'true' } });
    expect(run.exitCode).toBe(0);
    expect(puts()).toHaveLength(1);
    expect(fakes.lc.account.data_retention_in_days).toBe(30);
    expect(run.summary).toContain('Applied: 1 change, 1 destructive');
  });

  it('fails naming each setting the server did not take', async () => {
    await fakes.restartLeadConduit({ ignorePaths: ['features.firehose'] });
    const run = await action({ file: DESIRED });
    expect(run.exitCode).toBe(1);
    expect(run.stdout).toContain(
      '::error::LeadConduit accepted the update, but 1 setting does not match the file afterwards: features.firehose is false, expected true.',
    );
    expect(run.summary).toContain('Settings that do not match the file after the update');
    expect(run.outputs.applied).toBe('false');
  });

  it('fails clearly without an API key and sends nothing', async () => {
    const run = await action({ file: DESIRED, inputs: { 'api-key': '' } });
    expect(run.exitCode).toBe(1);
    expect(run.stdout).toContain('::error::Input "api-key" is empty: apply mode reads the live account and needs the LeadConduit API key');
    expect(fakes.lc.requests).toHaveLength(0);
  });

  it('applies on a manual run (workflow_dispatch) and says no reviewed plan was looked for', async () => {
    const run = await action({ file: DESIRED, event: 'workflow_dispatch' });
    expect(run.exitCode).toBe(0);
    expect(puts()).toHaveLength(1);
    expect(run.summary).toContain('No reviewed plan was looked for (a workflow&#95;dispatch run)');
    expect(fakes.gh.requests).toHaveLength(0);
  });

  it('never leaks the API key or account secrets into logs, summary or outputs with debug on', async () => {
    const run = await action({ file: DESIRED, env: { RUNNER_DEBUG: '1' } });
    expect(run.exitCode).toBe(0);
    for (const secret of [TEST_API_KEY, ...SECRET_VALUES]) expect(run.everything).not.toContain(secret);
    expect(run.everything).not.toContain('ghs_fake_token_123');
    const previous = await readFile(run.outputs['previous-state-file'] ?? '', 'utf8');
    for (const secret of SECRET_VALUES) expect(previous).not.toContain(secret);
  });
});

describe.each(['merge', 'replace'] as const)('a subscription state change, against a server that %ss nested objects and stamps timestamps itself', (nested) => {
  const NOW = '2030-05-06T07:08:09.000Z';

  it('sends no timestamp, passes the read-after-write check, and leaves the unchanged subscription as it was', async () => {
    await fakes.restartLeadConduit({ nested, now: () => new Date(NOW) });
    const before = fakes.lc.account;
    const run = await action({ file: { subscriptions: { pro: { state: 'active' } } } });
    expect(run.exitCode).toBe(0);
    expect(run.outputs).toMatchObject({ applied: 'true', 'change-count': '1' });
    expect(run.summary.split('\n')[0]).toBe('### ✅ Applied: 1 change, 0 destructive');
    expect(puts()).toHaveLength(1);
    const sent = JSON.stringify(puts()[0]?.json);
    for (const field of ['created_at', 'updated_at', 'active_at', 'inactive_at']) expect(sent).not.toContain(field);
    // LeadConduit stamped the change; the untouched subscription kept everything.
    expect(fakes.lc.account.subscriptions?.pro).toEqual({ ...before.subscriptions?.pro, state: 'active', updated_at: NOW, active_at: NOW });
    expect(fakes.lc.account.subscriptions?.base).toEqual(before.subscriptions?.base);
    // Neither the summary nor the outputs mention a timestamp the file does not set.
    for (const text of [run.summary, run.outputs.changes ?? '']) expect(text).not.toMatch(/created_at|updated_at|active_at|inactive_at/);

    // The next run finds nothing to do: the stamps are LeadConduit's, not drift.
    fakes.lc.requests.length = 0;
    const again = await action({ file: { subscriptions: { pro: { state: 'active' } } }, event: 'schedule' });
    expect(again.exitCode).toBe(0);
    expect(again.summary).toContain('No changes: the live account matches');
    expect(puts()).toHaveLength(0);
  });
});

describe('rollback', () => {
  it('writes the managed settings as they were before as a ready-to-commit file, and records the trigger', async () => {
    const run = await action({ file: { $schema: './schema.json', ...DESIRED } });
    expect(run.exitCode).toBe(0);
    const path = run.outputs['previous-state-file'] ?? '';
    expect(path).toBe(`${run.env.RUNNER_TEMP}/leadconduit-account.previous.json`);
    expect(JSON.parse(await readFile(path, 'utf8'))).toEqual({
      $schema: './schema.json',
      data_retention_in_days: 365,
      features: { firehose: false },
      subscriptions: { pro: { state: 'inactive' } },
    });
    expect(run.summary).toContain('Roll back: the managed settings as they were before this apply');
    expect(run.summary).toContain('To undo this apply, commit this as <code>leadconduit-account.json</code>');
    expect(run.summary).toMatch(
      /- \*\*Triggered by:\*\* octo-ops \(push, commit <code>dddddddddddd<\/code>.*\[run\]\(https:\/\/github.com\/acme\/settings\/actions\/runs\/4242\)\)/,
    );
  });
});

describe('reviewed-plan guard', () => {
  async function reviewOnPullRequest(file: object) {
    const planRun = await fakes.run({ event: 'pull_request', file });
    expect(planRun.exitCode).toBe(0);
    fakes.mergePullRequest();
    fakes.lc.requests.length = 0;
  }

  it('applies when the changes are the ones reviewed on the pull request', async () => {
    await reviewOnPullRequest(DESIRED);
    const run = await action({ file: DESIRED });
    expect(run.exitCode).toBe(0);
    expect(puts()).toHaveLength(1);
    expect(run.summary.replaceAll('\u200D', '')).toContain(`The changes match the plan reviewed on pull request #${PR_NUMBER}.`);
    expect(run.summary).toContain(`pull request [#${PR_NUMBER}](https://github.com/acme/settings/pull/${PR_NUMBER})`);
  });

  it('refuses, sending nothing, when the live account changed after the review', async () => {
    await reviewOnPullRequest(DESIRED);
    fakes.lc.account = { ...fakes.lc.account, data_retention_in_days: 500 }; // someone edits the UI after the review
    const run = await action({ file: DESIRED, inputs: { 'allow-destructive': 'true' } });
    expect(run.exitCode).toBe(1);
    expect(run.stdout).toContain(
      `::error::The changes to send differ from the plan reviewed on pull request #${PR_NUMBER}: reviewed data_retention_in_days 365 -> 400`,
    );
    expect(run.stdout).toContain('now data_retention_in_days 500 -> 400');
    expect(puts()).toHaveLength(0);
    expect(fakes.lc.account.data_retention_in_days).toBe(500);
  });

  it('applies the changed plan with allow-unreviewed-changes: true, and says so', async () => {
    await reviewOnPullRequest(DESIRED);
    fakes.lc.account = { ...fakes.lc.account, features: { ...fakes.lc.account.features, seller_access: false } };
    const run = await action({ file: { ...DESIRED, features: { firehose: true, seller_access: true } }, inputs: { 'allow-unreviewed-changes': 'true' } });
    expect(run.exitCode).toBe(0);
    expect(puts()).toHaveLength(1);
    expect(run.summary).toContain('Applied anyway because allow-unreviewed-changes is true');
  });

  it('refuses, sending nothing, when the reviewed plan cannot be looked up (GitHub failing)', async () => {
    await reviewOnPullRequest(DESIRED);
    fakes.gh.inject('GET commit pulls', { kind: 'status', status: 502 }, 10);
    const run = await action({ file: DESIRED });
    expect(run.exitCode).toBe(1);
    expect(run.stdout).toMatch(
      /::error::Could not look up the reviewed plan: .*502.* Nothing was sent: the changes could not be compared with the plan reviewed on the pull request\. Re-run the job, or set allow-unreviewed-changes: true\./,
    );
    expect(puts()).toHaveLength(0);
  });

  it('applies without the comparison when GitHub fails and allow-unreviewed-changes is true, and says so', async () => {
    fakes.gh.inject('GET commit pulls', { kind: 'status', status: 502 }, 10);
    const run = await action({ file: DESIRED, inputs: { 'allow-unreviewed-changes': 'true' } });
    expect(run.exitCode).toBe(0);
    expect(puts()).toHaveLength(1);
    expect(run.summary).toContain('Applied without comparing with a reviewed plan because allow-unreviewed-changes is true');
  });

  it('applies a direct push (no pull request) and says no reviewed plan was found', async () => {
    const run = await action({ file: DESIRED });
    expect(run.exitCode).toBe(0);
    expect(puts()).toHaveLength(1);
    expect(run.summary).toContain('No reviewed plan was found: this commit belongs to no pull request (a direct push)');
  });
});

describe('check (scheduled drift detection)', () => {
  it('passes when the live account matches', async () => {
    const run = await action({ file: { data_retention_in_days: 365 }, event: 'schedule' });
    expect(run.exitCode).toBe(0);
    expect(run.summary).toContain('No changes: the live account matches');
    expect(puts()).toHaveLength(0);
    expect(fakes.gh.requests).toHaveLength(0);
    expect(run.outputs['drift-file']).toBe('');
  });

  it('fails on drift and writes the file updated with the live values, keeping its formatting', async () => {
    const text = '{\n\t"features": {\n\t\t"firehose": true,\n\t\t"seller_access": true\n\t},\n\t"data_retention_in_days": 90\n}\n';
    const run = await action({ file: text, event: 'schedule' });
    expect(run.exitCode).toBe(1);
    expect(run.stdout).toContain(
      '::error::Drift: 2 settings in the live account differ from leadconduit-account.json: data_retention_in_days (live 365, file 90); features.firehose (live false, file true)',
    );
    expect(puts()).toHaveLength(0);
    expect(run.outputs['drift-file']).toBe(`${run.env.RUNNER_TEMP}/leadconduit-account.drift.json`);
    const drift = await readFile(run.outputs['drift-file'] ?? '', 'utf8');
    expect(drift).toBe('{\n\t"features": {\n\t\t"firehose": false,\n\t\t"seller_access": true\n\t},\n\t"data_retention_in_days": 365\n}\n');
    expect(run.summary.split('\n')[0]).toBe('### ⚠️ Drift: the live account differs from leadconduit-account.json in 2 settings');
  });

  it('names the drift file after the whole path, so a matrix of files in folders keeps each', async () => {
    const run = await action({ file: { data_retention_in_days: 90 }, fileName: 'accounts/acme.json', event: 'schedule' });
    expect(run.exitCode).toBe(1);
    expect(run.outputs['drift-file']).toBe(`${run.env.RUNNER_TEMP}/accounts-acme.drift.json`);
  });

  it('fails clearly without an API key', async () => {
    const run = await action({ file: DESIRED, event: 'schedule', inputs: { 'api-key': '' } });
    expect(run.exitCode).toBe(1);
    expect(run.stdout).toContain('::error::Input "api-key" is empty: check mode');
    expect(fakes.lc.requests).toHaveLength(0);
  });
});
