/**
 * Unit tests of src/report.ts beyond test/report.test.ts: the verdict's short sentence (where the
 * first clause of an error ends, how long it may be, what a failure without a message says).
 */
import { describe, expect, it } from 'vitest';
import { UserError } from '../../src/errors.js';
import { jsonText } from '../../src/json-text.js';
import { failedResult } from '../../src/modes/run.js';
import { Log } from '../../src/log.js';
import { Redactor } from '../../src/redact.js';
import { changesOutput, failureText, headline, shortReason, splitFirstClause } from '../../src/report.js';
import { renderSummary } from '../../src/report-summary.js';
import { expectVerdictSaidOnce } from '../support/verdict.js';
import { runReport } from './report-fixture.js';

describe('failureText: the verdict sentence, and the explanation under it that never says it again', () => {
  it('splits the error after its first clause, the rest starting as a sentence of its own', () => {
    expect(failureText({ error: 'Input "mode" is wrong: plan mode needs a key. Nothing was sent.' })).toEqual({
      reason: 'Input "mode" is wrong',
      detail: 'Plan mode needs a key. Nothing was sent.',
    });
    expect(failureText({ error: 'GET /account failed: busy.' }).detail).toBe('Busy.');
    // A setting's name keeps its case.
    expect(splitFirstClause('1 setting differs: features.firehose is false.').rest).toBe('features.firehose is false.');
    expect(failureText({ error: 'The file is missing.' })).toEqual({ reason: 'The file is missing', detail: '' });
  });

  it("with a given reason, the error's first clause (which says it at length) is not shown, unless a detail is given", () => {
    expect(failureText({ reason: 'r', error: 'Refusing to apply: why. What to do.' })).toEqual({ reason: 'r', detail: 'Why. What to do.' });
    expect(failureText({ reason: 'r', detail: 'Only this.', error: 'Refusing: r, at length. Only this.' })).toEqual({ reason: 'r', detail: 'Only this.' });
  });

  it('a first clause too long for a headline ends at its first "; ", or is cut and goes on below: each part said once', () => {
    const path = `/home/runner/${'p'.repeat(120)}/a.json`;
    expect(failureText({ error: `a.json is a link to ${path}; it must live in the repository.` })).toEqual({
      reason: `a.json is a link to ${path}`,
      detail: 'It must live in the repository.',
    });
    const error = `${'y'.repeat(200)}: more.`;
    expect(failureText({ error })).toEqual({ reason: `${'y'.repeat(159)}…`, detail: `…${'y'.repeat(41)}: more.` });
  });

  it('a first clause that starts with "; ", or whose "; " comes past the limit, is cut: never an empty or too long verdict', () => {
    expect(splitFirstClause(`; ${'x'.repeat(30)}: more.`, 20)).toEqual({ first: `; ${'x'.repeat(17)}…`, rest: `…${'x'.repeat(13)}: more.` });
    expect(splitFirstClause(`${'x'.repeat(30)}; more: why.`, 20)).toEqual({ first: `${'x'.repeat(19)}…`, rest: `…${'x'.repeat(11)}; more: why.` });
  });

  it('the rest starts at its first word, white space around it dropped, and reads as a sentence', () => {
    expect(splitFirstClause('X failed:  it timed out.  ')).toEqual({ first: 'X failed', rest: 'It timed out.' });
  });

  it('a given reason longer than a headline is cut with an ellipsis at 160 characters; one of 160 stays whole', () => {
    expect(failureText({ reason: 'r'.repeat(161) }).reason).toBe(`${'r'.repeat(159)}…`);
    expect(failureText({ reason: 'r'.repeat(160) }).reason).toBe('r'.repeat(160));
  });

  it('a bug (an unexpected error) says so in its verdict, and its message under it', () => {
    const result = failedResult(new TypeError('x is undefined'), {}, new Log(new Redactor(() => {})));
    const summary = renderSummary({ ...result, mode: 'plan', file: 'leadconduit-account.json', baseUrl: 'https://app.leadconduit.com' });
    expect(summary.split('\n\n').slice(0, 2)).toEqual(['### ❌ Failed: Unexpected error (a bug in this action, please report it)', 'X is undefined']);
    expectVerdictSaidOnce(summary);
  });

  it('a user error that carries its own verdict is shown with it: the message stays whole for the log', () => {
    const error = new UserError('R, said at length: a; b. Check them.', ['a', 'b'], { reason: 'r', detail: 'Check them.' });
    const result = failedResult(error, {}, new Log(new Redactor(() => {})));
    expect(result).toMatchObject({ reason: 'r', detail: 'Check them.', error: error.message, failure: error.message, errorDetails: ['a', 'b'] });
  });
});

describe('shortReason: the verdict sentence of a failure', () => {
  it('is the given reason when there is one', () => {
    expect(shortReason({ reason: 'the guard said no', error: 'Something else: details.' })).toBe('the guard said no');
  });

  it('says the run failed when there is neither a reason nor an error', () => {
    expect(shortReason({})).toBe('the run failed');
    expect(headline(runReport({ outcome: 'failed' }))).toBe('❌ Failed: the run failed');
  });

  it('ends the first clause at a colon or a full stop followed by a space, or a final full stop', () => {
    expect(shortReason({ error: 'PUT /account failed: 500 Internal Server Error' })).toBe('PUT /account failed');
    expect(shortReason({ error: 'The key was refused. Check the secret.' })).toBe('The key was refused');
    expect(shortReason({ error: 'The key was refused.' })).toBe('The key was refused');
  });

  it('does not end the clause at a dot inside a word (a file name, a version, a host)', () => {
    expect(shortReason({ error: 'leadconduit-account.json could not be read' })).toBe('leadconduit-account.json could not be read');
    expect(shortReason({ error: 'app.leadconduit.com did not answer within 30 s. Re-run later.' })).toBe('app.leadconduit.com did not answer within 30 s');
  });

  it('keeps a first clause of 160 characters whole, and cuts a longer one to 160 with an ellipsis', () => {
    const exactly = 'x'.repeat(160);
    expect(shortReason({ error: `${exactly}: more` })).toBe(exactly);
    const longer = `${'y'.repeat(159)}z and more`;
    const cut = shortReason({ error: longer });
    expect(cut).toBe(`${'y'.repeat(159)}…`);
    expect(cut).toHaveLength(160);
  });
});

describe('headline', () => {
  it('counts every problem of an invalid file, where the report keeps only the first', () => {
    const problems = [{ path: 'features.x', message: 'unknown feature', line: 2, column: 3 }];
    expect(headline(runReport({ outcome: 'invalid', changes: [], problems, problemCount: 12 }))).toBe('❌ Invalid: 12 problems in leadconduit-account.json');
  });
});

describe('JSON for people and other steps (jsonText)', () => {
  const hostile = 'a\u202eb\u2066c\u2028d\u0085e\u009bf\u007fg\u200fh\u061ci\ufeffj ##[error]k';

  it('writes C1, DEL, separators, bidirectional controls and the "[" of "##[" as \\u escapes, and stays the same value', () => {
    const text = jsonText({ value: hostile }, 2);

    expect(text).not.toMatch(/[\u007f-\u009f\u2028\u2029\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069\ufeff]|##\[/);
    expect(text).toContain('a\\u202eb\\u2066c\\u2028d\\u0085e\\u009bf\\u007fg\\u200fh\\u061ci\\ufeffj ##\\u005berror]k');
    expect(JSON.parse(text)).toEqual({ value: hostile });
  });

  it('the changes output is written with it', () => {
    const text = changesOutput([{ path: 'subscriptions.pro.state', before: hostile, after: 'active', destructive: false }]);
    expect(text).not.toContain('\u202e');
    expect(JSON.parse(text)).toEqual([{ path: 'subscriptions.pro.state', before: hostile, after: 'active', destructive: false }]);
  });
});
