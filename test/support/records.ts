/**
 * The action's signed record in a PR comment, as tests seed and read it: a comment the action
 * wrote (signed with the test API key for its author) versus anything anyone else wrote.
 */
import type { Change } from '../../src/plan.js';
import { commentMarker, readRecord, recordMarker, signingKey, type RecordScope, type ReviewedChange } from '../../src/reviewed-plan.js';
import { PR_NUMBER } from './action-env.js';
import { ACTIONS_BOT } from './fake-github.js';
import { TEST_API_KEY } from './sample-account.js';

export const FILE = 'leadconduit-account.json';
export const MARKER = commentMarker(FILE);

export function scope(pullRequest = PR_NUMBER, file = FILE): RecordScope {
  return { repository: 'acme/settings', pullRequest, file };
}

/** A comment body the action would write: marker, signed record, then `text`. */
export function ownRecordBody(changes: readonly Change[] | null, text = 'a plan', author = ACTIONS_BOT.login, apiKey = TEST_API_KEY, where = scope()): string {
  return `${commentMarker(where.file)}\n${recordMarker(changes, text, where, author, signingKey(apiKey))}\n${text}`;
}

/**
 * The changes a comment records, when its signature verifies for `author`; undefined otherwise; null
 * for a failure record. The file is the one its marker names, unless `where` says otherwise.
 */
export function recordedChanges(body: string, author = ACTIONS_BOT.login, where?: RecordScope): ReviewedChange[] | null | undefined {
  const file = /^<!-- leadconduit-account-action:comment file=(\S*) -->/.exec(body)?.[1];
  const record = readRecord(body, where ?? scope(PR_NUMBER, decodeURIComponent(file ?? FILE)), author, signingKey(TEST_API_KEY));
  return record.status === 'verified' ? record.changes : undefined;
}
