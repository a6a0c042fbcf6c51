/**
 * The GitHub calls this action makes, as types: what they take and what they give back. The calls
 * themselves are in pull-request.ts (octokit, loaded on the first one); GitHub's answers are read
 * into these shapes by github-answers.ts.
 */
import type { Deadline } from './deadline.js';
import type { RetryPolicy } from './retry.js';

export interface GitHubOptions {
  token: string;
  apiUrl: string;
  owner: string;
  repo: string;
  retry: RetryPolicy;
  deadline: Deadline;
  requestTimeoutMs: number;
  debug?: (message: string) => void;
  /** Masks secrets in GitHub's messages as they arrive, before anything quotes or cuts them. */
  scrub?: (text: string) => string;
}

export interface IssueComment {
  id: number;
  body: string;
  url: string;
  /** The author's login ("" for a deleted user). */
  author: string;
}

export interface AssociatedPullRequest {
  number: number;
  url: string;
  mergeCommitSha: string | null;
  merged: boolean;
}

/**
 * A comment that carries the marker, as listed. Only what the action acts on is kept: every marked
 * comment by its id, address and author, and a body only where one is needed (the record of each
 * login, which a hostile pull request cannot forge without the key). Thousands of other marked
 * comments of 64 KB each are then a few bytes apiece.
 */
export interface MarkedComment {
  id: number;
  url: string;
  author: string;
  /** Its record verifies for its author (CommentQuery.record): the action's own login wrote it. */
  verified: boolean;
  /** Its body is the one this run posted before signing it (see upsertComment). */
  pending: boolean;
  /** It carries a record that does not verify (CommentQuery.record): signed with another key, or forged. */
  badRecord: boolean;
  /** The body of the oldest verified comment of each author; the others' are not kept. */
  body?: string;
}

/** Which comments are this file's, and how the action's own record is told from anything else. */
export interface CommentQuery {
  /** The hidden first line every comment of this file starts with. */
  marker: string;
  /**
   * A marked comment's record, checked once (plan-comment.ts): 'verified' when it verifies for its
   * author (a run holding the key wrote it, as that login, which is the action's own), 'bad-signature'
   * when it carries a record that does not (another key, or forged), 'unsigned' when it has none.
   */
  record: (comment: IssueComment) => 'verified' | 'bad-signature' | 'unsigned';
}

/** The GitHub calls this action makes, each retried with the shared policy. */
export interface GitHubApi {
  /**
   * Every comment on the PR whose body starts with the marker, oldest first, each judged by
   * `query.record` as it is read. Every page is read, up to MAX_COMMENT_PAGES (pull-request.ts): past that it
   * throws TooManyCommentsError, never a list cut short.
   */
  markedComments(issueNumber: number, query: CommentQuery): Promise<MarkedComment[]>;
  /**
   * Create or update the action's one comment. The action's comments are those of its own login:
   * the author of a comment whose record verifies, or, on a pull request with none, the author
   * GitHub gives the comment the action creates (posted without a record, then signed for that
   * login: a record is never signed for a login guessed beforehand). Of the action's comments only
   * the oldest is kept, the rest (from a concurrent run, a create whose answer was lost, an earlier
   * API key) are deleted. Marked comments of any other login are never edited or deleted; they are
   * returned as `foreign` (without their bodies). `render(author)` makes the body signed for
   * `author`, or, with undefined, the body without a record.
   */
  upsertComment(
    issueNumber: number,
    query: CommentQuery,
    render: (author: string | undefined) => string,
  ): Promise<{ comment: IssueComment; created: boolean; foreign: MarkedComment[] }>;
  updateComment(id: number, body: string): Promise<IssueComment>;
  /** A file's text at a commit; undefined when it does not exist there. */
  readFile(path: string, ref: string): Promise<string | undefined>;
  pullRequestsForCommit(sha: string): Promise<AssociatedPullRequest[]>;
}
