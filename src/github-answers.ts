/** GitHub's answers read into the shapes of github-api.ts; anything else is an unexpected answer, never a guess. */
import { UnexpectedAnswerError } from './github-errors.js';
import type { AssociatedPullRequest, IssueComment } from './github-api.js';

/** One comment; its author is "" where GitHub names none (a deleted user). */
export function commentOf(data: unknown, call: string): IssueComment {
  const c = data as { id?: unknown; body?: unknown; html_url?: unknown; user?: { login?: unknown } | null } | null;
  if (typeof c !== 'object' || c === null || Array.isArray(c) || typeof c.id !== 'number' || typeof c.html_url !== 'string') {
    throw new UnexpectedAnswerError(call, data);
  }
  const login = c.user?.login;
  return { id: c.id, body: typeof c.body === 'string' ? c.body : '', url: c.html_url, author: typeof login === 'string' ? login : '' };
}

export function listOf(data: unknown, call: string): unknown[] {
  if (!Array.isArray(data)) throw new UnexpectedAnswerError(call, data);
  return data as unknown[];
}

/** One pull request of a commit's list; `list` is the whole answer, quoted if this one is not a pull request. */
export function pullRequestOf(item: unknown, list: unknown, call: string): AssociatedPullRequest {
  const pr = item as { number?: unknown; html_url?: unknown; merge_commit_sha?: unknown; merged_at?: unknown } | null;
  if (typeof pr !== 'object' || pr === null || typeof pr.number !== 'number') throw new UnexpectedAnswerError(call, list);
  return {
    number: pr.number,
    url: typeof pr.html_url === 'string' ? pr.html_url : '',
    mergeCommitSha: typeof pr.merge_commit_sha === 'string' ? pr.merge_commit_sha : null,
    merged: Boolean(pr.merged_at),
  };
}

/** A directory is a list, anything else an object with a type; otherwise the answer was cut short. */
export function isContentsAnswer(answer: unknown): answer is unknown[] | { type: string; content?: unknown } {
  if (Array.isArray(answer)) return true;
  return typeof answer === 'object' && answer !== null && typeof (answer as { type?: unknown }).type === 'string';
}
