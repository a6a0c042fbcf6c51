import { createHmac, timingSafeEqual } from 'node:crypto';
import { isDateTimePath } from './account-schema.js';
import type { Change, Json } from './plan.js';

/**
 * The plan reviewers saw, embedded in the PR comment's hidden marker and signed, so that the
 * apply after the merge can prove it sends exactly that and nothing else, and can tell the
 * action's own record from anything someone else wrote.
 */
export interface ReviewedChange {
  path: string;
  before: Json;
  after: Json;
}

const COMMENT_MARKER = 'leadconduit-account-action:comment';
const RECORD_MARKER = 'leadconduit-account-action:record:v2';

/** The hidden first line that finds this file's comment again (a matrix keeps one comment per file). */
export function commentMarker(file: string): string {
  return `<!-- ${COMMENT_MARKER} file=${encodeURIComponent(file)} -->`;
}

/** Date-times as instants, in path order: two digests of the same change set are equal strings. */
export function digest(changes: readonly Change[]): ReviewedChange[] {
  return changes
    .map((c) => {
      const path = c.path.split('.');
      return { path: c.path, before: normalize(path, c.before), after: normalize(path, c.after) };
    })
    .sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
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
 * The hidden, signed record of a comment: the reviewed changes, or null when the last plan run
 * failed and no plan stands. The signature covers the scope and the comment's author, so a copy
 * of the action's comment posted by anyone else, or on another pull request, does not verify.
 */
export function recordMarker(changes: readonly Change[] | null, scope: RecordScope, author: string, key: Buffer): string {
  // base64url keeps any value ("-->" included) from ending the HTML comment.
  const payload = Buffer.from(JSON.stringify({ changes: changes === null ? null : digest(changes) })).toString('base64url');
  return `<!-- ${RECORD_MARKER} ${payload} ${sign(payload, scope, author, key)} -->`;
}

export type RecordCheck =
  /** Written by this action with this API key, for this pull request, file and author. */
  | { status: 'verified'; changes: ReviewedChange[] | null }
  /** The comment carries no record (or an unreadable one). */
  | { status: 'unsigned' }
  /** A record whose signature does not verify: another author, another key, or forged. */
  | { status: 'bad-signature' };

/** The record of a comment body, checked against its author and this run's key. */
export function readRecord(body: string, scope: RecordScope, author: string, key: Buffer): RecordCheck {
  const match = new RegExp(`<!-- ${RECORD_MARKER} ([A-Za-z0-9_-]+) ([A-Za-z0-9_-]+) -->`).exec(body);
  if (!match) return { status: 'unsigned' };
  const [, payload = '', signature = ''] = match;
  const expected = Buffer.from(sign(payload, scope, author, key), 'base64url');
  const given = Buffer.from(signature, 'base64url');
  if (given.length !== expected.length || !timingSafeEqual(given, expected)) return { status: 'bad-signature' };
  const changes = parseChanges(payload);
  return changes === undefined ? { status: 'unsigned' } : { status: 'verified', changes };
}

function sign(payload: string, scope: RecordScope, author: string, key: Buffer): string {
  const text = [RECORD_MARKER, scope.repository.toLowerCase(), String(scope.pullRequest), scope.file, author.toLowerCase(), payload].join('\n');
  return createHmac('sha256', key).update(text).digest('base64url');
}

/** The changes of a verified payload; undefined when it does not hold a change list or null. */
function parseChanges(payload: string): ReviewedChange[] | null | undefined {
  try {
    const value = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8')) as { changes?: unknown };
    if (value.changes === null) return null;
    if (!Array.isArray(value.changes)) return undefined;
    return value.changes.filter(isReviewedChange);
  } catch {
    return undefined;
  }
}

function isReviewedChange(value: unknown): value is ReviewedChange {
  return typeof value === 'object' && value !== null && typeof (value as ReviewedChange).path === 'string';
}

export function sameChanges(reviewed: readonly ReviewedChange[], planned: readonly Change[]): boolean {
  const normalizedReviewed = reviewed
    .map((r) => {
      const path = r.path.split('.');
      return { path: r.path, before: normalize(path, r.before), after: normalize(path, r.after) };
    })
    .sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
  return JSON.stringify(normalizedReviewed) === JSON.stringify(digest(planned));
}

function normalize(path: readonly string[], value: Json): Json {
  if (isDateTimePath(path) && typeof value === 'string') {
    const time = Date.parse(value);
    if (!Number.isNaN(time)) return new Date(time).toISOString();
  }
  return value ?? null;
}
