/** The GitHub calls this action makes (octokit, loaded on the first one): comments, a file, the pull request of a commit. */
import { AnswerTooLargeError, MAX_GITHUB_ANSWER_BYTES, cappedResponse } from './capped-body.js';
import { getErrorMessage } from './errors.js';
import { commentOf, isContentsAnswer, listOf, pullRequestOf } from './github-answers.js';
import type { CommentQuery, GitHubApi, GitHubOptions, IssueComment, MarkedComment } from './github-api.js';
import { TooManyCommentsError, UnexpectedAnswerError, classify, mightHaveCreated, type OctokitError } from './github-errors.js';
import { retryingCall } from './retry.js';

/**
 * Pages of comments read at most (100 a page): 10,000 comments, far above any real pull request
 * (a few thousand at the very most). A GitHub that pages for ever would otherwise be read until
 * the deadline.
 */
const MAX_COMMENT_PAGES = 100;
const PER_PAGE = 100;

export async function createGitHubApi(options: GitHubOptions): Promise<GitHubApi> {
  // Loaded here, not at start-up: validation and most applies never talk to GitHub.
  const { getOctokit } = await import('./octokit.js');
  // Every answer is read up to a cap. octokit reads bodies itself and swallows a failed read, so
  // the cap is told per attempt (by its signal) and that attempt fails with it, not retried. The
  // capped fetch wraps the one @actions/github sets up (it honours the runner's proxy settings).
  const tooLarge = new WeakMap<AbortSignal, AnswerTooLargeError>();
  const defaults = getOctokit(options.token, { baseUrl: options.apiUrl }).request.endpoint.DEFAULTS.request;
  const inner = (defaults?.fetch as typeof fetch | undefined) ?? fetch;
  const capped = async (input: string | URL | Request, init?: RequestInit): Promise<Response> =>
    cappedResponse(await inner(input, init), MAX_GITHUB_ANSWER_BYTES, (error) => {
      if (init?.signal) tooLarge.set(init.signal, error);
    });
  const octokit = getOctokit(options.token, { baseUrl: options.apiUrl, request: { ...defaults, fetch: capped } });
  const { owner, repo } = options;
  const scrub = options.scrub ?? ((text: string) => text);

  const call = <T>(label: string, fn: (signal: AbortSignal, attempt: number) => Promise<T>): Promise<T> =>
    retryingCall(`GitHub ${label}`, { ...options, classify }, async ({ signal }, attempt) => {
      try {
        const result = await fn(signal, attempt);
        const overflow = tooLarge.get(signal);
        if (overflow) throw overflow;
        return result;
      } catch (error) {
        const overflow = tooLarge.get(signal);
        if (overflow) throw overflow;
        // GitHub's own message may quote a secret (a proxy echoing the token): masked raw, here.
        if (error instanceof Error) error.message = scrub(error.message);
        throw error;
      }
    });

  /**
   * The marked comments of a pull request (MarkedComment: bodies only where needed). `pending` is
   * the body this run posted, if any; `afterWrite` says that something may have been written on
   * the pull request before this listing, for the message of a listing past the cap.
   */
  async function listMarked(issueNumber: number, { marker, record }: CommentQuery, pending?: string, afterWrite = false): Promise<MarkedComment[]> {
    const found: MarkedComment[] = [];
    const recordOf = new Map<string, MarkedComment>();
    for (let page = 1; page <= MAX_COMMENT_PAGES; page++) {
      const label = `list comments of #${issueNumber} (page ${page})`;
      // Checked inside the attempt, so that a list cut short is retried, never read as "no comment".
      const comments = await call(label, async (signal) => {
        const { data } = await octokit.rest.issues.listComments({ owner, repo, issue_number: issueNumber, per_page: PER_PAGE, page, request: { signal } });
        return listOf(data, label).map((item) => commentOf(item, label));
      });
      for (const { id, url, author, body } of comments) {
        if (!body.startsWith(marker)) continue;
        const status = record({ id, url, author, body });
        const listed: MarkedComment = { id, url, author, verified: status === 'verified', pending: body === pending, badRecord: status === 'bad-signature' };
        // Pages come oldest first, but GitHub does not promise it: the oldest is kept by id.
        const kept = recordOf.get(author);
        if (listed.verified && (!kept || id < kept.id)) {
          if (kept) delete kept.body;
          listed.body = body;
          recordOf.set(author, listed);
        }
        found.push(listed);
      }
      if (comments.length < PER_PAGE) return found.sort((a, b) => a.id - b.id);
    }
    throw new TooManyCommentsError(issueNumber, MAX_COMMENT_PAGES, PER_PAGE, !afterWrite);
  }

  async function update(id: number, body: string): Promise<IssueComment> {
    const label = `update comment ${id}`;
    return call(label, async (signal) =>
      commentOf((await octokit.rest.issues.updateComment({ owner, repo, comment_id: id, body, request: { signal } })).data, label),
    );
  }

  return {
    markedComments: listMarked,
    updateComment: update,

    async upsertComment(issueNumber, query, render) {
      // Every page is read: an earlier race may have left duplicates, which go now.
      const marked = await listMarked(issueNumber, query);
      const signed = marked.find((c) => c.author !== '' && c.verified);
      if (signed) {
        // The oldest of the login's comments is kept, whether its record verifies or not (one signed with an earlier key).
        const [existing = signed, ...stale] = marked.filter((c) => c.author === signed.author);
        const comment = await update(existing.id, render(signed.author));
        for (const duplicate of stale) await deleteQuietly(duplicate.id);
        return { comment, created: false, foreign: marked.filter((c) => c.author !== signed.author) };
      }

      // Creating is not idempotent: an attempt whose answer was lost (a 5xx after the comment was
      // made, a cut connection) may still have created it. Look before posting again, and look
      // again after, whatever the outcome. A comment this run posted is known by its exact body.
      const pending = render(undefined);
      const label = `create comment on #${issueNumber}`;
      let mine: IssueComment | undefined;
      let createError: unknown;
      try {
        mine = await call(label, async (signal, attempt) => {
          if (attempt > 1) {
            const made = (await listMarked(issueNumber, query, pending, true)).find((c) => c.pending);
            if (made) return { id: made.id, url: made.url, author: made.author, body: pending };
          }
          return commentOf(
            (await octokit.rest.issues.createComment({ owner, repo, issue_number: issueNumber, body: pending, request: { signal } })).data,
            label,
          );
        });
      } catch (error) {
        // A clear refusal (403 read-only token, 422, a rate limit) made nothing: no need to look.
        if (!mightHaveCreated(error)) throw error;
        createError = error;
      }

      // Two plans of the same PR at once may both have created one: keep the oldest of the
      // action's login, drop the rest; then sign the one kept for that login.
      let all: MarkedComment[];
      try {
        all = await listMarked(issueNumber, query, pending, true);
      } catch (error) {
        if (!mine) throw createError ?? error;
        options.debug?.(`Could not look for duplicate plan comments (${getErrorMessage(error)}); keeping comment ${mine.id}.`);
        return { comment: await update(mine.id, render(mine.author)), created: true, foreign: marked };
      }
      const author = mine?.author ?? all.find((c) => c.pending)?.author;
      if (author === undefined) throw createError;
      // GitHub names the author of every comment it makes; a nameless one is only ever this one.
      const owned = (c: MarkedComment) => (author === '' ? c.id === mine?.id || c.pending : c.author === author);
      const [oldest, ...duplicates] = all.filter(owned);
      if (!oldest) throw createError;
      for (const duplicate of duplicates) await deleteQuietly(duplicate.id);
      const wanted = render(author);
      // A body equal to `wanted` verifies, so it is kept if it is the oldest of its author.
      const created = oldest.id === mine?.id || oldest.pending || oldest.body === wanted;
      const comment = oldest.body === wanted ? { id: oldest.id, url: oldest.url, author: oldest.author, body: wanted } : await update(oldest.id, wanted);
      return { comment, created, foreign: all.filter((c) => !owned(c)) };
    },

    async readFile(path, ref) {
      const label = `read ${path} at ${ref.slice(0, 12)}`;
      try {
        const data = await call(label, async (signal) => {
          const answer = (await octokit.rest.repos.getContent({ owner, repo, path, ref, request: { signal } })).data as unknown;
          if (!isContentsAnswer(answer)) throw new UnexpectedAnswerError(label, answer);
          return answer;
        });
        if (Array.isArray(data)) return undefined; // a directory
        const { type, content } = data;
        return type === 'file' && typeof content === 'string' ? Buffer.from(content, 'base64').toString('utf8') : undefined;
      } catch (error) {
        if ((error as OctokitError).status === 404) return undefined;
        throw error;
      }
    },

    async pullRequestsForCommit(sha) {
      const label = `list pull requests of commit ${sha.slice(0, 12)}`;
      return call(label, async (signal) => {
        const { data } = await octokit.rest.repos.listPullRequestsAssociatedWithCommit({ owner, repo, commit_sha: sha, request: { signal } });
        return listOf(data, label).map((item) => pullRequestOf(item, data, label));
      });
    },
  };

  async function deleteQuietly(id: number): Promise<void> {
    try {
      await call(`delete duplicate comment ${id}`, (signal) => octokit.rest.issues.deleteComment({ owner, repo, comment_id: id, request: { signal } }));
    } catch (error) {
      // 404: already deleted by the other run, the goal (one comment) is met. Otherwise the plan is
      // posted all the same; a leftover duplicate is not worth failing the comment for.
      if ((error as OctokitError).status !== 404) options.debug?.(`Could not delete duplicate plan comment ${id}: ${getErrorMessage(error)}`);
    }
  }
}
