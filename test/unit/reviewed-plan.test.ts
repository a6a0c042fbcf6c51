import { describe, expect, it } from 'vitest';
import type { Change } from '../../src/plan.js';
import { digest, recordMarker, signingKey, type RecordScope } from '../../src/reviewed-plan.js';

const scope: RecordScope = { repository: 'acme/settings', pullRequest: 7, file: 'leadconduit-account.json' };
const author = 'github-actions[bot]';
const key = signingKey('lc-test-api-key');
const retention: Change = { path: 'data_retention_in_days', before: 365, after: 30, destructive: true };
const state: Change = { path: 'subscriptions.pro.state', before: 'inactive', after: 'active', destructive: false };

describe('the digest of a change set', () => {
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
