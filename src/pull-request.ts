import { parseRetryAfter, withRetry, type Deadline, type RetryPolicy, type RetryVerdict } from './retry.js';

export interface GitHubOptions {
  token: string;
  apiUrl: string;
  owner: string;
  repo: string;
  retry: RetryPolicy;
  deadline: Deadline;
  requestTimeoutMs: number;
  debug?: (message: string) => void;
}

export interface IssueComment {
  id: number;
  body: string;
  url: string;
}

export interface AssociatedPullRequest {
  number: number;
  url: string;
  mergeCommitSha: string | null;
  merged: boolean;
}

/** The GitHub calls this action makes, each retried with the shared policy. */
export interface GitHubApi {
  /** The oldest comment on the PR whose body starts with the marker (every page is searched). */
  findComment(issueNumber: number, marker: string): Promise<IssueComment | undefined>;
  /**
   * Create or update the one comment that starts with the marker. After creating, look again:
   * a concurrent run of the same PR may have created one too, and only the oldest is kept.
   */
  upsertComment(issueNumber: number, marker: string, body: string): Promise<{ comment: IssueComment; created: boolean }>;
  /** A file's text at a commit; undefined when it does not exist there. */
  readFile(path: string, ref: string): Promise<string | undefined>;
  pullRequestsForCommit(sha: string): Promise<AssociatedPullRequest[]>;
}

interface OctokitError {
  status?: number;
  message?: string;
  response?: { headers?: Record<string, string | number | undefined> };
}

/** Secondary rate limits answer 403 (or 429) and ask the client to slow down. */
function classify(error: unknown): RetryVerdict {
  const { status, message = '', response } = (error ?? {}) as OctokitError;
  const retryAfterHeader = response?.headers?.['retry-after'];
  const retryAfterMs = parseRetryAfter(retryAfterHeader === undefined ? undefined : String(retryAfterHeader));
  const after = retryAfterMs === undefined ? {} : { retryAfterMs };
  // octokit reports a network failure or an aborted request as status 500 or without a status.
  if (status === undefined || status >= 500 || status === 408) return { retry: true, ...after };
  if (status === 429) return { retry: true, ...after };
  if (status === 403 && (retryAfterMs !== undefined || /secondary rate limit/i.test(message))) {
    return { retry: true, retryAfterMs: retryAfterMs ?? 60_000 };
  }
  return { retry: false };
}

export async function createGitHubApi(options: GitHubOptions): Promise<GitHubApi> {
  // Loaded here, not at start-up: validation and most applies never talk to GitHub.
  const { getOctokit } = await import('@actions/github');
  const octokit = getOctokit(options.token, { baseUrl: options.apiUrl });
  const { owner, repo, deadline } = options;

  const call = <T>(label: string, fn: (signal: AbortSignal) => Promise<T>): Promise<T> =>
    withRetry(
      () => fn(AbortSignal.any([deadline.signal, AbortSignal.timeout(options.requestTimeoutMs)])),
      classify,
      options.retry,
      deadline,
      ({ attempt, delayMs, error }) => options.debug?.(`GitHub ${label} attempt ${attempt} failed (${(error as Error).message}); retrying in ${delayMs} ms`),
    );

  const toComment = (c: { id: number; body?: string | null; html_url: string }): IssueComment => ({ id: c.id, body: c.body ?? '', url: c.html_url });

  async function listMarked(issueNumber: number, marker: string, stopAtFirst: boolean): Promise<IssueComment[]> {
    const found: IssueComment[] = [];
    for (let page = 1; ; page++) {
      const { data } = await call(`list comments of #${issueNumber} (page ${page})`, (signal) =>
        octokit.rest.issues.listComments({ owner, repo, issue_number: issueNumber, per_page: 100, page, request: { signal } }),
      );
      for (const comment of data) {
        if ((comment.body ?? '').startsWith(marker)) {
          found.push(toComment(comment));
          if (stopAtFirst) return found;
        }
      }
      if (data.length < 100) return found;
    }
  }

  return {
    async findComment(issueNumber, marker) {
      return (await listMarked(issueNumber, marker, true))[0];
    },

    async upsertComment(issueNumber, marker, body) {
      const existing = (await listMarked(issueNumber, marker, true))[0];
      if (existing) {
        const { data } = await call(`update comment ${existing.id}`, (signal) =>
          octokit.rest.issues.updateComment({ owner, repo, comment_id: existing.id, body, request: { signal } }),
        );
        return { comment: toComment(data), created: false };
      }
      const { data } = await call(`create comment on #${issueNumber}`, (signal) =>
        octokit.rest.issues.createComment({ owner, repo, issue_number: issueNumber, body, request: { signal } }),
      );
      const mine = toComment(data);
      // Two plans of the same PR at once may both have created one: keep the oldest, drop the rest.
      const all = await listMarked(issueNumber, marker, false);
      const [oldest, ...duplicates] = all.sort((a, b) => a.id - b.id);
      if (!oldest || oldest.id === mine.id) {
        for (const duplicate of duplicates) await deleteQuietly(duplicate.id);
        return { comment: mine, created: true };
      }
      await deleteQuietly(mine.id);
      const { data: kept } = await call(`update comment ${oldest.id}`, (signal) =>
        octokit.rest.issues.updateComment({ owner, repo, comment_id: oldest.id, body, request: { signal } }),
      );
      return { comment: toComment(kept), created: false };
    },

    async readFile(path, ref) {
      try {
        const { data } = await call(`read ${path} at ${ref.slice(0, 12)}`, (signal) =>
          octokit.rest.repos.getContent({ owner, repo, path, ref, request: { signal } }),
        );
        if (Array.isArray(data) || data.type !== 'file' || !('content' in data)) return undefined;
        return Buffer.from(data.content, 'base64').toString('utf8');
      } catch (error) {
        if ((error as OctokitError).status === 404) return undefined;
        throw error;
      }
    },

    async pullRequestsForCommit(sha) {
      const { data } = await call(`list pull requests of commit ${sha.slice(0, 12)}`, (signal) =>
        octokit.rest.repos.listPullRequestsAssociatedWithCommit({ owner, repo, commit_sha: sha, request: { signal } }),
      );
      return data.map((pr) => ({ number: pr.number, url: pr.html_url, mergeCommitSha: pr.merge_commit_sha ?? null, merged: Boolean(pr.merged_at) }));
    },
  };

  async function deleteQuietly(id: number): Promise<void> {
    try {
      await call(`delete duplicate comment ${id}`, (signal) => octokit.rest.issues.deleteComment({ owner, repo, comment_id: id, request: { signal } }));
    } catch (error) {
      // Already deleted by the other run: the goal (one comment) is met.
      if ((error as OctokitError).status !== 404) throw error;
    }
  }
}

/** A GitHub failure as one line for a warning. */
export function describeGitHubError(action: string, error: unknown): string {
  const { status, message } = (error ?? {}) as OctokitError;
  const reason = (message ?? String(error)).split('\n')[0];
  if (status === 403 || status === 401) {
    return `Could not ${action}: GitHub answered ${status} (${reason}). A pull request from a fork gets a read-only token; otherwise give the job "pull-requests: write" permission.`;
  }
  if (status === 404) return `Could not ${action}: GitHub answered 404 (${reason}). Check the repository and the token's access.`;
  return `Could not ${action}: ${status ? `GitHub answered ${status} (${reason})` : reason}.`;
}
