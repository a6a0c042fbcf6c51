/**
 * The pull request's comment as the action's own record, from the first plan to the apply's
 * outcome: the plan run writes it (a signed plan, or the failure and no plan), the apply after
 * the merge reads the reviewed plan back and writes its outcome on top. Only comments whose
 * signature verifies for their author count; any other comment with the marker is left alone and
 * named. GitHub I/O only: the record itself is reviewed-plan.ts, the Markdown report.ts.
 */
import type { Change } from './plan.js';
import type { CommentQuery, GitHubApi, IssueComment } from './pull-request.js';
import { withOutcome } from './report-comment.js';
import { commentMarker, readRecord, recordMarker, type RecordScope, type ReviewedChange } from './reviewed-plan.js';

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
  return { marker: commentMarker(scope.file), isOurs: (c) => readRecord(c.body, scope, c.author, key).status === 'verified' };
}

const ignored = (comments: readonly IssueComment[]): IgnoredComment[] => comments.map((c) => ({ author: c.author, url: c.url }));

/**
 * Writes this file's record on the pull request: the plan's changes (signed), or null when the run
 * failed and no plan stands. `render(markers)` makes the body around the hidden markers.
 */
export async function writeRecord(
  place: RecordPlace,
  changes: readonly Change[] | null,
  render: (markers: string) => string,
): Promise<{ url: string; created: boolean; ignored: IgnoredComment[] }> {
  const { scope, key } = place;
  const marker = commentMarker(scope.file);
  const { comment, created, foreign } = await place.github.upsertComment(scope.pullRequest, query(place), (author) =>
    render(`${marker}\n${recordMarker(changes, scope, author, key)}`),
  );
  return { url: comment.url, created, ignored: ignored(foreign) };
}

export type ReviewedPlan =
  /** The merged pull request's record holds the plan reviewers saw. */
  | { found: 'plan'; comment: IssueComment; changes: ReviewedChange[]; ignored: IgnoredComment[] }
  /** Its record says the last plan run failed: no plan stands. */
  | { found: 'failed-plan'; comment: IssueComment; ignored: IgnoredComment[] }
  /** No record of the action's for this file. */
  | { found: 'none'; ignored: IgnoredComment[] };

/** The record of this file on a pull request, checked; GitHub failures are thrown. */
export async function readReviewedPlan(place: RecordPlace): Promise<ReviewedPlan> {
  const { scope, key } = place;
  const marked = await place.github.markedComments(scope.pullRequest, commentMarker(scope.file));
  const checked = marked.map((comment) => ({ comment, record: readRecord(comment.body, scope, comment.author, key) }));
  const others = ignored(checked.filter((c) => c.record.status !== 'verified').map((c) => c.comment));
  // The oldest of the action's own comments is the record (a later one is a race's leftover).
  const own = checked.find((c) => c.record.status === 'verified');
  if (own?.record.status !== 'verified') return { found: 'none', ignored: others };
  const { comment, record } = own;
  return record.changes === null ? { found: 'failed-plan', comment, ignored: others } : { found: 'plan', comment, changes: record.changes, ignored: others };
}

/** The merged pull request of a pushed commit, if it belongs to one. */
export async function mergedPullRequest(github: GitHubApi, sha: string): Promise<number | undefined> {
  const pulls = await github.pullRequestsForCommit(sha);
  return (pulls.find((p) => p.mergeCommitSha === sha) ?? pulls.find((p) => p.merged))?.number;
}

/**
 * After the apply: its outcome on top of the record (the plan stays below for the record), or a
 * new record without a plan when the pull request has none.
 */
export async function writeOutcome(place: RecordPlace, record: IssueComment | undefined, outcome: string): Promise<string> {
  if (record) return (await place.github.updateComment(record.id, withOutcome(record.body, outcome))).url;
  return (await writeRecord(place, null, (markers) => withOutcome(markers, outcome))).url;
}
