/**
 * The pull request's comment as the action's own record, from the first plan to the apply's
 * outcome: the plan run writes it (a signed plan, or the failure and no plan), the apply after
 * the merge reads the reviewed plan back and writes its outcome on top. The action's comments are
 * those of its own login, which its signed record names; any other comment with the marker is left
 * alone and named. GitHub I/O only: the record itself is reviewed-plan.ts, the Markdown report-*.ts.
 */
import type { Change } from './plan.js';
import type { CommentQuery, GitHubApi, IssueComment, MarkedComment } from './github-api.js';
import { withOutcome } from './report-comment.js';
import { PENDING_RECORD, commentMarker, digest, readRecord, recordMarker, resigned, type RecordScope, type ReviewedChange } from './reviewed-plan.js';
import { plural } from './wording.js';

/** GitHub refuses a comment body longer than this many characters (422). */
export const GITHUB_COMMENT_LIMIT = 65_536;

/**
 * Room kept in a plan comment for the apply's outcome, which goes on top of it after the merge:
 * the plan below is signed as it stands, so only the outcome can be made to fit.
 */
const OUTCOME_ROOM = 6_000;

/** Where the record lives and the key that signs it. */
export interface RecordPlace {
  github: GitHubApi;
  scope: RecordScope;
  key: Buffer;
}

/** A comment that carries this file's marker but is not the action's own record. */
export interface IgnoredComment {
  author: string;
  url: string;
}

function query({ scope, key }: RecordPlace): CommentQuery {
  return { marker: commentMarker(scope.file), record: (c) => readRecord(c.body, scope, c.author, key).status };
}

const ignored = (comments: readonly MarkedComment[]): IgnoredComment[] => comments.map((c) => ({ author: c.author, url: c.url }));

/**
 * One note per author of ignored comments (a pull request may hold hundreds), `where` e.g.
 * "on pull request #7 ".
 */
export function groupIgnored(comments: readonly IgnoredComment[], where = ''): string[] {
  const byAuthor = new Map<string, number>();
  for (const { author } of comments) byAuthor.set(author, (byAuthor.get(author) ?? 0) + 1);
  return [...byAuthor].map(([author, count]) => {
    const who = author || 'a deleted user';
    return count === 1
      ? `Ignored a comment ${where}by ${who} that carries this action's marker but not its signature: it was not edited, and it is not read as a plan.`
      : `Ignored ${plural(count, 'comment')} ${where}by ${who} that carry this action's marker but not its signature: they were not edited, and they are not read as a plan.`;
  });
}

/**
 * Writes this file's record on the pull request: the plan's changes (signed, with the comment's
 * visible text), or null when the run failed and no plan stands. `render(limit)`
 * makes the visible text, at most `limit` characters, so that the whole comment, the apply's
 * outcome later included, stays under GitHub's limit.
 */
export async function writeRecord(
  place: RecordPlace,
  changes: readonly Change[] | null,
  render: (limit: number) => string,
): Promise<{ url: string; created: boolean; ignored: IgnoredComment[] }> {
  const { scope, key } = place;
  const marker = commentMarker(scope.file);
  const record = changes === null ? null : digest(changes);
  // The record's length does not depend on its author but for the login itself (at most 39 + "[bot]").
  const markers = `${marker}\n${recordMarker(record, '', scope, 'x'.repeat(50), key)}\n`;
  const visible = render(GITHUB_COMMENT_LIMIT - markers.length - OUTCOME_ROOM);
  const body = (author: string | undefined) =>
    `${marker}\n${author === undefined ? PENDING_RECORD : recordMarker(record, visible, scope, author, key)}\n${visible}`;
  const { comment, created, foreign } = await place.github.upsertComment(scope.pullRequest, query(place), body);
  return { url: comment.url, created, ignored: ignored(foreign) };
}

export type ReviewedPlan =
  /**
   * The merged pull request's record holds the plan reviewers saw; `edited` when the comment's
   * visible text is no longer the one signed with it.
   */
  | { found: 'plan'; comment: IssueComment; changes: ReviewedChange[]; edited: boolean; ignored: IgnoredComment[] }
  /** Its record says the last plan run failed: no plan stands. */
  | { found: 'failed-plan'; comment: IssueComment; ignored: IgnoredComment[] }
  /**
   * No record of the action's for this file. `unverified`: the authors of marked comments whose
   * record does not verify (signed with another API key, or forged).
   */
  | { found: 'none'; ignored: IgnoredComment[]; unverified: string[] };

/** The record of this file on a pull request, checked; GitHub failures are thrown. */
export async function readReviewedPlan(place: RecordPlace): Promise<ReviewedPlan> {
  const { scope, key } = place;
  const marked = await place.github.markedComments(scope.pullRequest, query(place));
  // The oldest of the action's own comments is the record (a later one is a race's leftover); its body is kept.
  const own = marked.find((c) => c.verified && c.author !== '');
  const record = own?.body === undefined ? undefined : readRecord(own.body, scope, own.author, key);
  if (own?.body === undefined || record?.status !== 'verified') {
    const unverified = [...new Set(marked.filter((c) => c.badRecord).map((c) => c.author || 'a deleted user'))];
    return { found: 'none', ignored: ignored(marked), unverified };
  }
  const comment: IssueComment = { id: own.id, url: own.url, author: own.author, body: own.body };
  const others = ignored(marked.filter((c) => c.author !== comment.author));
  if (record.changes === null) return { found: 'failed-plan', comment, ignored: others };
  return { found: 'plan', comment, changes: record.changes, edited: record.edited, ignored: others };
}

/** The merged pull request of a pushed commit, if it belongs to one. */
export async function mergedPullRequest(github: GitHubApi, sha: string): Promise<number | undefined> {
  const pulls = await github.pullRequestsForCommit(sha);
  return (pulls.find((p) => p.mergeCommitSha === sha) ?? pulls.find((p) => p.merged))?.number;
}

/**
 * After the apply: its outcome on top of the record (the plan stays below for the record), or a
 * new record without a plan when the pull request has none. `render(max)` makes the outcome with
 * its texts cut to `max` characters: shorter ones are tried until the comment fits GitHub's limit.
 */
export async function writeOutcome(place: RecordPlace, record: IssueComment | undefined, render: (max: number) => string): Promise<string> {
  const fitting = (body: string) => {
    for (const max of [1_500, 300]) {
      const outcome = withOutcome(body, render(max));
      if (outcome.length <= GITHUB_COMMENT_LIMIT) return outcome;
    }
    return withOutcome(body, render(40));
  };
  if (record) return (await place.github.updateComment(record.id, resigned(record.body, fitting(record.body), place.scope, record.author, place.key))).url;
  return (await writeRecord(place, null, () => fitting('').replace(/^\n/, ''))).url;
}
