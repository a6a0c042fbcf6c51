import { isDateTimePath } from './account-schema.js';
import type { Change, Json } from './plan.js';

/**
 * The plan reviewers saw, embedded in the PR comment's hidden marker, so that the apply after the
 * merge can prove it sends exactly that and nothing else.
 */
export interface ReviewedChange {
  path: string;
  before: Json;
  after: Json;
}

const COMMENT_MARKER = 'leadconduit-account-action:comment';
const PLAN_MARKER = 'leadconduit-account-action:plan:v1';

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

export function planMarker(changes: readonly Change[]): string {
  // base64url keeps any value ("-->" included) from ending the HTML comment.
  const payload = Buffer.from(JSON.stringify(digest(changes))).toString('base64url');
  return `<!-- ${PLAN_MARKER} ${payload} -->`;
}

/** The reviewed changes from a comment body, or undefined when it has none or it is unreadable. */
export function readPlanMarker(body: string): ReviewedChange[] | undefined {
  const match = new RegExp(`<!-- ${PLAN_MARKER} ([A-Za-z0-9_-]*) -->`).exec(body);
  if (!match) return undefined;
  try {
    const value = JSON.parse(Buffer.from(match[1] ?? '', 'base64url').toString('utf8')) as unknown;
    if (!Array.isArray(value)) return undefined;
    return value.filter((v): v is ReviewedChange => typeof v === 'object' && v !== null && typeof (v as ReviewedChange).path === 'string');
  } catch {
    return undefined;
  }
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
