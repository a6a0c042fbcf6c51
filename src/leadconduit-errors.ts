/**
 * What went wrong talking to LeadConduit, in one line a person can act on: which call, what
 * happened, what it means, what to do, worded for where it is read (the action or the terminal).
 */
import { DeadlineExceededError } from './deadline.js';
import { UserError, type Verdict } from './errors.js';
import type { Redactor } from './redact.js';
import { attemptsOf, RetryAfterTooLongError, type RetryVerdict } from './retry.js';

/** How messages name the settings and the way to try again, where they are read. */
export interface Wording {
  /** Where the API key is set. */
  apiKey: string;
  /** The same, in a list ("Check base-url and the api-key"). */
  apiKeyShort: string;
  /** The base URL setting. */
  baseUrl: string;
  /** The network between this machine and LeadConduit. */
  network: string;
  /** Trying again. */
  again: string;
}

export const ACTION_WORDING: Wording = {
  apiKey: 'the api-key secret',
  apiKeyShort: 'the api-key',
  baseUrl: 'base-url',
  network: "the runner's network",
  again: 're-run the job',
};
export const CLI_WORDING: Wording = {
  apiKey: 'LEADCONDUIT_API_KEY',
  apiKeyShort: 'LEADCONDUIT_API_KEY',
  baseUrl: '--base-url',
  network: 'your network',
  again: 'run the command again',
};

/** A LeadConduit call that failed for good (after any retries), with a message for the user. */
export class LeadConduitError extends UserError {
  override name = 'LeadConduitError';
  readonly call: string;
  readonly status: number | undefined;
  constructor(message: string, call: string, status?: number, verdict?: Verdict) {
    super(message, [], verdict);
    this.call = call;
    this.status = status;
  }
}

/** One failed attempt, before retries are decided. */
export class AttemptError extends Error {
  readonly kind: 'network' | 'timeout' | 'deadline' | 'http' | 'redirect' | 'bad-body' | 'too-large';
  readonly status: number | undefined;
  readonly retryAfterMs: number | undefined;
  /** A network failure or timeout while the answer's body was arriving (the request was received). */
  reading = false;
  constructor(kind: AttemptError['kind'], message: string, status?: number, retryAfterMs?: number) {
    super(message);
    this.kind = kind;
    this.status = status;
    this.retryAfterMs = retryAfterMs;
  }
}

const RETRYABLE_STATUS = new Set([408, 429, 500, 502, 503, 504]);

const STATUS_TEXT: Record<number, string> = {
  400: 'Bad Request',
  401: 'Unauthorized',
  403: 'Forbidden',
  404: 'Not Found',
  405: 'Method Not Allowed',
  408: 'Request Timeout',
  409: 'Conflict',
  422: 'Unprocessable Entity',
  429: 'Too Many Requests',
  500: 'Internal Server Error',
  502: 'Bad Gateway',
  503: 'Service Unavailable',
  504: 'Gateway Timeout',
};

export function classify(error: unknown): RetryVerdict {
  if (!(error instanceof AttemptError)) return { retry: false };
  if (error.kind === 'network' || error.kind === 'timeout') return { retry: true };
  if (error.kind === 'http' && error.status !== undefined && RETRYABLE_STATUS.has(error.status)) {
    return error.retryAfterMs === undefined ? { retry: true } : { retry: true, retryAfterMs: error.retryAfterMs };
  }
  return { retry: false };
}

/** What to do after a PUT whose outcome is unknown: it reached LeadConduit, or may have. */
export const maybeApplied = (w: Wording) =>
  `The update may or may not have been applied: ${w.again}, which reads the account again and sends only what still differs.`;

/** One line: which call, what happened, what it means, what to do. */
export function toLeadConduitError(error: unknown, label: string, method: 'GET' | 'PUT', baseUrl: string, redactor: Redactor, w: Wording): LeadConduitError {
  const attempts = attemptsOf(error);
  const tries = attempts > 1 ? ` (after ${attempts} attempts)` : '';
  // Only a PUT changes anything; after one that may have reached LeadConduit, say what that means.
  const unknownOutcome = method === 'PUT' ? ` ${maybeApplied(w)}` : '';
  if (error instanceof RetryAfterTooLongError) {
    const last = error.lastError instanceof AttemptError ? error.lastError : undefined;
    const said = last?.message ? ` (${redactor.scrub(last.message)})` : '';
    return new LeadConduitError(
      `LeadConduit answered ${statusName(last?.status)} to ${label}${said} and ${error.message}; ${w.again} later.`,
      label,
      last?.status,
    );
  }
  if (error instanceof DeadlineExceededError) {
    return new LeadConduitError(`${label} was stopped: ${error.message}. LeadConduit is slow or unreachable; ${w.again} later.${unknownOutcome}`, label);
  }
  if (!(error instanceof AttemptError)) {
    return new LeadConduitError(`${label} failed unexpectedly: ${redactor.scrub(String(error))}${unknownOutcome}`, label);
  }
  const said = error.message ? `: ${redactor.scrub(error.message)}` : '';
  switch (error.kind) {
    case 'deadline':
      return new LeadConduitError(`${label} was stopped: ${error.message}. LeadConduit is slow or unreachable; ${w.again} later.${unknownOutcome}`, label);
    case 'timeout':
      return new LeadConduitError(
        `LeadConduit did not answer ${label} in time${tries}: ${error.message}. Check LeadConduit's status and ${w.again}.${unknownOutcome}`,
        label,
      );
    case 'network':
      if (error.reading) {
        return new LeadConduitError(
          `The connection to LeadConduit broke while its answer to ${label} was arriving${tries}: ${redactor.scrub(error.message)}. Check LeadConduit's status and ${w.network}, then ${w.again}.${unknownOutcome}`,
          label,
        );
      }
      return new LeadConduitError(
        `Could not reach LeadConduit at ${baseUrl} for ${label}${tries}: ${redactor.scrub(error.message)}. Check ${w.baseUrl} and ${w.network}.${unknownOutcome}`,
        label,
      );
    case 'redirect':
      return new LeadConduitError(
        `LeadConduit answered ${label} with a redirect (${error.status}) to ${redactor.scrub(error.message)}; it is not followed, so the API key cannot reach another host. Set ${w.baseUrl} to the API's own address (${baseUrl} is redirected).`,
        label,
        error.status,
      );
    case 'too-large':
      return new LeadConduitError(
        `LeadConduit's answer to ${label} was too large: ${error.message}. An account is a few KB: check that ${w.baseUrl} (${baseUrl}) points at LeadConduit's API.${unknownOutcome}`,
        label,
        error.status,
      );
    case 'bad-body':
      return new LeadConduitError(
        `LeadConduit ${redactor.scrub(error.message)} for ${label}. Check that ${w.baseUrl} (${baseUrl}) points at LeadConduit's API, or ${w.again}.${unknownOutcome}`,
        label,
        error.status,
      );
    case 'http': {
      const status = error.status ?? 0;
      const name = statusName(status);
      // "<what happened>: <LeadConduit's words>. <what to do>", and in a report the verdict is what
      // happened; under it, LeadConduit's words as its own (unless they only repeat the status).
      const answered = (reason: string, advice: string) => {
        const words = redactor.scrub(error.message).trim();
        const quoted =
          words === '' || words.toLowerCase() === name.replace(/^\d+\s*/, '').toLowerCase()
            ? ''
            : `LeadConduit said: ${words}${/[.!?]$/.test(words) ? '' : '.'} `;
        return new LeadConduitError(`${reason}${said}. ${advice}`, label, status, { reason, detail: `${quoted}${advice}` });
      };
      if (status === 401 || status === 403) {
        return answered(
          `LeadConduit rejected the API key (${name}) on ${label}`,
          `Check ${w.apiKey}: it must be a current LeadConduit API key with access to this account.`,
        );
      }
      if (status === 404 || status === 405) {
        return answered(`LeadConduit answered ${name} to ${label}`, `Check ${w.baseUrl} (${baseUrl}): it must be LeadConduit's API address.`);
      }
      if ((status === 400 || status === 422) && method === 'PUT') {
        return answered(
          `LeadConduit refused ${label} (${name})`,
          'Nothing was changed; fix the setting it names, in the desired-state file or, where the file does not manage it, in LeadConduit.',
        );
      }
      if (status === 429) {
        return answered(`LeadConduit kept rate-limiting ${label} (${name})${tries}`, 'Re-run the job in a few minutes.');
      }
      if (status >= 500) {
        return answered(`LeadConduit failed on ${label} (${name})${tries}`, `LeadConduit may be having an outage; ${w.again} later.${unknownOutcome}`);
      }
      return answered(`LeadConduit answered ${name} to ${label}${tries}`, `Check ${w.baseUrl} (${baseUrl}) and ${w.apiKeyShort}, then ${w.again}.`);
    }
  }
}

export function statusName(status: number | undefined): string {
  if (status === undefined) return 'an error';
  const text = STATUS_TEXT[status];
  return text ? `${status} ${text}` : String(status);
}
