import { createHash, createHmac, timingSafeEqual } from 'node:crypto';
import { isDateTimePath } from './account-schema.js';
import type { Change, Json } from './plan.js';

/**
 * The plan reviewers saw, embedded in the PR comment's hidden marker and signed, so that the
 * apply after the merge can prove it sends exactly that and nothing else, as the comment showed
 * it, and can tell the action's own record from anything someone else wrote.
 */
export interface ReviewedChange {
  path: string;
  /** The value, or `{ sha256 }` of a long one (a record stays small whatever the values hold). */
  before: Json;
  after: Json;
}

const COMMENT_MARKER = 'leadconduit-account-action:comment';
const RECORD_MARKER = 'leadconduit-account-action:record:v3';

/** The record line of a comment the action has posted but not yet signed (its login is learned from GitHub's answer). */
export const PENDING_RECORD = '<!-- leadconduit-account-action:record:pending -->';

/** The record's hidden line: its payload and its signature. */
const RECORD_LINE = new RegExp(`^<!-- ${RECORD_MARKER} ([A-Za-z0-9_-]+) ([A-Za-z0-9_-]+) -->$`, 'm');

/** A value whose JSON is longer than this is recorded by its hash. */
const LONG_VALUE = 64;

/** The hidden first line that finds this file's comment again (a matrix keeps one comment per file). */
export function commentMarker(file: string): string {
  return `<!-- ${COMMENT_MARKER} file=${encodeURIComponent(file)} -->`;
}

/**
 * Date-times as instants and long values as hashes, in path order (no two changes of a set share
 * a path): two digests of the same change set are equal strings.
 */
export function digest(changes: readonly (Change | ReviewedChange)[]): ReviewedChange[] {
  return changes
    .map((c) => {
      const path = c.path.split('.');
      return { path: c.path, before: normalize(path, c.before), after: normalize(path, c.after) };
    })
    .sort((a, b) => (a.path < b.path ? -1 : 1));
}

/** Where a record belongs: a signature made for one pull request and file is worth nothing on another. */
export interface RecordScope {
  /** owner/repo */
  repository: string;
  pullRequest: number;
  /** The desired-state file's path from the repository root. */
  file: string;
}

/**
 * The key that signs records: derived from the LeadConduit API key (one HMAC step), so that only
 * a run holding the key can sign, and the key itself is never used, stored or shown.
 */
export function signingKey(apiKey: string): Buffer {
  return createHmac('sha256', apiKey).update('leadconduit-account-action plan-record signing key v1').digest();
}

/**
 * What a comment shows below its hidden lines, the apply's outcome included, with line endings
 * and trailing spaces evened out: the text the record's signature covers. Nothing a reader sees
 * is left out of it: text slipped in anywhere, even between the outcome's own markers, is an edit.
 */
export function visibleText(body: string): string {
  const lines = body.replace(/\r\n?/g, '\n').split('\n');
  let start = 0;
  while (/^<!-- leadconduit-account-action:(comment|record)/.test(lines[start] ?? '')) start++;
  return lines
    .slice(start)
    .join('\n')
    .split('\n')
    .map((line) => line.trimEnd())
    .join('\n')
    .trim();
}

const textDigest = (body: string) => createHash('sha256').update(visibleText(body)).digest('base64url');

/**
 * The hidden, signed record of a comment whose visible text is `visible`: the reviewed changes,
 * or null when the last plan run failed and no plan stands. The signature covers the scope, the
 * comment's author, the changes and the visible text's hash, so a copy of the action's comment
 * posted by anyone else, or on another pull request, does not verify, and an edit of what
 * reviewers read is seen.
 */
export function recordMarker(changes: readonly (Change | ReviewedChange)[] | null, visible: string, scope: RecordScope, author: string, key: Buffer): string {
  const record = { changes: changes === null ? null : digest(changes), text: textDigest(visible) };
  // base64url keeps any value ("-->" included) from ending the HTML comment.
  const payload = Buffer.from(JSON.stringify(record)).toString('base64url');
  return `<!-- ${RECORD_MARKER} ${payload} ${sign(payload, scope, author, key)} -->`;
}

/**
 * `updated` (the comment `original` with the apply's outcome put on top) with its record signed
 * again over the text it now shows, so the outcome is part of what the signature covers. Only a
 * record that verifies for `original` as it stands is signed again: an edited comment, or one
 * without a valid record, keeps what it had, and reads as it did.
 */
export function resigned(original: string, updated: string, scope: RecordScope, author: string, key: Buffer): string {
  const check = readRecord(original, scope, author, key);
  if (check.status !== 'verified' || check.edited) return updated;
  return updated.replace(RECORD_LINE, () => recordMarker(check.changes, updated, scope, author, key));
}

export type RecordCheck =
  /**
   * Written by this action with this API key, for this pull request, file and author: the changes
   * (null for a failed plan), and whether the visible text changed since.
   */
  | { status: 'verified'; changes: ReviewedChange[] | null; edited: boolean }
  /** The comment carries no record (or an unreadable one). */
  | { status: 'unsigned' }
  /** A record whose signature does not verify: another author, another key, or forged. */
  | { status: 'bad-signature' };

/** The record of a comment body, checked against its author and this run's key. */
export function readRecord(body: string, scope: RecordScope, author: string, key: Buffer): RecordCheck {
  const match = RECORD_LINE.exec(body);
  if (!match) return { status: 'unsigned' };
  const [, payload = '', signature = ''] = match;
  const expected = Buffer.from(sign(payload, scope, author, key), 'base64url');
  const given = Buffer.from(signature, 'base64url');
  if (given.length !== expected.length || !timingSafeEqual(given, expected)) return { status: 'bad-signature' };
  const record = parseRecord(payload);
  if (!record) return { status: 'unsigned' };
  return { status: 'verified', changes: record.changes, edited: record.text !== textDigest(body) };
}

function sign(payload: string, scope: RecordScope, author: string, key: Buffer): string {
  const text = [RECORD_MARKER, scope.repository.toLowerCase(), String(scope.pullRequest), scope.file, author.toLowerCase(), payload].join('\n');
  return createHmac('sha256', key).update(text).digest('base64url');
}

/** A verified payload's content; undefined when it is not a record this version wrote. */
function parseRecord(payload: string): { changes: ReviewedChange[] | null; text: string } | undefined {
  let value: { changes?: unknown; text?: unknown } | null;
  try {
    value = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8')) as typeof value;
  } catch {
    return undefined;
  }
  if (typeof value?.text !== 'string') return undefined;
  if (value.changes === null) return { changes: null, text: value.text };
  if (!Array.isArray(value.changes)) return undefined;
  return { changes: value.changes.filter(isReviewedChange), text: value.text };
}

function isReviewedChange(value: unknown): value is ReviewedChange {
  return typeof (value as { path?: unknown } | null)?.path === 'string';
}

/** Whether the changes planned now are the reviewed ones (compared as digests). */
export function sameChanges(reviewed: readonly ReviewedChange[], planned: readonly Change[]): boolean {
  return JSON.stringify(digest(reviewed)) === JSON.stringify(digest(planned));
}

function normalize(path: readonly string[], value: Json): Json {
  if (isDateTimePath(path) && typeof value === 'string') {
    const time = Date.parse(value);
    if (!Number.isNaN(time)) return new Date(time).toISOString();
  }
  // A record's entry may lack a value (null stays null below).
  if (value === undefined) return null;
  const json = JSON.stringify(value);
  // A hash's own JSON is shorter than LONG_VALUE: digests of digests are the same.
  if (json.length > LONG_VALUE) return { sha256: createHash('sha256').update(json).digest('base64url') };
  return value;
}
