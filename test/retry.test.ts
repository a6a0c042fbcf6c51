import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { Deadline, DeadlineExceededError } from '../src/deadline.js';
import { formatDuration } from '../src/duration.js';
import { parseRetryAfter } from '../src/retry-after.js';
import { DEFAULT_RETRY_POLICY, RetryAfterTooLongError, attemptsOf, backoffDelay, withRetry, type RetryPolicy, type RetryVerdict } from '../src/retry.js';
import { ROOT } from './support/action-env.js';

const NOW = Date.parse('2025-01-01T00:00:00Z');

describe('parseRetryAfter', () => {
  it('is undefined when the header is absent or blank', () => {
    for (const value of [undefined, null, '', '   ']) expect(parseRetryAfter(value, NOW)).toBeUndefined();
  });

  it('reads whole seconds', () => {
    expect(parseRetryAfter('0', NOW)).toBe(0);
    expect(parseRetryAfter('1', NOW)).toBe(1_000);
    expect(parseRetryAfter('120', NOW)).toBe(120_000);
    expect(parseRetryAfter(' 3 ', NOW)).toBe(3_000);
  });

  it('reads fractional seconds', () => {
    expect(parseRetryAfter('1.5', NOW)).toBe(1_500);
    expect(parseRetryAfter('0.25', NOW)).toBe(250);
    expect(parseRetryAfter('0.0004', NOW)).toBe(0);
  });

  it('reads an HTTP date in the future as the time until it, in each of the three forms', () => {
    expect(parseRetryAfter('Wed, 01 Jan 2025 00:00:30 GMT', NOW)).toBe(30_000); // IMF-fixdate
    expect(parseRetryAfter('Wednesday, 01-Jan-25 00:00:30 GMT', NOW)).toBe(30_000); // RFC 850
    expect(parseRetryAfter('Wed Jan  1 00:00:30 2025', NOW)).toBe(30_000); // asctime
    expect(parseRetryAfter('Wed, 01 Jan 2025 01:00:00 GMT', NOW)).toBe(3_600_000);
    expect(parseRetryAfter(new Date(NOW + 5_000).toUTCString(), NOW)).toBe(5_000);
  });

  it('reads an asctime date as GMT whatever the runner time zone', () => {
    const saved = process.env.TZ;
    process.env.TZ = 'America/New_York';
    try {
      expect(parseRetryAfter('Wed Jan  1 00:00:30 2025', NOW)).toBe(30_000);
    } finally {
      if (saved === undefined) delete process.env.TZ;
      else process.env.TZ = saved;
    }
  });

  it('reads an HTTP date in the past (or now) as no wait', () => {
    expect(parseRetryAfter('Tue, 31 Dec 2024 23:59:00 GMT', NOW)).toBe(0);
    expect(parseRetryAfter('Sun, 06 Nov 1994 08:49:37 GMT', NOW)).toBe(0);
    expect(parseRetryAfter(new Date(NOW).toUTCString(), NOW)).toBe(0);
  });

  it('is undefined for garbage, which Date.parse alone would read as a date', () => {
    // Date.parse('abc 2030') is a date in 2030: a wait of years, so an instant failure.
    for (const value of [
      'soon',
      'abc 2030',
      'Retry 2',
      'later 5',
      '-5',
      '-1.5',
      '1e3',
      '0x10',
      '5 seconds',
      '120s',
      'Infinity',
      'NaN',
      '2025-01-01T00:00:30Z',
      'Wed, 01 Jan 2025',
      '1,5',
    ]) {
      expect(parseRetryAfter(value, NOW), value).toBeUndefined();
    }
  });

  it('defaults "now" to the current time', () => {
    const wait = parseRetryAfter(new Date(Date.now() + 10_000).toUTCString());
    expect(wait).toBeGreaterThan(8_000);
    expect(wait).toBeLessThanOrEqual(10_000);
  });
});

describe('backoffDelay', () => {
  const policy: RetryPolicy = { retries: 3, baseDelayMs: 1_000, maxDelayMs: 15_000, maxRetryAfterMs: 60_000 };

  it('is full jitter: the random fraction of base * 2^(n-1)', () => {
    const half = () => 0.5;
    expect([1, 2, 3, 4, 5, 6].map((n) => backoffDelay(n, policy, half))).toEqual([500, 1_000, 2_000, 4_000, 7_500, 7_500]);
    expect(backoffDelay(3, policy, () => 0.25)).toBe(1_000);
  });

  it('spans 0 to the ceiling, which is capped at maxDelayMs', () => {
    const ceiling = (n: number) => Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** (n - 1));
    for (const n of [1, 2, 3, 4, 5, 10, 100, 2_000]) {
      expect(backoffDelay(n, policy, () => 0)).toBe(0);
      expect(backoffDelay(n, policy, () => 1 - Number.EPSILON)).toBe(ceiling(n));
    }
    expect(backoffDelay(2_000, policy, () => 0.5)).toBe(7_500);
  });

  it('stays within bounds for any random value, and with Math.random', () => {
    let seed = 42;
    const random = () => ((seed = (seed * 16_807) % 2_147_483_647) - 1) / 2_147_483_646;
    for (let i = 0; i < 1_000; i++) {
      const n = 1 + (i % 8);
      const delay = backoffDelay(n, policy, random);
      expect(Number.isInteger(delay)).toBe(true);
      expect(delay).toBeGreaterThanOrEqual(0);
      expect(delay).toBeLessThanOrEqual(Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** (n - 1)));
    }
    for (let i = 0; i < 100; i++) expect(backoffDelay(1, policy)).toBeLessThanOrEqual(1_000);
  });

  it('has the documented defaults', () => {
    expect(DEFAULT_RETRY_POLICY).toEqual({ retries: 3, baseDelayMs: 1_000, maxDelayMs: 15_000, maxRetryAfterMs: 60_000 });
  });
});

describe('withRetry', () => {
  const fast: RetryPolicy = { retries: 3, baseDelayMs: 4, maxDelayMs: 10, maxRetryAfterMs: 2_000 };
  const retryable = (): RetryVerdict => ({ retry: true });
  const never = (): RetryVerdict => ({ retry: false });
  const deadlines: Deadline[] = [];
  const deadline = (ms = 10_000) => {
    const d = new Deadline(ms);
    deadlines.push(d);
    return d;
  };
  afterEach(() => {
    for (const d of deadlines.splice(0)) d.dispose();
  });

  it('returns the first success without retrying', async () => {
    const attempt = vi.fn(async () => 'ok');
    await expect(withRetry(attempt, retryable, fast, deadline())).resolves.toBe('ok');
    expect(attempt).toHaveBeenCalledTimes(1);
    expect(attempt).toHaveBeenCalledWith(1);
  });

  it('retries at most `retries` times, then throws the last error with the attempts recorded', async () => {
    const errors: Error[] = [];
    const attempt = vi.fn(async (n: number) => {
      const error = new Error(`failure ${n}`);
      errors.push(error);
      throw error;
    });
    const onRetry = vi.fn();
    const thrown = await withRetry(attempt, retryable, fast, deadline(), onRetry).catch((error: unknown) => error);
    expect(attempt).toHaveBeenCalledTimes(4);
    expect(attempt.mock.calls.map(([n]) => n)).toEqual([1, 2, 3, 4]);
    expect(thrown).toBe(errors[3]);
    expect(attemptsOf(thrown)).toBe(4);
    expect(onRetry.mock.calls.map(([info]) => (info as { attempt: number }).attempt)).toEqual([1, 2, 3]);
  });

  it('recovers when a later attempt succeeds, waiting the jittered backoff in between', async () => {
    let calls = 0;
    const delays: number[] = [];
    const policy: RetryPolicy = { retries: 3, baseDelayMs: 40, maxDelayMs: 1_000, maxRetryAfterMs: 2_000 };
    const started = Date.now();
    const result = await withRetry(
      async () => {
        calls++;
        if (calls < 3) throw new Error('transient');
        return calls;
      },
      retryable,
      policy,
      deadline(),
      ({ delayMs }) => delays.push(delayMs),
      () => 0.5,
    );
    expect(result).toBe(3);
    expect(delays).toEqual([20, 40]);
    expect(Date.now() - started).toBeGreaterThanOrEqual(55);
  });

  it('makes exactly one attempt with retries: 0', async () => {
    const attempt = vi.fn(async () => {
      throw new Error('down');
    });
    await expect(withRetry(attempt, retryable, { ...fast, retries: 0 }, deadline())).rejects.toThrow('down');
    expect(attempt).toHaveBeenCalledTimes(1);
  });

  it('stops at once on an error the classifier does not retry', async () => {
    const attempt = vi.fn(async () => {
      throw new Error('401');
    });
    const thrown = await withRetry(attempt, never, fast, deadline()).catch((error: unknown) => error);
    expect(attempt).toHaveBeenCalledTimes(1);
    expect(attemptsOf(thrown)).toBe(1);
  });

  it('stops as soon as a later error is not retryable', async () => {
    const attempt = vi.fn(async (n: number) => {
      throw Object.assign(new Error(`attempt ${n}`), { fatal: n === 2 });
    });
    const thrown = await withRetry(attempt, (e) => ({ retry: !(e as { fatal: boolean }).fatal }), fast, deadline()).catch((error: unknown) => error);
    expect(attempt).toHaveBeenCalledTimes(2);
    expect((thrown as Error).message).toBe('attempt 2');
    expect(attemptsOf(thrown)).toBe(2);
  });

  it('waits what Retry-After asks instead of the backoff', async () => {
    const delays: number[] = [];
    let calls = 0;
    const started = Date.now();
    await withRetry(
      async () => {
        if (++calls === 1) throw new Error('429');
        return 'ok';
      },
      () => ({ retry: true, retryAfterMs: 150 }),
      fast,
      deadline(),
      ({ delayMs }) => delays.push(delayMs),
    );
    expect(delays).toEqual([150]);
    expect(Date.now() - started).toBeGreaterThanOrEqual(140);
  });

  it('waits a Retry-After equal to the maximum', async () => {
    let calls = 0;
    const delays: number[] = [];
    const started = Date.now();
    const result = await withRetry(
      async () => {
        if (++calls === 1) throw new Error('503');
        return 'ok';
      },
      () => ({ retry: true, retryAfterMs: 120 }),
      { ...fast, maxRetryAfterMs: 120 },
      deadline(),
      ({ delayMs }) => delays.push(delayMs),
    );
    expect(result).toBe('ok');
    expect(delays).toEqual([120]);
    expect(Date.now() - started).toBeGreaterThanOrEqual(110);
  });

  it('fails at once with RetryAfterTooLongError when Retry-After is longer than the maximum', async () => {
    const cause = new Error('429 Too Many Requests');
    const attempt = vi.fn(async () => {
      throw cause;
    });
    const started = Date.now();
    const thrown = await withRetry(attempt, () => ({ retry: true, retryAfterMs: 120_000 }), { ...fast, maxRetryAfterMs: 60_000 }, deadline()).catch(
      (error: unknown) => error,
    );
    expect(Date.now() - started).toBeLessThan(1_000);
    expect(attempt).toHaveBeenCalledTimes(1);
    expect(thrown).toBeInstanceOf(RetryAfterTooLongError);
    const tooLong = thrown as RetryAfterTooLongError;
    expect(tooLong.waitMs).toBe(120_000);
    expect(tooLong.lastError).toBe(cause);
    expect(tooLong.message).toBe('the server asked to wait 120 s before retrying, longer than the 60 s this action waits');
    expect(attemptsOf(tooLong)).toBe(1);
  });

  it('does not start a wait that would end after the deadline', async () => {
    const attempt = vi.fn(async () => {
      throw new Error('503');
    });
    const started = Date.now();
    const thrown = await withRetry(attempt, retryable, { ...fast, baseDelayMs: 5_000, maxDelayMs: 5_000 }, deadline(300), undefined, () => 0.9).catch(
      (error: unknown) => error,
    );
    expect(Date.now() - started).toBeLessThan(2_000); // not the 4.5 s wait
    expect(attempt).toHaveBeenCalledTimes(1);
    expect((thrown as Error).message).toBe('503');
    expect(attemptsOf(thrown)).toBe(1);
  });

  it('does not retry once the deadline has passed, whatever the classifier says', async () => {
    const d = deadline(60);
    const attempt = vi.fn(
      () =>
        new Promise<never>((_, reject) => {
          d.signal.addEventListener('abort', () => reject(d.signal.reason as Error), { once: true });
        }),
    );
    const classify = vi.fn(retryable);
    const thrown = await withRetry(attempt, classify, fast, d).catch((error: unknown) => error);
    expect(attempt).toHaveBeenCalledTimes(1);
    expect(classify).not.toHaveBeenCalled();
    expect(thrown).toBeInstanceOf(DeadlineExceededError);
    expect((thrown as Error).message).toBe("the run's overall deadline of 60 ms passed");
  });
});

describe('Deadline', () => {
  it('counts down, aborts its signal with DeadlineExceededError, and can be disposed', async () => {
    const d = new Deadline(50);
    expect(d.totalMs).toBe(50);
    expect(d.remainingMs()).toBeGreaterThan(0);
    expect(d.remainingMs()).toBeLessThanOrEqual(50);
    expect(d.signal.aborted).toBe(false);
    await new Promise((resolve) => setTimeout(resolve, 80));
    expect(d.remainingMs()).toBe(0);
    expect(d.signal.aborted).toBe(true);
    expect(d.signal.reason).toBeInstanceOf(DeadlineExceededError);

    const disposed = new Deadline(20);
    disposed.dispose();
    await new Promise((resolve) => setTimeout(resolve, 40));
    expect(disposed.signal.aborted).toBe(false);
  });
});

describe('the wait between attempts', () => {
  // In the built action nothing else holds the event loop during a backoff: an unref'd timer let
  // node exit mid-retry (exit code 13, "unsettled top-level await") with no summary and no error.
  it('keeps a process that has nothing else to do alive until the retry', () => {
    const retry = pathToFileURL(join(ROOT, 'src/retry.ts')).href;
    const deadlineModule = pathToFileURL(join(ROOT, 'src/deadline.ts')).href;
    const script = `
      const { withRetry } = await import(${JSON.stringify(retry)});
      const { Deadline } = await import(${JSON.stringify(deadlineModule)});
      const deadline = new Deadline(10_000);
      let calls = 0;
      const result = await withRetry(async () => { if (++calls < 3) throw new Error('503'); return 'recovered after ' + calls; },
        () => ({ retry: true }), { retries: 3, baseDelayMs: 150, maxDelayMs: 150, maxRetryAfterMs: 1000 }, deadline, undefined, () => 1);
      deadline.dispose();
      console.log(result);
    `;
    const child = spawnSync(process.execPath, ['--no-warnings', '--import', join(ROOT, 'scripts/register-ts.mjs'), '--input-type=module', '-e', script], {
      encoding: 'utf8',
      timeout: 20_000,
    });
    expect(child.stderr).toBe('');
    expect(child.status).toBe(0);
    expect(child.stdout.trim()).toBe('recovered after 3');
  });
});

describe('formatDuration', () => {
  it('never shows a sub-second duration as "0 s", and rounds a wait up', () => {
    expect(formatDuration(0)).toBe('0 ms');
    expect(formatDuration(300)).toBe('300 ms');
    expect(formatDuration(1_000)).toBe('1 s');
    expect(formatDuration(1_500)).toBe('1.5 s');
    expect(formatDuration(60_000)).toBe('60 s');
    expect(formatDuration(120_000)).toBe('120 s');
    expect(formatDuration(600_000)).toBe('10 min');
    expect(formatDuration(1_001, 'up')).toBe('1.1 s');
    expect(formatDuration(1_001)).toBe('1 s');
    expect(formatDuration(0.2, 'up')).toBe('1 ms');
  });
});
