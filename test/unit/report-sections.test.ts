/**
 * Unit tests of src/report-sections.ts beyond test/report.test.ts: the parts the summary and the
 * comment share, each on its own (explanation, cut values, change tables and their three-way split,
 * the merge note, the problem list, the notes, the headline's emoji).
 */
import { describe, expect, it } from 'vitest';
import type { Json } from '../../src/plan.js';
import { accountText, changeSections, changeTable, escapeHeadline, explanation, mergeNote, notes, problemList, valueCell } from '../../src/report-sections.js';
import { cut } from '../../src/wording.js';
import { ACCOUNT_ID, feature, firehose, retention, runReport } from './report-fixture.js';

const problem = (line: number, path: string, message: string) => ({ line, column: 5, path, message });

describe('explanation under the verdict', () => {
  it('for an invalid file: nothing was sent, and each problem is on its line', () => {
    const report = runReport({ outcome: 'invalid', changes: [], problems: [problem(3, 'features.x', 'unknown feature')], error: 'ignored' });
    expect(explanation(report, Infinity)).toEqual(['Nothing was sent. Each problem is annotated on its line of leadconduit-account.json:']);
  });

  it('is empty for a run without an error or problems', () => {
    expect(explanation(runReport(), Infinity)).toEqual([]);
  });

  it('cuts a long explanation to the given length', () => {
    expect(explanation(runReport({ outcome: 'failed', error: 'X failed: abcdefghij', bodySent: true }), 5)).toEqual(['Abcd…']);
  });

  it("leaves out what the verdict says: the error's first clause, or a sentence the reason gives", () => {
    expect(explanation(runReport({ outcome: 'failed', error: 'GET /account failed.', bodySent: true }), Infinity)).toEqual([]);
    const refused = runReport({ outcome: 'refused', reason: 'a guard', error: 'A guard stopped it: why. Nothing was sent.' });
    expect(explanation(refused, Infinity)).toEqual(['Why. Nothing was sent.']);
    const given = runReport({ outcome: 'failed', reason: 'r', detail: 'Only this.', error: 'R: x; y. Only this.', bodySent: true });
    expect(explanation(given, Infinity)).toEqual(['Only this.']);
  });

  it("lists the failure's items first, then what to do", () => {
    const odd = runReport({ outcome: 'failed', reason: 'r', detail: 'Check them.', error: 'R: a; b. Check them.', errorDetails: ['a', 'b'] });
    expect(explanation(odd, Infinity)).toEqual(['- a\n- b', 'Check them.', 'Nothing was sent to LeadConduit.']);
  });
});

describe('cut', () => {
  it('keeps text of at most max characters, and cuts longer text to max characters ending in an ellipsis', () => {
    expect(cut('abcd', 4)).toBe('abcd');
    expect(cut('abcde', 4)).toBe('abc…');
    expect(cut('abcdef', 4)).toHaveLength(4);
  });

  it('keeps at least one character before the ellipsis', () => {
    expect(cut('abc', 1)).toBe('a…');
  });
});

describe('value cells', () => {
  it('shows a value the account does not have as "not set", and others as JSON code', () => {
    expect(valueCell(null, Infinity)).toBe('<em>not set</em>');
    expect(valueCell('active', Infinity)).toBe('<code>&#34;active&#34;</code>');
  });

  it('shows a missing value (which JSON cannot hold) as undefined rather than an empty cell', () => {
    expect(valueCell(undefined as unknown as Json, Infinity)).toBe('<code>undefined</code>');
  });

  it('cuts a long value before escaping it', () => {
    expect(valueCell('x'.repeat(20), 5)).toBe('<code>&#34;xxx…</code>');
  });
});

describe('change tables', () => {
  it('says a destructive change without its own warning cannot be undone', () => {
    const { warning: _w, ...bare } = retention;
    expect(changeTable([bare], false, Infinity)).toContain('| <code>365</code> | <code>30</code> | ⚠️ **Destructive:** cannot be undone |');
  });

  it('has no section when there are no changes, plain or three-way', () => {
    expect(changeSections(runReport({ changes: [] }), Infinity)).toEqual([]);
    expect(changeSections(runReport({ changes: [], threeWay: true }), Infinity)).toEqual([]);
  });

  it('is one table without headings outside a pull request', () => {
    const sections = changeSections(runReport(), Infinity);
    expect(sections).toEqual([changeTable([retention, firehose], false, Infinity)]);
  });

  it('on a pull request without live edits, has only the pull request heading: no empty "Live edits (0)"', () => {
    const sections = changeSections(runReport({ threeWay: true, changes: [{ ...firehose, source: 'pull-request' }] }), Infinity);
    expect(sections).toHaveLength(1);
    expect(sections[0]).toMatch(/^#### Changes in this pull request \(1\)\n\n\| Setting \| Live \| Desired \| Note \|/);
    expect(sections.join('\n')).not.toContain('Live edits');
  });

  it('on a pull request with only live edits, has only the live-edits heading: no empty "Changes in this pull request (0)"', () => {
    const sections = changeSections(
      runReport({
        threeWay: true,
        changes: [
          { ...firehose, source: 'drift' },
          { ...retention, source: 'drift' },
        ],
      }),
      Infinity,
    );
    expect(sections).toHaveLength(1);
    expect(sections[0]).toMatch(
      /^#### ⚠️ Live edits this merge will revert \(2\)\n\nThese settings were changed in LeadConduit outside <code>leadconduit-account.json<\/code>;/,
    );
    expect(sections.join('\n')).not.toContain('Changes in this pull request');
  });
});

describe('the account', () => {
  it('is its name and id, or "no name" when it has none', () => {
    expect(accountText({ id: ACCOUNT_ID, name: 'Acme, Inc.' }, Infinity)).toBe(`Acme, Inc. (<code>${ACCOUNT_ID}</code>)`);
    expect(accountText({ id: ACCOUNT_ID, name: null }, Infinity)).toBe(`no name (<code>${ACCOUNT_ID}</code>)`);
    expect(accountText({ id: ACCOUNT_ID }, Infinity)).toBe(`no name (<code>${ACCOUNT_ID}</code>)`);
  });
});

describe('what merging does', () => {
  const allow = 'unless the workflow sets <code>allow-destructive: true</code>';

  it('is said only on a plan', () => {
    for (const outcome of ['applied', 'no-changes', 'drift', 'failed', 'refused', 'validated', 'invalid'] as const) {
      expect(mergeNote(runReport({ outcome }))).toBeUndefined();
    }
  });

  it('when every change is destructive: merging applies nothing, in the singular and the plural', () => {
    expect(mergeNote(runReport({ changes: [retention] }))).toBe(`⚠️ Merging applies nothing as it stands: the apply refuses this destructive change ${allow}.`);
    expect(mergeNote(runReport({ changes: [retention, feature('a', true)] }))).toBe(
      `⚠️ Merging applies nothing as it stands: the apply refuses these 2 destructive changes ${allow}.`,
    );
  });

  it('when some changes are destructive: merging applies none of them, the others included (the apply sends all or nothing)', () => {
    expect(mergeNote(runReport({ changes: [retention, feature('a', true), firehose] }))).toBe(
      `⚠️ Merging applies nothing as it stands: 2 changes are destructive, and the apply refuses all 3 ${allow}.`,
    );
    expect(mergeNote(runReport({ changes: [retention, firehose] }))).toBe(
      `⚠️ Merging applies nothing as it stands: one change is destructive, and the apply refuses both ${allow}.`,
    );
  });
});

describe('the problem list of an invalid file', () => {
  it('is one line per problem: file:line:column, the JSON path as code, the message', () => {
    const report = runReport({
      outcome: 'invalid',
      problems: [problem(3, 'features.firehos', 'unknown feature'), problem(7, 'data_retention_in_days', 'too low')],
    });
    expect(problemList(report, Infinity)).toBe(
      '- leadconduit-account.json:3:5 <code>features.firehos</code>: unknown feature\n' +
        '- leadconduit-account.json:7:5 <code>data&#95;retention&#95;in&#95;days</code>: too low',
    );
  });

  it('has no path for a problem of the whole file', () => {
    expect(problemList(runReport({ problems: [{ line: 1, column: 1, path: '', message: 'not valid JSON' }] }), Infinity)).toBe(
      '- leadconduit-account.json:1:1: not valid JSON',
    );
  });

  it('says how many problems are not shown', () => {
    const shown = [problem(3, 'a', 'm'), problem(4, 'b', 'n')];
    expect(problemList(runReport({ problems: shown, problemCount: 5 }), Infinity).split('\n')).toEqual([
      '- leadconduit-account.json:3:5 <code>a</code>: m',
      '- leadconduit-account.json:4:5 <code>b</code>: n',
      '- …and 3 more problems not shown: fix these first, then run again.',
    ]);
    expect(problemList(runReport({ problems: shown, problemCount: 3 }), Infinity)).toContain(
      '- …and 1 more problem not shown: fix these first, then run again.',
    );
  });

  it('says nothing more when every problem is shown', () => {
    const shown = [problem(3, 'a', 'm')];
    expect(problemList(runReport({ problems: shown }), Infinity)).toBe('- leadconduit-account.json:3:5 <code>a</code>: m');
    expect(problemList(runReport({ problems: shown, problemCount: 1 }), Infinity)).toBe('- leadconduit-account.json:3:5 <code>a</code>: m');
  });

  it('is empty for a report without problems', () => {
    expect(problemList(runReport(), Infinity)).toBe('');
  });
});

describe('notes under the verdict', () => {
  it('are none for a report without warnings or notes', () => {
    expect(notes(runReport(), Infinity)).toEqual([]);
  });

  it('quote each warning of the file with its place, then each note', () => {
    const report = runReport({
      fileWarnings: [{ line: 4, column: 3, path: 'id', message: 'the id is <ignored>' }],
      notes: ['The live comparison was skipped.'],
    });
    expect(notes(report, Infinity)).toEqual(['> ⚠️ leadconduit-account.json:4:3: the id is &#60;ignored&#62;', '> The live comparison was skipped.']);
  });
});

describe('the headline keeps pictographs and hides format characters', () => {
  it.each([
    ['☀', '☀'], // U+2600, the first pictograph
    ['⛔ ✅ ❌ 📝', '⛔ ✅ ❌ 📝'],
    ['\uFFFC', '\uFFFC'],
  ])('shows %j as itself', (text, shown) => {
    expect(escapeHeadline(text)).toBe(shown);
  });

  it.each([
    ['\u202E', '&#92;u202e'], // right-to-left override
    ['\u2066', '&#92;u2066'], // left-to-right isolate
    ['\uFEFF', '&#92;ufeff'], // byte order mark
    ['\u001b', '&#92;x1b'],
  ])('shows %j as its escape, never as an entity GitHub would decode to the character', (text, shown) => {
    expect(escapeHeadline(text)).toBe(shown);
  });

  it.each([
    ['\u25FF', '&#9727;'], // the last code point below U+2600
    ['\uFFF9', '&#65529;'], // interlinear annotation anchor
    ['\uFFFA', '&#65530;'],
    ['\uFFFB', '&#65531;'], // interlinear annotation terminator
  ])('keeps %j an entity', (text, entity) => {
    expect(escapeHeadline(text)).toBe(entity);
  });
});
