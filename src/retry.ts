import { setTimeout as sleep } from 'node:timers/promises';

/**
 * The one retry policy for every network call this action makes (LeadConduit and GitHub).
 * Only idempotent requests are retried with it, plus creating a comment, whose duplicates the
 * comment code removes.
 */
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

/** The whole run has a deadline; every request and every wait stays inside it. */
export class Deadline {
  readonly #end: number;
  readonly #controller = new AbortController();
  readonly #timer: NodeJS.Timeout;
  readonly totalMs: number;

  constructor(totalMs: number) {
    this.totalMs = totalMs;
    this.#end = Date.now() + totalMs;
    this.#timer = setTimeout(() => this.#controller.abort(new DeadlineExceededError(totalMs)), totalMs);
    this.#timer.unref();
  }

  get signal(): AbortSignal {
    return this.#controller.signal;
  }

  remainingMs(): number {
    return Math.max(0, this.#end - Date.now());
  }

  dispose(): void {
    clearTimeout(this.#timer);
  }
}

/**
 * The signal for one attempt: aborted by its own timeout or by the run's deadline. A plain
 * AbortController with a timer and a listener, not AbortSignal.timeout/any: Node can garbage-
 * collect those composite signals while a request is still reading its body, and then the abort
 * never arrives and the read hangs forever (seen with forced GC). Call dispose() when done.
 */
export class AttemptSignal {
  readonly #controller = new AbortController();
  readonly #timer: NodeJS.Timeout;
  readonly #deadline: Deadline;
  readonly #onDeadline = () => this.#controller.abort(this.#deadline.signal.reason);
  #timedOut = false;

  constructor(deadline: Deadline, timeoutMs: number) {
    this.#deadline = deadline;
    this.#timer = setTimeout(() => {
      this.#timedOut = true;
      // The same reason AbortSignal.timeout gives, so callers tell a timeout from other aborts.
      this.#controller.abort(new DOMException(`no answer within ${formatDuration(timeoutMs)}`, 'TimeoutError'));
    }, timeoutMs);
    if (deadline.signal.aborted) this.#onDeadline();
    else deadline.signal.addEventListener('abort', this.#onDeadline, { once: true });
  }

  get signal(): AbortSignal {
    return this.#controller.signal;
  }

  /** Whether this attempt's own timeout (not the run's deadline) stopped it. */
  get timedOut(): boolean {
    return this.#timedOut && !this.#deadline.signal.aborted;
  }

  dispose(): void {
    clearTimeout(this.#timer);
    this.#deadline.signal.removeEventListener('abort', this.#onDeadline);
  }
}

/** Runs one attempt under its own AttemptSignal, disposed whatever the outcome. */
export async function withAttemptSignal<T>(deadline: Deadline, timeoutMs: number, attempt: (signal: AttemptSignal) => Promise<T>): Promise<T> {
  const signal = new AttemptSignal(deadline, timeoutMs);
  try {
    return await attempt(signal);
  } finally {
    signal.dispose();
  }
}

export class DeadlineExceededError extends Error {
  override name = 'DeadlineExceededError';
  constructor(totalMs: number) {
    super(`the run's overall deadline of ${formatDuration(totalMs)} passed`);
  }
}

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

/**
 * A duration for a message: "250 ms", "2 s", "1.5 s", "10 min". A sub-second one must not read
 * "0 s"; `up` rounds up (a wait asked for is never shown shorter than it is).
 */
export function formatDuration(ms: number, round: 'nearest' | 'up' = 'nearest'): string {
  const fix = (value: number) => {
    const tenths = round === 'up' ? Math.ceil(value * 10) / 10 : Math.round(value * 10) / 10;
    return Number.isInteger(tenths) ? String(tenths) : tenths.toFixed(1);
  };
  if (ms < 1_000) return `${round === 'up' ? Math.ceil(ms) : Math.round(ms)} ms`;
  if (ms < 600_000) return `${fix(ms / 1_000)} s`;
  return `${fix(ms / 60_000)} min`;
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

/** Full jitter: spreads retries of many jobs hit by the same outage. */
export function backoffDelay(retryNumber: number, policy: RetryPolicy, random: () => number = Math.random): number {
  const ceiling = Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** (retryNumber - 1));
  return Math.round(random() * ceiling);
}

/** Retry-After as seconds or an HTTP date, in milliseconds from now; undefined when absent or unreadable. */
export function parseRetryAfter(value: string | null | undefined, now: number = Date.now()): number | undefined {
  if (value === null || value === undefined || value.trim() === '') return undefined;
  const text = value.trim();
  if (/^\d+(\.\d+)?$/.test(text)) return Math.round(Number(text) * 1000);
  const date = parseHttpDate(text);
  if (date === undefined) return undefined;
  return Math.max(0, date - now);
}

const DAY = '(?:Mon|Tue|Wed|Thu|Fri|Sat|Sun)';
const LONG_DAY = '(?:Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday)';
const MONTH = '(?:Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec)';
const TIME = '\\d{2}:\\d{2}:\\d{2}';
/** IMF-fixdate, RFC 850 and asctime: the three forms of an HTTP date (RFC 9110, 5.6.7). */
const HTTP_DATE = [
  new RegExp(`^${DAY}, \\d{2} ${MONTH} \\d{4} ${TIME} GMT$`, 'i'),
  new RegExp(`^${LONG_DAY}, \\d{2}-${MONTH}-\\d{2} ${TIME} GMT$`, 'i'),
  new RegExp(`^${DAY} ${MONTH} [ \\d]\\d ${TIME} \\d{4}$`, 'i'),
];

/**
 * Only a real HTTP date: Date.parse alone reads almost anything ("abc 2030" is a date in 2030),
 * and a garbled header must not turn into a wait of years (an instant failure) or of nothing.
 */
function parseHttpDate(text: string): number | undefined {
  const form = HTTP_DATE.findIndex((pattern) => pattern.test(text));
  if (form < 0) return undefined;
  // asctime has no zone; it is GMT, not the runner's local time.
  const date = Date.parse(form === 2 ? `${text} GMT` : text);
  return Number.isNaN(date) ? undefined : date;
}

function withAttempts(error: unknown, attempts: number): unknown {
  if (typeof error === 'object' && error !== null) (error as Partial<AttemptInfo>).attempts = attempts;
  return error;
}

export function attemptsOf(error: unknown): number {
  const attempts = (error as Partial<AttemptInfo> | undefined)?.attempts;
  return typeof attempts === 'number' ? attempts : 1;
}
