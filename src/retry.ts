/**
 * The one retry policy for every network call this action makes (LeadConduit and GitHub).
 *
 * Written here rather than left to ky's or octokit's own retries because those fall short where
 * it matters: ky does not retry a timeout while the body is still arriving, and caps a long
 * Retry-After at its own limit instead of failing clearly; creating a comment is not idempotent and
 * must look before it posts again (pull-request.ts). Only idempotent requests are retried with it,
 * plus creating a comment, whose duplicates the comment code removes.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import { withAttemptSignal, type AttemptSignal, type Deadline } from './deadline.js';
import { formatDuration } from './duration.js';

export interface RetryPolicy {
  /** Retries after the first attempt. */
  retries: number;
  /** Backoff before retry n is a random time up to baseDelayMs * 2^(n-1), capped at maxDelayMs. */
  baseDelayMs: number;
  maxDelayMs: number;
  /** A server asking to wait longer than this gets a clear failure instead of a hung job. */
  maxRetryAfterMs: number;
}

export const DEFAULT_RETRY_POLICY: RetryPolicy = {
  retries: 3,
  baseDelayMs: 1_000,
  maxDelayMs: 15_000,
  maxRetryAfterMs: 60_000,
};

/** What the caller's classifier says of a failed attempt. */
export type RetryVerdict = { retry: false } | { retry: true; retryAfterMs?: number };

/** The server asked to wait longer than the policy allows: fail now rather than hang the job. */
export class RetryAfterTooLongError extends Error {
  override name = 'RetryAfterTooLongError';
  readonly waitMs: number;
  readonly lastError: unknown;
  constructor(waitMs: number, limitMs: number, lastError: unknown) {
    super(`the server asked to wait ${formatDuration(waitMs, 'up')} before retrying, longer than the ${formatDuration(limitMs)} this action waits`);
    this.waitMs = waitMs;
    this.lastError = lastError;
  }
}

/** The number of attempts made is attached to the error that ends the retries. */
export interface AttemptInfo {
  attempts: number;
}

export async function withRetry<T>(
  attempt: (attemptNumber: number) => Promise<T>,
  classify: (error: unknown) => RetryVerdict,
  policy: RetryPolicy,
  deadline: Deadline,
  onRetry?: (info: { attempt: number; delayMs: number; error: unknown }) => void,
  random: () => number = Math.random,
): Promise<T> {
  for (let attemptNumber = 1; ; attemptNumber++) {
    try {
      return await attempt(attemptNumber);
    } catch (error) {
      const verdict = deadline.signal.aborted ? { retry: false as const } : classify(error);
      if (!verdict.retry || attemptNumber > policy.retries) throw withAttempts(error, attemptNumber);
      if (verdict.retryAfterMs !== undefined && verdict.retryAfterMs > policy.maxRetryAfterMs) {
        throw withAttempts(new RetryAfterTooLongError(verdict.retryAfterMs, policy.maxRetryAfterMs, error), attemptNumber);
      }
      const delayMs = verdict.retryAfterMs ?? backoffDelay(attemptNumber, policy, random);
      if (delayMs >= deadline.remainingMs()) throw withAttempts(error, attemptNumber);
      onRetry?.({ attempt: attemptNumber, delayMs, error });
      // A ref'd timer: during the wait nothing else may keep the event loop alive, and with an
      // unref'd one node exits mid-retry (code 13, unsettled top-level await) with no summary.
      await sleep(delayMs);
    }
  }
}

/** How a client calls the network: its policy, the run's deadline, a timeout per attempt. */
export interface CallOptions {
  retry: RetryPolicy;
  deadline: Deadline;
  requestTimeoutMs: number;
  classify: (error: unknown) => RetryVerdict;
  debug?: ((message: string) => void) | undefined;
}

/** One network call of either client: each attempt under its own timeout, retried by the policy. */
export function retryingCall<T>(label: string, options: CallOptions, attempt: (signal: AttemptSignal, attemptNumber: number) => Promise<T>): Promise<T> {
  return withRetry(
    (attemptNumber) => withAttemptSignal(options.deadline, options.requestTimeoutMs, (signal) => attempt(signal, attemptNumber)),
    options.classify,
    options.retry,
    options.deadline,
    ({ attempt: n, delayMs, error }) =>
      options.debug?.(`${label} attempt ${n} failed (${error instanceof Error ? error.message : String(error)}); retrying in ${delayMs} ms`),
  );
}

/** Full jitter: spreads retries of many jobs hit by the same outage. */
export function backoffDelay(retryNumber: number, policy: RetryPolicy, random: () => number = Math.random): number {
  const ceiling = Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** (retryNumber - 1));
  return Math.round(random() * ceiling);
}

function withAttempts(error: unknown, attempts: number): unknown {
  if (typeof error === 'object' && error !== null) (error as Partial<AttemptInfo>).attempts = attempts;
  return error;
}

export function attemptsOf(error: unknown): number {
  const attempts = (error as Partial<AttemptInfo> | undefined)?.attempts;
  return typeof attempts === 'number' ? attempts : 1;
}
