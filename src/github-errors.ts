/**
 * GitHub's failures: which are retried (a 5xx, a rate limit, an answer cut short), and each in one
 * line a person can act on (what failed, GitHub's answer, what to do).
 */
import { AnswerTooLargeError } from './capped-body.js';
import { DeadlineExceededError } from './deadline.js';
import { attemptsOf, RetryAfterTooLongError, type RetryVerdict } from './retry.js';
import { parseRetryAfter } from './retry-after.js';
import { formatBytes } from './wording.js';

export interface OctokitError {
  status?: number;
  message?: string;
  /** Absent when no HTTP answer came (octokit then reports status 500, or none). */
  response?: { headers?: Record<string, string | number | undefined> };
  cause?: unknown;
}

/**
 * GitHub answered 2xx, but not with what the call returns. octokit swallows a failed body read
 * (a connection cut mid-answer, a timeout while it arrives) and hands back "" or the raw text as
 * `data`; read as "no comments", that would post a second plan comment. Retried like a network error.
 */
export class UnexpectedAnswerError extends Error {
  override name = 'UnexpectedAnswerError';
  constructor(call: string, data: unknown) {
    const got =
      data === '' || data === undefined
        ? 'empty (the connection was probably cut)'
        : typeof data === 'string'
          ? 'not valid JSON (probably cut short)'
          : 'JSON of another shape than that call returns';
    super(`GitHub's answer to ${call} was ${got}`);
  }
}

/**
 * A pull request listed more pages of comments than any real one holds: a broken or hostile
 * GitHub (one that pages for ever), or a runaway bot. Not retried: the next try lists as many.
 */
export class TooManyCommentsError extends Error {
  override name = 'TooManyCommentsError';
  /** Whether the listing came before anything was written on the pull request (a create may have come first). */
  readonly wroteNothing: boolean;
  constructor(issueNumber: number, pages: number, perPage: number, wroteNothing: boolean) {
    super(
      `GitHub listed ${(pages * perPage).toLocaleString('en-US')} comments or more on pull request #${issueNumber} (${pages} full pages), more than any real pull request holds, so the action stopped reading them`,
    );
    this.wroteNothing = wroteNothing;
  }
}

const RATE_LIMIT_MESSAGE = /secondary rate limit|abuse detection|rate limit exceeded/i;

/** Secondary rate limits answer 403 (or 429) and ask the client to slow down. */
export function classify(error: unknown): RetryVerdict {
  if (error instanceof AnswerTooLargeError || error instanceof TooManyCommentsError) return { retry: false };
  const { status, message = '', response } = (error ?? {}) as OctokitError;
  const header = (name: string): string | undefined => {
    const value = response?.headers?.[name];
    return value === undefined ? undefined : String(value);
  };
  let retryAfterMs = parseRetryAfter(header('retry-after'));
  // A primary rate limit says when it resets instead (epoch seconds).
  const reset = Number(header('x-ratelimit-reset'));
  if (retryAfterMs === undefined && header('x-ratelimit-remaining') === '0' && Number.isFinite(reset) && reset > 0) {
    retryAfterMs = Math.max(0, reset * 1000 - Date.now());
  }
  const after = retryAfterMs === undefined ? {} : { retryAfterMs };
  // octokit reports a network failure or an aborted request as status 500 or without a status.
  if (status === undefined || status >= 500 || status === 408) return { retry: true, ...after };
  if (status === 429) return { retry: true, ...after };
  if (status === 403 && (retryAfterMs !== undefined || RATE_LIMIT_MESSAGE.test(message))) {
    // GitHub: without a Retry-After, wait at least a minute.
    return { retry: true, retryAfterMs: retryAfterMs ?? 60_000 };
  }
  return { retry: false };
}

/** Whether a failed create may have made the comment all the same: no answer, a 5xx, a 2xx cut short. */
export function mightHaveCreated(error: unknown): boolean {
  const cause = error instanceof RetryAfterTooLongError ? error.lastError : error;
  const { status } = (cause ?? {}) as OctokitError;
  return status === undefined || status >= 500 || status === 408;
}

/** GitHub refused for want of permission (a 403 that is not a rate limit): a fix in the workflow. */
export function isPermissionDenied(error: unknown): boolean {
  if (error instanceof RetryAfterTooLongError) return false;
  const { status, message, response } = (error ?? {}) as OctokitError;
  return status === 403 && !RATE_LIMIT_MESSAGE.test(message ?? '') && !LOCKED_MESSAGE.test(message ?? '') && response?.headers?.['retry-after'] === undefined;
}

/** GitHub's 403 for a comment on a locked conversation: no permission of the job's changes that. */
const LOCKED_MESSAGE = /\bis locked\b/i;

/**
 * A GitHub failure as one line: what failed, GitHub's answer, what to do. `forbidden` is what to do
 * about a 403 for this call (which permission the job needs).
 */
export function describeGitHubError(action: string, error: unknown, forbidden = 'Check the "permissions:" of the workflow.'): string {
  const attempts = attemptsOf(error);
  const tries = attempts > 1 ? ` after ${attempts} attempts` : '';
  if (error instanceof RetryAfterTooLongError) {
    const last = (error.lastError ?? {}) as OctokitError;
    return `Could not ${action}: GitHub answered ${last.status ?? 'an error'} (${firstLine(last.message)}) and ${error.message}. Re-run the job later.`;
  }
  if (error instanceof DeadlineExceededError) return `Could not ${action}: ${error.message}. Re-run the job.`;
  if (error instanceof AnswerTooLargeError) {
    return `Could not ${action}: GitHub's answer was larger than ${formatBytes(error.limitBytes)}; it was not read further. Check that GITHUB_API_URL is GitHub's API.`;
  }
  if (error instanceof TooManyCommentsError) {
    return `Could not ${action}: ${error.message}.${error.wroteNothing ? ' Nothing was written on the pull request.' : ''} Check that GITHUB_API_URL is GitHub's API; if the pull request does hold that many comments, delete the ones a bot left, or make the change in a new pull request.`;
  }
  if (error instanceof UnexpectedAnswerError) return `Could not ${action}${tries}: ${error.message}. Re-run the job.`;
  const { status, message, response, cause } = (error ?? {}) as OctokitError;
  const reason = firstLine(message ?? String(error));
  // octokit reports "no answer" (refused, reset, timed out) as status 500 without a response.
  const noAnswer = status === undefined || (status === 500 && response === undefined);
  if (noAnswer && ((cause as Error | undefined)?.name === 'TimeoutError' || (error as Error | undefined)?.name === 'TimeoutError')) {
    return `Could not ${action}: GitHub did not answer in time${tries}. Check GitHub's status, then re-run the job.`;
  }
  if (noAnswer) {
    return `Could not ${action}: GitHub could not be reached${tries} (${reason}). Check GitHub's status and the runner's network, then re-run the job.`;
  }
  if (status === 429 || (status === 403 && RATE_LIMIT_MESSAGE.test(message ?? ''))) {
    return `Could not ${action}: GitHub answered ${status}${tries} (${reason}): the token is rate-limited. Re-run the job later.`;
  }
  if (status === 401) {
    return `Could not ${action}: GitHub answered 401 (${reason}). The github-token input is not a valid token; leave it at its default, \${{ github.token }}.`;
  }
  if (status === 403 && LOCKED_MESSAGE.test(message ?? '')) {
    return `Could not ${action}: GitHub answered 403 (${reason}): the conversation is locked. Unlock it, then re-run the job.`;
  }
  if (status === 403) {
    return `Could not ${action}: GitHub answered 403 (${reason}). ${forbidden}`;
  }
  if (status === 404) return `Could not ${action}: GitHub answered 404 (${reason}). Check the repository and the token's access.`;
  if (status >= 500) return `Could not ${action}: GitHub answered ${status}${tries} (${reason}). GitHub may be having an outage; re-run the job later.`;
  return `Could not ${action}: GitHub answered ${status}${tries} (${reason}).`;
}

/** GitHub's message, one line; an HTML error page (a proxy's) by its title, never the page. */
function firstLine(text: string | undefined): string {
  const trimmed = (text ?? '').trim();
  if (/^<(!doctype|html)/i.test(trimmed)) {
    const title = /<title[^>]*>([^<]*)<\/title>/i.exec(trimmed)?.[1]?.trim();
    return `an HTML page${title ? ` titled "${title.slice(0, 80)}"` : ''}`;
  }
  const line = trimmed.split('\n')[0]?.trim() ?? '';
  if (line === '') return 'no message';
  return line.length > 300 ? `${line.slice(0, 300)}…` : line;
}
