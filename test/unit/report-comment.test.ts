/**
 * Unit tests of src/report-comment.ts beyond test/report.test.ts: what the plan comment shows (the
 * PUT body, an invalid file's problems, a failure's explanation), how it shrinks to fit GitHub's
 * limit, the apply's outcome block, and where that block goes in the comment.
 */
import { describe, expect, it } from 'vitest';
import { renderComment, renderOutcome, withOutcome } from '../../src/report-comment.js';
import { ACCOUNT_ID, feature, firehose, runReport } from './report-fixture.js';

const TITLE = '### LeadConduit account plan for <code>leadconduit-account.json</code>';
/** Under a failure's verdict: whose plan the failure replaces. */
const FILE_LINE = 'LeadConduit account plan for <code>leadconduit-account.json</code>';
const BODY_LABEL = '<details><summary>The request the apply will send: PUT /account</summary>';
const CUT_NOTE = '<em>Long values are cut short here; the job summary of the run below shows them whole.</em>';

describe('the plan comment', () => {
  it('opens with the title, the verdict in bold, then the account and the changes', () => {
    const comment = renderComment(runReport(), 'footer');
    expect(
      comment.startsWith(
        `${TITLE}\n\n**📝 Plan: 2 changes, 1 destructive ⚠️**\n\nAccount: Acme, Inc. (<code>${ACCOUNT_ID}</code>)\n\n| Setting | Live | Desired | Note |`,
      ),
    ).toBe(true);
  });

  it('shows the PUT body the apply will send, after the merge note and before the footer', () => {
    const comment = renderComment(runReport({ changes: [firehose], requestBody: { features: { firehose: true } } }), 'footer');
    expect(comment).toContain(
      `Merging applies these changes.\n\n${BODY_LABEL}\n\n\`\`\`json\n{\n  "features": {\n    "firehose": true\n  }\n}\n\`\`\`\n\n</details>\n\n<sub>footer</sub>`,
    );
  });

  it('leaves out an empty PUT body', () => {
    expect(renderComment(runReport({ requestBody: {} }), 'footer')).not.toContain('PUT /account');
  });

  it('of an invalid file: the verdict first, then the file, that nothing was sent, and each problem, without an account', () => {
    const comment = renderComment(
      runReport({
        outcome: 'invalid',
        changes: [],
        account: undefined,
        problems: [{ path: 'features.firehos', message: 'unknown feature', line: 3, column: 5 }],
      }),
      'footer',
    );
    expect(comment).toBe(
      [
        '### ❌ Invalid: 1 problem in leadconduit-account.json',
        FILE_LINE,
        'Nothing was sent. Each problem is annotated on its line of leadconduit-account.json:',
        '- leadconduit-account.json:3:5 <code>features.firehos</code>: unknown feature',
        '<sub>footer</sub>',
      ].join('\n\n'),
    );
  });

  it('of a failed plan: the verdict first, the file, the rest of the explanation (never the verdict again), whether anything was sent, the notes', () => {
    const comment = renderComment(
      runReport({ outcome: 'failed', changes: [], error: 'LeadConduit answered 503 to GET /account: busy.', notes: ['Re-run the job later.'] }),
      'footer',
    );
    expect(
      comment.startsWith(
        `### ❌ Failed: LeadConduit answered 503 to GET /account\n\n${FILE_LINE}\n\nBusy.\n\nNothing was sent to LeadConduit.\n\n> Re-run the job later.\n\n`,
      ),
    ).toBe(true);
    expect(comment).not.toContain('### LeadConduit account plan');
  });

  it('of a refusal, like any run that made no plan: the verdict first, then the file', () => {
    const refused = runReport({ outcome: 'refused', changes: [], reason: 'a guard', error: 'A guard stopped it: why. Nothing was sent.' });
    expect(renderComment(refused, 'footer').split('\n\n').slice(0, 3)).toEqual(['### ⛔ Refused: a guard', FILE_LINE, 'Why. Nothing was sent.']);
    expect(renderComment(refused, 'footer', 50)).toContain('This report is too long for a pull request comment');
  });

  it('of a failure too long to fit: still the verdict first, the file, and a pointer to the job summary', () => {
    const comment = renderComment(runReport({ outcome: 'failed', changes: [], error: `GET /account failed: ${'x'.repeat(70_000)}` }), 'footer', 200);
    expect(comment.split('\n\n')).toEqual([
      '### ❌ Failed: GET /account failed',
      FILE_LINE,
      'This report is too long for a pull request comment: the whole of it is in the job summary of the run below.',
      '<sub>footer</sub>',
    ]);
  });

  it.each([
    ['a plan', runReport()],
    ['no changes', runReport({ outcome: 'no-changes', changes: [] })],
    ['a failure', runReport({ outcome: 'failed', error: 'GET /account failed: 503.', changes: [], account: undefined })],
  ])('of %s holds no empty paragraph', (_name, report) => {
    expect(renderComment(report, 'footer')).not.toMatch(/\n\n\n/);
  });
});

describe("the plan comment under GitHub's limit", () => {
  it('is whole when it fits exactly', () => {
    const report = runReport({ requestBody: { features: { firehose: true } } });
    const whole = renderComment(report, 'footer');
    expect(renderComment(report, 'footer', whole.length)).toBe(whole);
  });

  it('cuts long values to 2,000 characters first, and keeps the PUT body', () => {
    const comment = renderComment(
      runReport({ account: { id: ACCOUNT_ID, name: 'A'.repeat(70_000) }, requestBody: { features: { firehose: true } } }),
      'footer',
    );
    expect(comment).toContain(`Account: ${'A'.repeat(1_999)}… (<code>${ACCOUNT_ID}</code>)`);
    expect(comment).toContain(BODY_LABEL);
    expect(comment).toContain(`${CUT_NOTE}\n\n<sub>footer</sub>`);
  });

  it('leaves out a PUT body too large to fit, and keeps the changes', () => {
    // The body sends back every live feature, managed or not: it can be far longer than the changes.
    const features = Object.fromEntries(Array.from({ length: 3_000 }, (_, i) => [`feature_${i}`, true]));
    const comment = renderComment(runReport({ changes: [firehose], requestBody: { features } }), 'footer');
    expect(comment.length).toBeLessThanOrEqual(60_000);
    expect(comment).not.toContain('PUT /account');
    expect(comment).toContain('| <code>features.firehose</code> | <code>false</code> | <code>true</code> |  |');
    expect(comment).toContain(CUT_NOTE);
  });

  it('as a last resort is the title, the verdict and a pointer to the job summary', () => {
    const many = runReport({ changes: Array.from({ length: 3_000 }, (_, i) => feature(`f${i}`)) });
    expect(renderComment(many, 'footer')).toBe(
      [
        TITLE,
        '**📝 Plan: 3000 changes, 0 destructive**',
        'This plan is too long for a pull request comment: the whole of it is in the job summary of the run below.',
        '<sub>footer</sub>',
      ].join('\n\n'),
    );
  });
});

describe('the apply outcome', () => {
  const when = new Date('2026-11-28T10:00:00.123Z');
  const commit = 'd'.repeat(40);
  const runUrl = 'https://github.com/acme/settings/actions/runs/1';

  it('says nothing twice: not the reason (the explanation\'s first clause), nor "nothing was sent" when it says so', () => {
    const invalid = runReport({
      outcome: 'invalid',
      mode: 'apply',
      error: 'leadconduit-account.json has 1 problem (each is annotated on its line); nothing was sent.',
    });
    expect(renderOutcome(invalid, when)).toBe(
      '### ❌ Apply failed: leadconduit-account.json has 1 problem (each is annotated on its line); nothing was sent\n\nFailed at 2026-11-28 10:00 UTC.',
    );
    const refused = runReport({ outcome: 'refused', mode: 'apply', reason: 'a guard', error: 'A guard stopped it. Nothing was sent. Re-run it.' });
    expect(renderOutcome(refused, when)).toBe('### ⛔ Apply refused: a guard\n\nNothing was sent. Re-run it.\n\nRefused at 2026-11-28 10:00 UTC.');
    // Once the update went out, what was sent is always said.
    const sent = runReport({ outcome: 'failed', mode: 'apply', error: 'Verify failed: nothing was changed as asked.', bodySent: true });
    expect(renderOutcome(sent, when)).toContain('The update was sent: it may or may not have been applied.');
  });

  it('cuts its texts to the given length, so that it fits on top of a long plan', () => {
    const long = runReport({ outcome: 'refused', mode: 'apply', reason: 'r'.repeat(500), error: `Refused: ${'E'.repeat(5_000)}.` });
    const short = renderOutcome(long, when, 40);
    expect(short).toContain(`### ⛔ Apply refused: ${'r'.repeat(39)}…\n\n${'E'.repeat(39)}…`);
    expect(renderOutcome(long, when).length).toBeGreaterThan(1_500);
  });

  it('of one change says "change was", and names no commit or run when the trigger is unknown', () => {
    expect(renderOutcome(runReport({ outcome: 'applied', mode: 'apply', changes: [firehose] }), when)).toBe(
      '### ✅ Applied to LeadConduit\n\n1 change was applied at 2026-11-28 10:00 UTC; the account now matches <code>leadconduit-account.json</code>.',
    );
  });

  it('names the commit without a run link when the run is unknown', () => {
    const report = runReport({ outcome: 'applied', mode: 'apply', trigger: { actor: 'octo', event: 'push', commit } });
    expect(renderOutcome(report, when)).toContain('2 changes were applied at 2026-11-28 10:00 UTC from commit <code>dddddddddddd</code>; the account');
  });

  it('says nothing was applied when the account already matched', () => {
    const report = runReport({ outcome: 'no-changes', mode: 'apply', changes: [], trigger: { actor: 'octo', event: 'push', commit, runUrl } });
    expect(renderOutcome(report, when)).toBe(
      `### ✅ Nothing to apply\n\nAt 2026-11-28 10:00 UTC from commit <code>dddddddddddd</code> ([run](${runUrl})) the account already matched <code>leadconduit-account.json</code>; nothing was sent.`,
    );
  });

  it('of a refusal: the guard, the rest of the explanation, and that nothing was sent, with the time', () => {
    const report = runReport({
      outcome: 'refused',
      mode: 'apply',
      reason: 'destructive changes are not allowed',
      error: 'Refusing to apply 1 destructive change: data_retention_in_days 365 -> 30.',
    });
    expect(renderOutcome(report, when)).toBe(
      '### ⛔ Apply refused: destructive changes are not allowed\n\ndata&#95;retention&#95;in&#95;days 365 -&#62; 30.\n\nNothing was sent to LeadConduit (2026-11-28 10:00 UTC).',
    );
  });

  it('of a failure: the rest of the error under its first clause, and whether the update was sent', () => {
    const report = runReport({ outcome: 'failed', mode: 'apply', error: 'PUT /account timed out: no answer in 30 s. Re-run the job.', bodySent: true });
    expect(renderOutcome(report, when)).toBe(
      '### ❌ Apply failed: PUT /account timed out\n\nNo answer in 30 s. Re-run the job.\n\n' +
        'The update was sent: it may or may not have been applied. Re-run the job, which reads the account again and sends only what still differs. (2026-11-28 10:00 UTC)',
    );
  });

  it('of an update LeadConduit accepted but that did not take: the settings that differ, and no "may or may not"', () => {
    const report = runReport({
      outcome: 'failed',
      mode: 'apply',
      error: 'The update was sent, but 1 setting does not match the file after it.',
      bodySent: true,
      mismatches: [{ path: 'features.firehose', expected: true, actual: false }],
    });
    const outcome = renderOutcome(report, when);
    expect(outcome).toContain('| <code>features.firehose</code> | <code>true</code> | <code>false</code> |');
    expect(outcome).toContain("LeadConduit accepted the update, but the settings above do not hold the file's values.");
    expect(outcome).not.toContain('may or may not');
  });

  it('cuts a value in the table of settings that differ at 200 characters, however much room the block has', () => {
    const report = runReport({
      outcome: 'failed',
      mode: 'apply',
      error: 'The update was sent, but 1 setting does not match the file after it.',
      bodySent: true,
      mismatches: [{ path: 'subscriptions.pro.state', expected: 'active', actual: 'x'.repeat(1_000) }],
    });
    expect(renderOutcome(report, when)).toContain(`| <code>&#34;active&#34;</code> | <code>&#34;${'x'.repeat(198)}…</code> |`);
  });

  it.each(['refused', 'failed'] as const)('of a %s apply without an error message shows no made-up text', (outcome) => {
    const paragraphs = renderOutcome(runReport({ outcome, mode: 'apply' }), when)
      .split('\n\n')
      .filter((p) => p !== '');
    expect(paragraphs).toHaveLength(2);
    expect(paragraphs[0]).toMatch(/: the run failed$/);
    expect(paragraphs[1]).toMatch(/^Nothing was sent to LeadConduit.? \(2026-11-28 10:00 UTC\)\.?$/);
  });
});

describe('the outcome block in the comment', () => {
  const START = '<!-- leadconduit-account-action:outcome -->';
  const END = '<!-- /leadconduit-account-action:outcome -->';
  const markers = '<!-- leadconduit-account-action:comment file=a.json -->\n<!-- leadconduit-account-action:record:v2 x y -->';

  it('goes right after the hidden markers, between its own markers, above the plan', () => {
    expect(withOutcome(`${markers}\n### plan\n\ntable`, '### ✅ done')).toBe(`${markers}\n${START}\n### ✅ done\n\n---\n${END}\n### plan\n\ntable`);
  });

  it('is the whole comment after the markers when there is no plan', () => {
    expect(withOutcome(markers, '### ✅ done')).toBe(`${markers}\n${START}\n### ✅ done\n\n---\n${END}\n`);
  });

  it('replaces an earlier outcome: the comment is as if only the last one was written', () => {
    const body = `${markers}\n### plan\n\ntable`;
    expect(withOutcome(withOutcome(body, '### ❌ failed'), '### ✅ done')).toBe(withOutcome(body, '### ✅ done'));
    expect(withOutcome(withOutcome(markers, '### ❌ failed'), '### ✅ done')).toBe(withOutcome(markers, '### ✅ done'));
  });

  it('drops blank lines between the markers and the plan', () => {
    expect(withOutcome(`${markers}\n\n\n### plan`, 'X')).toBe(`${markers}\n${START}\nX\n\n---\n${END}\n### plan`);
  });

  it('keeps the text of a half outcome block (a start or an end marker alone) as it is', () => {
    expect(withOutcome(`${markers}\n${START}\nold`, 'X')).toBe(`${markers}\n${START}\nX\n\n---\n${END}\n${START}\nold`);
    expect(withOutcome(`${markers}\nold\n${END}\nplan`, 'X')).toBe(`${markers}\n${START}\nX\n\n---\n${END}\nold\n${END}\nplan`);
  });

  it('counts as hidden markers only lines that begin with one', () => {
    const body = 'quoted: <!-- leadconduit-account-action:comment file=a.json -->\nplan';
    expect(withOutcome(body, 'X').endsWith(`${START}\nX\n\n---\n${END}\n${body}`)).toBe(true);
  });
});
