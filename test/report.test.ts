import { describe, expect, it } from 'vitest';
import { code, codeText, escapeText, fenced, inert, table } from '../src/markdown.js';
import type { Change } from '../src/plan.js';
import { Redactor } from '../src/redact.js';
import { COMMENT_LIMIT, renderComment, renderOutcome, withOutcome } from '../src/report-comment.js';
import { renderSummary } from '../src/report-summary.js';
import { changesOutput, headline, type RunReport } from '../src/report.js';
import { commentMarker, digest, readRecord, recordMarker, resigned, sameChanges, signingKey, type RecordScope } from '../src/reviewed-plan.js';
import { detectFormatting, fileWithLiveValues, formatStateFile } from '../src/state-files.js';

const retention: Change = {
  path: 'data_retention_in_days',
  before: 365,
  after: 30,
  destructive: true,
  warning: 'lowers data retention from 365 to 30 days: lead events older than 30 days are permanently deleted',
};
const firehose: Change = { path: 'features.firehose', before: false, after: true, destructive: false };

function report(overrides: Partial<RunReport> = {}): RunReport {
  return {
    outcome: 'planned',
    mode: 'plan',
    file: 'leadconduit-account.json',
    baseUrl: 'https://app.leadconduit.com',
    account: { id: '5fd4371e940df5a34a3888b2', name: 'Acme, Inc.' },
    changes: [retention, firehose],
    notes: [],
    ...overrides,
  };
}

describe('markdown escaping', () => {
  it('turns every character that means something to Markdown or HTML into an entity', () => {
    expect(escapeText('a | b <i>x</i> *y* _z_ [l](u) `c` ~s~ \\ & "q"')).toBe(
      'a &#124; b &#60;i&#62;x&#60;/i&#62; &#42;y&#42; &#95;z&#95; &#91;l&#93;(u) &#96;c&#96; &#126;s&#126; &#92; &#38; &#34;q&#34;',
    );
  });

  it('keeps letters, digits, spaces and harmless punctuation readable, and folds line breaks', () => {
    expect(escapeText("Acme, Inc.: 50% off (today) it's = ok? $5 a/b-c … d")).toBe("Acme, Inc.: 50% off (today) it's = ok? $5 a/b-c … d");
    expect(escapeText('line one\r\nline two\nthree')).toBe('line one line two three');
    expect(escapeText('Zürich 東京')).toBe('Zürich 東京');
  });

  it('never lets outside text mention, cross-reference or autolink: a zero-width joiner breaks each', () => {
    const zwj = '\u200D';
    expect(escapeText('@octocat @acme/admins #1 GH-2 acme/settings#3 https://evil.example/login www.evil.example ops@example.com')).toBe(
      `@${zwj}octocat @${zwj}acme/admins #${zwj}1 GH${zwj}-2 acme/settings#${zwj}3 https${zwj}://evil.example/login www${zwj}.evil.example ops@${zwj}example.com`,
    );
    expect(escapeText('a @ b, # c, email me')).toBe('a @ b, # c, email me');
    // GFM also links "www." right after "_", "*", "~" or "(", which are word characters or punctuation to \b.
    for (const before of ['_', '*', '~', '(', '\n']) expect(inert(`x ${before}www.evil.example`)).toBe(`x ${before}www${zwj}.evil.example`);
    expect(inert('awww.example 5www.example')).toBe('awww.example 5www.example');
  });

  it('shows values as JSON inside <code>', () => {
    expect(code('active')).toBe('<code>&#34;active&#34;</code>');
    expect(code(30)).toBe('<code>30</code>');
    expect(codeText('features.firehose')).toBe('<code>features.firehose</code>');
  });

  it('fences content with more backticks than any run inside it, without a trailing blank line', () => {
    expect(fenced('{"a": 1}\n', 'json')).toBe('```json\n{"a": 1}\n```');
    expect(fenced('has ``` inside')).toBe('````\nhas ``` inside\n````');
  });

  it('builds a table', () => {
    expect(table(['A', 'B'], [['1', '2']])).toBe('| A | B |\n| --- | --- |\n| 1 | 2 |');
  });
});

describe('headline: the verdict and the counts first', () => {
  it.each<[Partial<RunReport>, string]>([
    [{}, '📝 Plan: 2 changes, 1 destructive ⚠️'],
    [{ changes: [firehose] }, '📝 Plan: 1 change, 0 destructive'],
    [{ outcome: 'no-changes', changes: [] }, '✅ No changes: the live account matches leadconduit-account.json'],
    [{ outcome: 'no-changes', mode: 'apply', changes: [] }, '✅ Nothing to apply: the live account already matches leadconduit-account.json'],
    [{ outcome: 'applied', mode: 'apply' }, '✅ Applied: 2 changes, 1 destructive'],
    [{ outcome: 'drift', mode: 'check' }, '⚠️ Drift: the live account differs from leadconduit-account.json in 2 settings'],
    [{ outcome: 'drift', mode: 'check', changes: [firehose] }, '⚠️ Drift: the live account differs from leadconduit-account.json in 1 setting'],
    [{ outcome: 'validated', changes: [] }, '✅ Valid: leadconduit-account.json passed validation; the live account was not compared'],
    [{ outcome: 'invalid', changes: [], problems: [{ path: 'x', message: 'm', line: 1, column: 1 }] }, '❌ Invalid: 1 problem in leadconduit-account.json'],
    [{ outcome: 'invalid', changes: [], error: 'Input "mode" must be one of auto, plan. More.' }, '❌ Invalid input: Input "mode" must be one of auto, plan'],
    [
      { outcome: 'failed', error: 'LeadConduit rejected the API key (401): Unauthorized. Check the secret.' },
      '❌ Failed: LeadConduit rejected the API key (401)',
    ],
    [{ outcome: 'failed', error: 'Settings did not take.', bodySent: true }, '❌ Failed: Settings did not take'],
    [
      { outcome: 'refused', reason: '2 destructive changes are not allowed', error: 'Refusing to apply: x. Nothing was sent.' },
      '⛔ Refused: 2 destructive changes are not allowed',
    ],
  ])('%j', (overrides, expected) => {
    expect(headline(report(overrides))).toBe(expected);
  });
});

describe('the job summary', () => {
  it('puts the verdict first, then the run facts, the change table and the exact request body', () => {
    const summary = renderSummary(report({ requestBody: { data_retention_in_days: 30, features: { firehose: true } } }));
    const lines = summary.split('\n');
    expect(lines[0]).toBe('### 📝 Plan: 2 changes, 1 destructive ⚠️');
    expect(summary).toContain('- **Account:** Acme, Inc. (<code>5fd4371e940df5a34a3888b2</code>)');
    expect(summary).toContain('- **LeadConduit API:** <code>https://app.leadconduit.com</code>');
    expect(summary).toContain('| Setting | Live | Desired | Note |');
    expect(summary).toContain(
      '| <code>data&#95;retention&#95;in&#95;days</code> | <code>365</code> | <code>30</code> | ⚠️ **Destructive:** lowers data retention from 365 to 30 days: lead events older than 30 days are permanently deleted |',
    );
    expect(summary).toContain('| <code>features.firehose</code> | <code>false</code> | <code>true</code> |  |');
    expect(summary).toContain('<details><summary>The request the apply will send: PUT /account</summary>\n\n```json\n{\n  "data_retention_in_days": 30,');
    expect(summary.indexOf('- **Account:**')).toBeLessThan(summary.indexOf('| Setting |'));
    // The summary says what merging does, as the comment does.
    expect(summary).toContain(
      '⚠️ Merging applies nothing as it stands: one change is destructive, and the apply refuses both unless the workflow sets <code>allow-destructive: true</code>.',
    );
    expect(summary.indexOf('| Setting |')).toBeLessThan(summary.indexOf('<details>'));
  });

  it('splits a three-way plan into reverted live edits (first) and pull-request changes', () => {
    const summary = renderSummary(
      report({
        threeWay: true,
        changes: [
          { ...retention, source: 'pull-request' },
          { ...firehose, source: 'drift' },
        ],
      }),
    );
    const drift = summary.indexOf('#### ⚠️ Live edits this merge will revert (1)');
    const pr = summary.indexOf('#### Changes in this pull request (1)');
    expect(drift).toBeGreaterThan(0);
    expect(pr).toBeGreaterThan(drift);
    expect(summary.slice(drift, pr)).toContain('features.firehose');
    expect(summary.slice(pr)).toContain('data&#95;retention');
  });

  it('shows "not set" for a value the account does not have, and before/after after an apply', () => {
    const summary = renderSummary(report({ outcome: 'applied', mode: 'apply', changes: [{ ...firehose, before: null }] }));
    expect(summary).toContain('| Setting | Before | After | Note |');
    expect(summary).toContain('| <code>features.firehose</code> | <em>not set</em> | <code>true</code> |  |');
  });

  it('lists file problems with file:line:column and the JSON path', () => {
    const summary = renderSummary(
      report({ outcome: 'invalid', changes: [], account: undefined, problems: [{ path: 'features.firehos', message: 'unknown feature', line: 3, column: 5 }] }),
    );
    expect(summary).toContain('- leadconduit-account.json:3:5 <code>features.firehos</code>: unknown feature');
  });

  it('keeps the rollback file and who triggered the apply', () => {
    const summary = renderSummary(
      report({
        outcome: 'applied',
        mode: 'apply',
        previousState: formatStateFile({ data_retention_in_days: 365 }),
        trigger: { actor: 'octo', event: 'push', commit: 'a'.repeat(40), pullRequest: { number: 7, url: 'https://github.com/o/r/pull/7' } },
      }),
    );
    expect(summary).toContain('- **Triggered by:** octo (push, commit <code>aaaaaaaaaaaa</code>, pull request [#7](https://github.com/o/r/pull/7))');
    expect(summary).toContain('<details><summary>Roll back: the managed settings as they were before this apply</summary>');
    expect(summary).toContain('```json\n{\n  "data_retention_in_days": 365\n}\n```');
  });

  it('escapes an error message so it cannot inject markup into the headline', () => {
    const summary = renderSummary(report({ outcome: 'failed', error: 'bad <img src=x> | [x](y)' }));
    expect(summary.split('\n')[0]).toBe('### ❌ Failed: bad &#60;img src=x&#62; &#124; &#91;x&#93;(y)');
  });

  it('under a failure verdict: the rest of the explanation, never the verdict again, and whether anything was sent, said once', () => {
    const failed = renderSummary(report({ outcome: 'failed', error: 'LeadConduit answered 503 to GET /account: busy. Re-run the job later.' }));
    const [verdict, , explanation, , sent] = failed.split('\n');
    expect(verdict).toBe('### ❌ Failed: LeadConduit answered 503 to GET /account');
    expect(explanation).toBe('Busy. Re-run the job later.');
    expect(sent).toBe('Nothing was sent to LeadConduit.');
    const refused = renderSummary(
      report({ outcome: 'refused', reason: 'r', error: 'Refusing to apply 1 destructive change: x. Nothing was sent. If intended, allow it.' }),
    );
    expect(refused.match(/[Nn]othing was (sent|changed)/g)).toHaveLength(1);
    const afterPut = renderSummary(report({ outcome: 'failed', error: 'LeadConduit accepted the update, but 1 setting does not match.', bodySent: true }));
    expect(afterPut).not.toMatch(/[Nn]othing was/);
  });
});

describe('the PR comment', () => {
  it('says what merging does and warns about destructive changes', () => {
    const comment = renderComment(report(), 'footer');
    expect(comment).toContain('**📝 Plan: 2 changes, 1 destructive ⚠️**');
    expect(comment).toContain(
      '⚠️ Merging applies nothing as it stands: one change is destructive, and the apply refuses both unless the workflow sets <code>allow-destructive: true</code>.',
    );
    expect(comment.endsWith('<sub>footer</sub>')).toBe(true);
  });

  it('without destructive changes only says that merging applies them', () => {
    const comment = renderComment(report({ changes: [firehose] }), 'footer');
    expect(comment).toContain('Merging applies these changes.\n');
    expect(comment).not.toContain('destructive:');
  });
});

describe('the changes output', () => {
  it('is the JSON array other tooling parses, with source only on pull requests', () => {
    expect(JSON.parse(changesOutput([retention, { ...firehose, source: 'drift' }]))).toEqual([
      { path: 'data_retention_in_days', before: 365, after: 30, destructive: true },
      { path: 'features.firehose', before: false, after: true, destructive: false, source: 'drift' },
    ]);
  });
});

describe('the signed record in the comment marker', () => {
  const scope: RecordScope = { repository: 'acme/settings', pullRequest: 7, file: 'leadconduit-account.json' };
  const key = signingKey('lc-test-api-key');
  const odd: Change = { path: 'subscriptions.pro.state', before: '--> <!-- x', after: 'active', destructive: false };
  const body = (marker: string) => `${commentMarker('leadconduit-account.json')}\n${marker}\nbody`;

  it('round-trips the reviewed changes, whatever the values hold, for the author it was signed for', () => {
    const marker = recordMarker([firehose, odd], 'body', scope, 'github-actions[bot]', key);
    expect(marker).toMatch(/^<!-- leadconduit-account-action:record:v3 [A-Za-z0-9_-]+ [A-Za-z0-9_-]+ -->$/);
    expect(readRecord(body(marker), scope, 'github-actions[bot]', key)).toEqual({
      status: 'verified',
      changes: digest([firehose, odd]),
      edited: false,
    });
    expect(readRecord(body(recordMarker(null, 'body', scope, 'my-app[bot]', key)), scope, 'my-app[bot]', key)).toEqual({
      status: 'verified',
      changes: null,
      edited: false,
    });
  });

  it('sees an edit of the text reviewers read, the outcome on top included, but not line endings or trailing spaces', () => {
    const marker = recordMarker([firehose], 'A plan\n\n| a | b |', scope, 'github-actions[bot]', key);
    const read = (text: string) => readRecord(`${commentMarker('leadconduit-account.json')}\n${marker}\n${text}`, scope, 'github-actions[bot]', key);
    expect(read('A plan\n\n| a | b |')).toMatchObject({ status: 'verified', edited: false });
    expect(read('A plan  \r\n\r\n| a | b |\n')).toMatchObject({ status: 'verified', edited: false });
    const original = `${commentMarker('leadconduit-account.json')}\n${marker}\nA plan\n\n| a | b |`;
    const withOutcomeOnTop = withOutcome(original, '### ✅ Applied');
    // An outcome is part of what reviewers read: only the apply, which signs it again, may add it.
    expect(readRecord(withOutcomeOnTop, scope, 'github-actions[bot]', key)).toMatchObject({ status: 'verified', edited: true });
    const signedAgain = resigned(original, withOutcomeOnTop, scope, 'github-actions[bot]', key);
    expect(readRecord(signedAgain, scope, 'github-actions[bot]', key)).toMatchObject({
      status: 'verified',
      edited: false,
      changes: [expect.objectContaining({ path: 'features.firehose' })],
    });
    // An edited comment is never signed again: the edit stays seen.
    const edited = original.replace('| a | b |', '| a | c |');
    expect(
      readRecord(resigned(edited, withOutcome(edited, '### ✅ Applied'), scope, 'github-actions[bot]', key), scope, 'github-actions[bot]', key),
    ).toMatchObject({ edited: true });
    expect(read('A plan\n\n| a | c |')).toMatchObject({ status: 'verified', edited: true });
    expect(read('A plan')).toMatchObject({ status: 'verified', edited: true });
  });

  it('keeps the record small: a long value is recorded by its hash, and compared the same way', () => {
    const long: Change = { path: 'subscriptions.pro.state', before: 'x'.repeat(70_000), after: 'active', destructive: false };
    const marker = recordMarker([long], 'body', scope, 'github-actions[bot]', key);
    expect(marker.length).toBeLessThan(400);
    const read = readRecord(body(marker), scope, 'github-actions[bot]', key);
    expect(read.status === 'verified' && read.changes?.[0]?.before).toEqual({ sha256: expect.stringMatching(/^[A-Za-z0-9_-]{43}$/) });
    expect(read.status === 'verified' && sameChanges(read.changes ?? [], [long])).toBe(true);
    expect(read.status === 'verified' && sameChanges(read.changes ?? [], [{ ...long, before: 'x'.repeat(69_999) }])).toBe(false);
  });

  it('does not verify for another author, key, pull request, repository or file', () => {
    const marker = recordMarker([firehose], 'body', scope, 'github-actions[bot]', key);
    expect(readRecord(body(marker), scope, 'mallory', key).status).toBe('bad-signature');
    expect(readRecord(body(marker), scope, 'github-actions[bot]', signingKey('another-api-key')).status).toBe('bad-signature');
    expect(readRecord(body(marker), { ...scope, pullRequest: 8 }, 'github-actions[bot]', key).status).toBe('bad-signature');
    expect(readRecord(body(marker), { ...scope, repository: 'acme/other' }, 'github-actions[bot]', key).status).toBe('bad-signature');
    expect(readRecord(body(marker), { ...scope, file: 'other.json' }, 'github-actions[bot]', key).status).toBe('bad-signature');
  });

  it('a forged payload under a real signature, or a made-up signature, does not verify', () => {
    const marker = recordMarker([firehose], 'body', scope, 'github-actions[bot]', key);
    const [, , , signature] = marker.split(' ');
    const forgedPayload = Buffer.from(JSON.stringify({ changes: [] })).toString('base64url');
    expect(readRecord(body(`<!-- leadconduit-account-action:record:v3 ${forgedPayload} ${signature} -->`), scope, 'github-actions[bot]', key).status).toBe(
      'bad-signature',
    );
    const payload = marker.split(' ')[2] ?? '';
    expect(readRecord(body(`<!-- leadconduit-account-action:record:v3 ${payload} AAAA -->`), scope, 'github-actions[bot]', key).status).toBe('bad-signature');
  });

  it('the signing key is derived from the API key, never the key itself', () => {
    expect(signingKey('lc-test-api-key').toString('utf8')).not.toContain('lc-test-api-key');
    expect(signingKey('lc-test-api-key').equals(signingKey('lc-test-api-key'))).toBe(true);
    expect(signingKey('lc-test-api-key').equals(signingKey('lc-test-api-kez'))).toBe(false);
  });

  it('reads nothing from a comment without a record or with a broken one', () => {
    expect(readRecord('just a comment', scope, 'a', key)).toEqual({ status: 'unsigned' });
    expect(readRecord('<!-- leadconduit-account-action:plan:v1 eyJ9 -->', scope, 'a', key)).toEqual({ status: 'unsigned' });
    expect(readRecord('<!-- leadconduit-account-action:record:v3 !!! x -->', scope, 'a', key)).toEqual({ status: 'unsigned' });
  });

  it('compares date-times as instants and ignores order', () => {
    const reviewed = digest([{ path: 'data_truncated_at', before: '2023-11-07T05:31:56Z', after: '2024-01-01T00:00:00Z', destructive: true }, firehose]);
    expect(
      sameChanges(reviewed, [
        firehose,
        { path: 'data_truncated_at', before: '2023-11-07T06:31:56+01:00', after: '2024-01-01T00:00:00.000Z', destructive: true },
      ]),
    ).toBe(true);
    expect(sameChanges(reviewed, [firehose])).toBe(false);
    const truncated: Change = { path: 'data_truncated_at', before: '2023-11-07T05:31:56Z', after: '2024-01-01T00:00:00Z', destructive: true };
    expect(sameChanges(reviewed, [{ ...firehose, before: null }, truncated])).toBe(false);
  });

  it('keeps one marker per file path (a matrix keeps one comment per file)', () => {
    expect(commentMarker('accounts/a.json')).toBe('<!-- leadconduit-account-action:comment file=accounts%2Fa.json -->');
    expect(commentMarker('accounts/a.json')).not.toBe(commentMarker('accounts/b.json'));
  });
});

describe("the comment stays under GitHub's size limit", () => {
  it('cuts long values with an ellipsis and says the summary has them whole; short plans are untouched', () => {
    const huge = 'A'.repeat(70_000);
    const comment = renderComment(report({ account: { id: '5fd4371e940df5a34a3888b2', name: huge }, changes: [{ ...firehose, before: huge }] }), 'footer');
    expect(comment.length).toBeLessThanOrEqual(COMMENT_LIMIT);
    expect(comment).toContain('A…');
    expect(comment).toContain('the job summary of the run below shows them whole');
    expect(comment.endsWith('<sub>footer</sub>')).toBe(true);
    expect(renderComment(report(), 'footer')).not.toContain('cut short');
  });

  it('falls back to the verdict and a pointer to the summary when even cut values do not fit', () => {
    const many = Array.from({ length: 3_000 }, (_, i) => ({ ...firehose, path: `features.f${i}` }));
    const comment = renderComment(report({ changes: many }), 'footer');
    expect(comment.length).toBeLessThanOrEqual(COMMENT_LIMIT);
    expect(comment).toContain('This plan is too long for a pull request comment');
  });
});

describe('the apply outcome on the merged pull request', () => {
  const when = new Date('2026-11-28T10:00:00.123Z');
  const trigger = { actor: 'octo', event: 'push', commit: 'd'.repeat(40), runUrl: 'https://github.com/acme/settings/actions/runs/1' };

  it('says applied, when, from which commit, with the run', () => {
    expect(renderOutcome(report({ outcome: 'applied', mode: 'apply', trigger }), when)).toBe(
      '### ✅ Applied to LeadConduit\n\n2 changes were applied at 2026-11-28 10:00 UTC from commit <code>dddddddddddd</code> ([run](https://github.com/acme/settings/actions/runs/1)); the account now matches <code>leadconduit-account.json</code>.',
    );
  });

  it('says refused with the guard, and failed with whether anything was sent', () => {
    const refused = renderOutcome(report({ outcome: 'refused', reason: '2 destructive changes are not allowed', error: 'Refusing: a <b>', trigger }), when);
    expect(refused).toMatch(/^### ⛔ Apply refused: 2 destructive changes are not allowed\n\nA &#60;b&#62;\n\nNothing was sent to LeadConduit/);
    expect(renderOutcome(report({ outcome: 'failed', error: 'PUT failed: x', bodySent: true, trigger }), when)).toContain(
      'The update was sent: it may or may not have been applied.',
    );
    expect(renderOutcome(report({ outcome: 'failed', error: 'GET failed: x', trigger }), when)).toContain('Nothing was sent to LeadConduit.');
  });

  it('goes on top, under the hidden markers, replacing an earlier outcome and keeping the plan', () => {
    const body = '<!-- leadconduit-account-action:comment file=a.json -->\n<!-- leadconduit-account-action:record:v3 x y -->\n### plan\n\ntable';
    const once = withOutcome(body, '### ✅ first');
    expect(once.startsWith('<!-- leadconduit-account-action:comment file=a.json -->\n<!-- leadconduit-account-action:record:v3 x y -->\n')).toBe(true);
    expect(once.indexOf('### ✅ first')).toBeLessThan(once.indexOf('### plan'));
    const twice = withOutcome(once, '### ❌ second');
    expect(twice).not.toContain('first');
    expect(twice).toContain('### ❌ second');
    expect(twice.endsWith('### plan\n\ntable')).toBe(true);
  });
});

describe('the drift file', () => {
  const drift = (path: string, before: Change['before'], after: Change['after']): Change => ({ path, before, after, destructive: false });

  it('writes the live values in place, keeping key order, indentation and line endings', () => {
    const text = '{\r\n    "features": { "firehose": true },\r\n    "data_retention_in_days": 90\r\n}\r\n';
    expect(fileWithLiveValues(text, [drift('features.firehose', false, true), drift('data_retention_in_days', 365, 90)])).toBe(
      '{\r\n    "features": { "firehose": false },\r\n    "data_retention_in_days": 365\r\n}\r\n',
    );
  });

  it('leaves a setting the account does not have as the file has it', () => {
    const text = '{\n  "features": {\n    "firehose": true\n  }\n}\n';
    expect(fileWithLiveValues(text, [drift('features.firehose', null, true)])).toBe(text);
  });

  it('detects the file formatting', () => {
    expect(detectFormatting('{\n\t"a": 1\n}')).toEqual({ insertSpaces: false, tabSize: 1, eol: '\n' });
    expect(detectFormatting('{\r\n    "a": 1\r\n}')).toEqual({ insertSpaces: true, tabSize: 4, eol: '\r\n' });
    expect(detectFormatting('{"a": 1}')).toEqual({ insertSpaces: true, tabSize: 2, eol: '\n' });
  });
});

describe('the redactor', () => {
  it('registers each secret with the runner once and scrubs it, its JSON, URL and Basic-auth forms', () => {
    const registered: string[] = [];
    const redactor = new Redactor((secret) => registered.push(secret));
    const secret = 'p@ss"word/123';
    redactor.add(secret);
    redactor.add(secret);
    const basic = Buffer.from(`API:${secret}`).toString('base64');
    expect(registered).toEqual([basic, secret]);
    expect(redactor.scrub(`raw ${secret} json ${JSON.stringify(secret)} url ${encodeURIComponent(secret)} basic ${basic}`)).toBe(
      'raw *** json "***" url *** basic ***',
    );
  });

  it("ignores values too short to be a key, and an answer's field value that could be an ordinary value, so ordinary words survive", () => {
    const redactor = new Redactor(() => {});
    redactor.add('ab');
    redactor.add('');
    redactor.add(undefined);
    redactor.add('true', 'field');
    redactor.add('1234567890', 'field');
    redactor.add('short7x', 'field');
    expect(redactor.scrub('ab is fine, true, 1234567890, short7x')).toBe('ab is fine, true, 1234567890, short7x');
  });

  it('masks an input of 3 characters or more, and the Basic credential of any key however short', () => {
    const redactor = new Redactor(() => {});
    redactor.add('abc');
    redactor.add('k');
    expect(redactor.scrub('abc and k')).toBe('*** and k');
    expect(redactor.scrub(`Basic ${Buffer.from('API:k').toString('base64')}`)).toBe('Basic ***');
  });

  it('replaces a secret that holds another secret whole (longest first), and trims white space around a secret', () => {
    const redactor = new Redactor(() => {});
    redactor.add('secret-1234');
    redactor.add('  secret-1234-and-more  ');
    expect(redactor.scrub('x secret-1234-and-more y secret-1234 z')).toBe('x *** y *** z');
  });

  it('masks credential fields of an answer by name, registering their values, in JSON and in key=value text', () => {
    const redactor = new Redactor(() => {});
    expect(redactor.maskSecretFields('{"message":"bad","account":{"api_key":"acct-1234567890","webhook_token":"tok-abcdefghij"}}')).toBe(
      '{"message":"bad","account":{"api_key":"***","webhook_token":"***"}}',
    );
    expect(redactor.scrub('seen again: acct-1234567890')).toBe('seen again: ***');
    expect(redactor.maskSecretFields('error: api_key=zzz-secret-999 password: "hunter22" ok')).toBe('error: api_key=*** password: *** ok');
  });

  it('scrubs every string of a report, whatever its depth', () => {
    const redactor = new Redactor(() => {});
    redactor.add('secret-1234');
    expect(redactor.scrubDeep({ a: 'x secret-1234', b: [{ c: 'secret-1234' }, 3, null], d: true })).toEqual({
      a: 'x ***',
      b: [{ c: '***' }, 3, null],
      d: true,
    });
  });
});
