import { formatDuration } from './duration.js';

/** The whole run has a deadline; every request and every wait stays inside it. */
export class Deadline {
  readonly #end: number;
  readonly #controller = new AbortController();
  readonly #timer: NodeJS.Timeout;
  readonly totalMs: number;

  constructor(totalMs: number, describe: (totalMs: number) => string = overall) {
    this.totalMs = totalMs;
    this.#end = Date.now() + totalMs;
    this.#timer = setTimeout(() => this.#controller.abort(new DeadlineExceededError(describe(totalMs))), totalMs);
    this.#timer.unref();
  }

  /**
   * A deadline that ends `reserveMs` before this one: the part of the run for one service, so
   * that whatever it spends, the rest of the run still has time for its own calls.
   */
  before(reserveMs: number, describe: (totalMs: number) => string): Deadline {
    return new Deadline(Math.max(0, this.remainingMs() - reserveMs), describe);
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

const overall = (totalMs: number) => `the run's overall deadline of ${formatDuration(totalMs)} passed`;

export class DeadlineExceededError extends Error {
  override name = 'DeadlineExceededError';
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
