import { createHmac } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import type { Change } from '../../src/plan.js';
import {
  PENDING_RECORD,
  commentMarker,
  digest,
  readRecord,
  recordMarker,
  resigned,
  sameChanges,
  signingKey,
  visibleText,
  type RecordScope,
} from '../../src/reviewed-plan.js';

const scope: RecordScope = { repository: 'acme/settings', pullRequest: 7, file: 'leadconduit-account.json' };
const author = 'github-actions[bot]';
const key = signingKey('lc-test-api-key');
const firehose: Change = { path: 'features.firehose', before: false, after: true, destructive: false };
const retention: Change = { path: 'data_retention_in_days', before: 365, after: 30, destructive: true };
const state: Change = { path: 'subscriptions.pro.state', before: 'inactive', after: 'active', destructive: false };

/** A comment body as the action writes it: its marker, the record line, then the text reviewers read. */
const comment = (record: string, text: string) => `${commentMarker(scope.file)}\n${record}\n${text}`;

/**
 * A record line signed with this run's key around any payload, as sign() signs one: what a record
 * this version did not write (or wrote wrong) reads as once its signature verifies.
 */
function signedRecord(record: unknown): string {
  const payload = Buffer.from(JSON.stringify(record)).toString('base64url');
  const covered = ['leadconduit-account-action:record:v3', scope.repository, String(scope.pullRequest), scope.file, author, payload].join('\n');
  return `<!-- leadconduit-account-action:record:v3 ${payload} ${createHmac('sha256', key).update(covered).digest('base64url')} -->`;
}

describe('a record posted by an earlier run', () => {
  // Posted by the plan of this version (record v3) for the API key lc-test-api-key: the apply after
  // the merge, maybe of a later version, must verify it. Changing the signing key's derivation or
  // what the signature covers without a new record version breaks every comment already posted.
  const posted = [
    '<!-- leadconduit-account-action:comment file=leadconduit-account.json -->',
    '<!-- leadconduit-account-action:record:v3 eyJjaGFuZ2VzIjpbeyJwYXRoIjoiZGF0YV90cnVuY2F0ZWRfYXQiLCJiZWZvcmUiOiIyMDIzLTExLTA3VDA1OjMxOjU2LjAwMFoiLCJhZnRlciI6bnVsbH0seyJwYXRoIjoiZmVhdHVyZXMuZmlyZWhvc2UiLCJiZWZvcmUiOmZhbHNlLCJhZnRlciI6dHJ1ZX0seyJwYXRoIjoic3Vic2NyaXB0aW9ucy5wcm8uc3RhdGUiLCJiZWZvcmUiOnsic2hhMjU2IjoiNGFRMkJ3UjdTOUJhbi1vNGk4VFI0RElxR2phNGxtY3ZDSFlpbnVIZVVtSSJ9LCJhZnRlciI6ImFjdGl2ZSJ9XSwidGV4dCI6Ijd4M3lYYmhWb015RGRpTXBhaW5fUzhhdDNUazRyLTNMeEdqSHJsb0NsNTgifQ G3GAycleDZcEkyHkd3IyjNEkKK2GGPt8AUH4JgOYmTs -->',
    'A plan',
    '',
    '| a | b |',
  ].join('\n');
  const planned: Change[] = [
    firehose,
    { path: 'data_truncated_at', before: '2023-11-07T06:31:56+01:00', after: null, destructive: true },
    { path: 'subscriptions.pro.state', before: 'y'.repeat(80), after: 'active', destructive: false },
  ];

  it('verifies, with the changes it recorded, and the same record is written today', () => {
    const check = readRecord(posted, scope, author, key);
    expect(check).toMatchObject({ status: 'verified', edited: false });
    expect(check.status === 'verified' && sameChanges(check.changes ?? [], planned)).toBe(true);
    expect(comment(recordMarker(planned, 'A plan\n\n| a | b |', scope, author, key), 'A plan\n\n| a | b |')).toBe(posted);
  });

  it('verifies whatever the case of the repository and the author (GitHub ignores it), but not for another pull request', () => {
    expect(readRecord(posted, { ...scope, repository: 'Acme/Settings' }, 'GitHub-Actions[bot]', key)).toMatchObject({ status: 'verified' });
    expect(readRecord(posted, { ...scope, pullRequest: 70 }, author, key)).toEqual({ status: 'bad-signature' });
  });
});

describe('the digest of a change set', () => {
  it('lists the changes by path, whatever order they come in', () => {
    const orders = [
      [firehose, retention, state],
      [state, firehose, retention],
      [retention, state, firehose],
      [state, retention, firehose],
    ];
    for (const order of orders) expect(digest(order).map((c) => c.path)).toEqual(['data_retention_in_days', 'features.firehose', 'subscriptions.pro.state']);
    expect(sameChanges(digest([state, firehose, retention]), [retention, firehose, state])).toBe(true);
  });

  it('reads only a string in a date-time field as a date: not a date-like string elsewhere, nor a number in a date-time field', () => {
    const [numbered, named] = digest([
      { path: 'subscriptions.pro.state', before: '2024-01-01', after: '2024', destructive: false },
      { path: 'data_truncated_at', before: 2024, after: '2024-01-01T00:00:00+00:00', destructive: true },
    ]);
    expect(named).toEqual({ path: 'subscriptions.pro.state', before: '2024-01-01', after: '2024' });
    expect(numbered).toEqual({ path: 'data_truncated_at', before: 2024, after: '2024-01-01T00:00:00.000Z' });
  });

  it('keeps a date-time that does not parse as it is written', () => {
    expect(digest([{ path: 'subscriptions.pro.active_at', before: 'yesterday', after: '2024-01-01T00:00:00Z', destructive: false }])).toEqual([
      { path: 'subscriptions.pro.active_at', before: 'yesterday', after: '2024-01-01T00:00:00.000Z' },
    ]);
    const soon: Change = { path: 'data_truncated_at', before: null, after: 'soon', destructive: true };
    expect(sameChanges(digest([soon]), [soon])).toBe(true);
    expect(sameChanges(digest([soon]), [{ ...soon, after: 'later' }])).toBe(false);
  });

  it('keeps a value whose JSON is up to 64 characters, and records a longer one by its hash', () => {
    const at64 = 'x'.repeat(62);
    const at65 = 'x'.repeat(63);
    const [kept, hashed] = digest([
      { ...firehose, before: at64 },
      { ...state, before: at65 },
    ]);
    expect(kept?.before).toBe(at64);
    expect(hashed?.before).toEqual({ sha256: expect.stringMatching(/^[A-Za-z0-9_-]{43}$/) });
  });

  it('records even a long value shaped like a hash by its hash: the record stays small whatever the values hold', () => {
    const lookalike: Change = { ...state, before: { sha256: 'x'.repeat(70_000) } };
    expect(digest([lookalike])[0]?.before).toEqual({ sha256: expect.stringMatching(/^[A-Za-z0-9_-]{43}$/) });
    expect(recordMarker([lookalike], 'body', scope, author, key).length).toBeLessThan(400);
  });

  it('is the same when taken again: a digest of a digest, long values included', () => {
    const once = digest([{ ...state, before: 'y'.repeat(80) }, retention]);
    expect(digest(once)).toEqual(once);
  });
});

describe('a verified record whose payload this version did not write', () => {
  it('keeps only the entries that are changes: junk in the list is dropped', () => {
    const junk = [1, null, 'features.firehose', [], { path: 5 }, { before: 1 }, { path: 'features.firehose', before: false, after: true }];
    expect(readRecord(comment(signedRecord({ changes: junk, text: 'x' }), 'body'), scope, author, key)).toEqual({
      status: 'verified',
      changes: [{ path: 'features.firehose', before: false, after: true }],
      edited: true,
    });
  });

  it('reads an entry that lacks a value as null', () => {
    const check = readRecord(comment(signedRecord({ changes: [{ path: 'features.firehose', after: true }], text: 'x' }), 'body'), scope, author, key);
    expect(check.status === 'verified' && sameChanges(check.changes ?? [], [{ ...firehose, before: null }])).toBe(true);
    expect(check.status === 'verified' && sameChanges(check.changes ?? [], [firehose])).toBe(false);
  });

  it('is no record at all when it is not one: not JSON, no text, or changes that are neither null nor a list', () => {
    const notJson = `<!-- leadconduit-account-action:record:v3 bm90IGpzb24 ${createHmac('sha256', key)
      .update(['leadconduit-account-action:record:v3', scope.repository, String(scope.pullRequest), scope.file, author, 'bm90IGpzb24'].join('\n'))
      .digest('base64url')} -->`;
    for (const record of [notJson, signedRecord({ changes: [] }), signedRecord({ changes: { path: 'a' }, text: 'x' }), signedRecord(null)]) {
      expect(readRecord(comment(record, 'body'), scope, author, key)).toEqual({ status: 'unsigned' });
    }
  });
});

describe('the text a record covers', () => {
  const marker = recordMarker([firehose], 'A plan\n\n| a | b |', scope, author, key);
  const read = (text: string) => readRecord(comment(marker, text), scope, author, key);

  it('ends a line at \\r\\n, \\n or a lone \\r', () => {
    expect(read('A plan\r\r| a | b |')).toMatchObject({ status: 'verified', edited: false });
    expect(visibleText('a\rb\r\nc')).toBe('a\nb\nc');
  });

  it('sees an edit that only joins or splits lines', () => {
    expect(read('A plan| a | b |')).toMatchObject({ status: 'verified', edited: true });
    expect(read('A plan\n\n| a |\n| b |')).toMatchObject({ status: 'verified', edited: true });
  });

  it("leaves out only the action's own hidden lines at the top: a line that merely holds their words is text", () => {
    expect(read('see <!-- leadconduit-account-action:record\nA plan\n\n| a | b |')).toMatchObject({ status: 'verified', edited: true });
    expect(visibleText(`${commentMarker('a.json')}\n${PENDING_RECORD}\nx <!-- leadconduit-account-action:comment -->\nbody`)).toBe(
      'x <!-- leadconduit-account-action:comment -->\nbody',
    );
  });

  it("a pending record is a hidden line the action's own, read as no record", () => {
    expect(PENDING_RECORD).toMatch(/^<!-- leadconduit-account-action:record:\S+ -->$/);
    expect(visibleText(`${commentMarker('a.json')}\n${PENDING_RECORD}`)).toBe('');
    expect(readRecord(comment(PENDING_RECORD, 'A plan'), scope, author, key)).toEqual({ status: 'unsigned' });
  });
});

describe('signing a comment again with the outcome on top', () => {
  const original = comment(recordMarker([firehose], 'A plan', scope, author, key), 'A plan');
  const withOutcome = (body: string) => body.replace('A plan', '### ✅ Applied\n\nA plan');

  it("keeps a comment whose record does not verify (another author's, or none) as the update made it", () => {
    const someoneElses = comment(recordMarker([firehose], 'A plan', scope, 'mallory', key), 'A plan');
    expect(resigned(someoneElses, withOutcome(someoneElses), scope, author, key)).toBe(withOutcome(someoneElses));
    const unsigned = comment(PENDING_RECORD, 'A plan');
    expect(resigned(unsigned, withOutcome(unsigned), scope, author, key)).toBe(withOutcome(unsigned));
  });

  it('signs a verified, unedited comment again over the text it now shows', () => {
    const updated = withOutcome(original);
    const again = resigned(original, updated, scope, author, key);
    expect(again).not.toBe(updated);
    expect(readRecord(again, scope, author, key)).toEqual({ status: 'verified', changes: digest([firehose]), edited: false });
  });
});
