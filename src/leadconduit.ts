import type { KyInstance } from 'ky';
import { SECRET_FIELDS, liveAccountSchema, userSchema, type AccountUpdate, type LiveAccount } from './account-schema.js';
import { AnswerTooLargeError, MAX_LEADCONDUIT_ANSWER_BYTES, readCapped } from './capped-body.js';
import { UserError } from './errors.js';
import { SECRET_FIELD_NAME, type Redactor } from './redact.js';
import { DeadlineExceededError, type AttemptSignal, type Deadline } from './deadline.js';
import { formatDuration } from './duration.js';
import { attemptsOf, retryingCall, RetryAfterTooLongError, type RetryPolicy, type RetryVerdict } from './retry.js';
import { parseRetryAfter } from './retry-after.js';

export interface LeadConduitOptions {
  baseUrl: string;
  apiKey: string;
  requestTimeoutMs: number;
  retry: RetryPolicy;
  deadline: Deadline;
  redactor: Redactor;
  debug?: (message: string) => void;
}

export interface LeadConduitClient {
  /**
   * The live account: GET /account, or the matching entry of GET /user where /account is not
   * served; then `userAccounts` is how many accounts GET /user listed.
   */
  readAccount(expectedId?: string): Promise<{ account: LiveAccount; via: 'GET /account' | 'GET /user'; userAccounts?: number }>;
  /** The one PUT /account; answers the whole updated account. */
  updateAccount(body: AccountUpdate): Promise<LiveAccount>;
}

/** A LeadConduit call that failed for good (after any retries), with a message for the user. */
export class LeadConduitError extends UserError {
  override name = 'LeadConduitError';
  readonly call: string;
  readonly status: number | undefined;
  constructor(message: string, call: string, status?: number) {
    super(message);
    this.call = call;
    this.status = status;
  }
}

/** One failed attempt, before retries are decided. */
class AttemptError extends Error {
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

export function createLeadConduitClient(options: LeadConduitOptions): LeadConduitClient {
  const { redactor, deadline } = options;
  redactor.add(options.apiKey);
  // A trailing slash makes "account" resolve under any path the base URL has.
  const baseUrl = options.baseUrl.endsWith('/') ? options.baseUrl : `${options.baseUrl}/`;
  // ky is loaded on the first request, not at start-up: a validation never needs it (bench/).
  let api: KyInstance | undefined;
  const loadApi = async (): Promise<KyInstance> =>
    (api ??= (await import('ky')).default.create({
      baseUrl,
      headers: {
        authorization: `Basic ${Buffer.from(`API:${options.apiKey}`).toString('base64')}`,
        accept: 'application/json',
        'user-agent': 'leadconduit-account-action',
      },
      retry: 0, // retries are ours (withRetry), so the body read is retried too
      timeout: false, // our signal bounds the whole attempt, body included
      throwHttpErrors: false,
      // Never follow a redirect: it could carry the API key to another host.
      redirect: 'manual',
    }));

  async function attempt(attemptSignal: AttemptSignal, method: 'GET' | 'PUT', path: string, body?: AccountUpdate): Promise<unknown> {
    const { signal } = attemptSignal;
    const started = performance.now();
    // ky links our signal to the request through signals Node may garbage-collect once the
    // answer's headers are in; then a stalled body never sees the abort and the job hangs.
    // Holding the request until the body is read keeps that link alive.
    const pinned: { request?: Request } = {};
    const pin = { beforeRequest: [({ request }: { request: Request }) => void (pinned.request = request)] };
    const failed = (error: unknown, reading: boolean): AttemptError => {
      if (deadline.signal.aborted) return new AttemptError('deadline', String((deadline.signal.reason as Error).message));
      const attemptError = attemptSignal.timedOut
        ? new AttemptError(
            'timeout',
            reading
              ? `the answer did not finish arriving within ${formatDuration(options.requestTimeoutMs)}`
              : `no answer within ${formatDuration(options.requestTimeoutMs)}`,
          )
        : new AttemptError('network', networkReason(error));
      attemptError.reading = reading;
      return attemptError;
    };
    let response: Response;
    try {
      response = await (await loadApi())(path, { method, signal, hooks: pin, ...(body === undefined ? {} : { json: body }) });
    } catch (error) {
      throw failed(error, false);
    }
    let text: string;
    try {
      text = await readCapped(response, MAX_LEADCONDUIT_ANSWER_BYTES);
    } catch (error) {
      if (error instanceof AnswerTooLargeError) throw new AttemptError('too-large', error.message, response.status);
      throw failed(error, true);
    } finally {
      delete pinned.request;
    }
    options.debug?.(`${method} ${baseUrl}${path} -> ${response.status} (${text.length} bytes) in ${Math.round(performance.now() - started)} ms`);
    if (response.status >= 300 && response.status < 400) {
      throw new AttemptError('redirect', redactor.scrub(response.headers.get('location') ?? 'an unnamed location'), response.status);
    }
    // Whatever is quoted from an answer that is not an account is scrubbed first, on the raw text
    // (credential fields by name), and only then cut.
    if (!response.ok) {
      throw new AttemptError(
        'http',
        describeErrorBody(redactor.maskSecretFields(text), response.headers.get('content-type')),
        response.status,
        parseRetryAfter(response.headers.get('retry-after')),
      );
    }
    try {
      return JSON.parse(text) as unknown;
    } catch {
      throw new AttemptError(
        'bad-body',
        `answered ${response.status} but the body is not valid JSON (${describeBody(redactor.maskSecretFields(text), response.headers.get('content-type'))})`,
        response.status,
      );
    }
  }

  async function call(method: 'GET' | 'PUT', path: string, body?: AccountUpdate): Promise<unknown> {
    const label = `${method} /${path}`;
    try {
      return await retryingCall(label, { ...options, classify }, (attemptSignal) => attempt(attemptSignal, method, path, body));
    } catch (error) {
      throw toLeadConduitError(error, label, method, options.baseUrl, redactor);
    }
  }

  function parseAccount(value: unknown, label: string): LiveAccount {
    registerSecrets(value, redactor);
    const parsed = liveAccountSchema.safeParse(value, { reportInput: true });
    if (!parsed.success) {
      const details = parsed.error.issues.slice(0, 5).map((issue) => describeShapeIssue(issue.path, redactor.scrubDeep(issue.input)));
      throw new LeadConduitError(
        `LeadConduit's answer to ${label} does not look like an account (${details.join('; ')}). Check that base-url (${options.baseUrl}) points at LeadConduit's API.${label.startsWith('PUT') ? ` ${MAYBE_APPLIED}` : ''}`,
        label,
      );
    }
    const account = withoutSecrets(parsed.data);
    return { ...account, id: parsed.data.id, name: typeof parsed.data.name === 'string' ? parsed.data.name : undefined };
  }

  return {
    async readAccount(expectedId) {
      try {
        return { account: parseAccount(await call('GET', 'account'), 'GET /account'), via: 'GET /account' };
      } catch (error) {
        if (!(error instanceof LeadConduitError) || (error.status !== 404 && error.status !== 405)) throw error;
        options.debug?.(`GET /account answered ${error.status}; reading the account from GET /user`);
      }
      const user = await call('GET', 'user');
      registerSecrets(user, redactor);
      const parsedUser = userSchema.safeParse(user);
      if (!parsedUser.success) {
        throw new LeadConduitError(
          `LeadConduit's answer to GET /user has no "accounts" list. Check that base-url (${options.baseUrl}) points at LeadConduit's API.`,
          'GET /user',
        );
      }
      const accounts = parsedUser.data.accounts.map((entry) => parseAccount(entry, 'GET /user'));
      return { account: chooseAccount(accounts, expectedId), via: 'GET /user', userAccounts: accounts.length };
    },
    async updateAccount(body) {
      return parseAccount(await call('PUT', 'account', body), 'PUT /account');
    },
  };
}

function chooseAccount(accounts: LiveAccount[], expectedId: string | undefined): LiveAccount {
  const list = accounts.map((a) => `${a.id} (${a.name ?? 'no name'})`).join(', ');
  if (expectedId !== undefined) {
    const match = accounts.find((a) => a.id.toLowerCase() === expectedId.toLowerCase());
    if (match) return match;
    throw new LeadConduitError(`The API key's user has no account with id ${expectedId} (the "id" in the file); its accounts: ${list || 'none'}.`, 'GET /user');
  }
  const [only, ...others] = accounts;
  if (only && others.length === 0) return only;
  if (!only) throw new LeadConduitError("GET /user lists no account for this API key; use an API key of the account's user.", 'GET /user');
  throw new LeadConduitError(
    `The API key's user has ${accounts.length} accounts and the file does not say which one it is for: add "id" to the file with one of ${list}.`,
    'GET /user',
  );
}

/** Account secrets are masked the moment they are seen, then dropped: nothing downstream holds them. */
function registerSecrets(value: unknown, redactor: Redactor): void {
  if (typeof value !== 'object' || value === null) return;
  if (Array.isArray(value)) {
    for (const item of value) registerSecrets(item, redactor);
    return;
  }
  for (const [key, child] of Object.entries(value)) {
    if ((SECRET_FIELDS as readonly string[]).includes(key) || (SECRET_FIELD_NAME.test(key) && typeof child === 'string')) redactor.add(child, 'field');
    else if (typeof child === 'object') registerSecrets(child, redactor);
  }
}

function withoutSecrets(account: Record<string, unknown>): Record<string, unknown> {
  const copy: Record<string, unknown> = { ...account };
  for (const field of SECRET_FIELDS) delete copy[field];
  return copy;
}

/** What is wrong with the shape of an answer, in words: the field, what it is, what was expected. */
function describeShapeIssue(path: readonly PropertyKey[], input: unknown): string {
  const where = path.map(String).join('.');
  const expected =
    where === 'id'
      ? "the account's 24-character hexadecimal id"
      : where === 'features'
        ? 'an object of feature switches'
        : where === 'subscriptions'
          ? 'an object of subscriptions'
          : where.startsWith('subscriptions.')
            ? 'a subscription object (or null)'
            : path.length === 0
              ? 'an account object'
              : 'another kind of value';
  return `${where || 'the answer'} is ${describeJsonValue(input)}, where ${expected} is expected`;
}

/** A value's type in words, and the value itself when short: `the string "yes"`, `a number (7)`. */
export function describeJsonValue(value: unknown): string {
  if (value === undefined) return 'missing';
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'a list';
  if (typeof value === 'object') return 'an object';
  const shown = JSON.stringify(value) ?? typeof value;
  const short = shown.length > 40 ? `${shown.slice(0, 39)}…` : shown;
  if (typeof value === 'string') return `the string ${short}`;
  return `${typeof value === 'number' ? 'a number' : typeof value === 'boolean' ? 'a boolean' : typeof value} (${short})`;
}

function classify(error: unknown): RetryVerdict {
  if (!(error instanceof AttemptError)) return { retry: false };
  if (error.kind === 'network' || error.kind === 'timeout') return { retry: true };
  if (error.kind === 'http' && error.status !== undefined && RETRYABLE_STATUS.has(error.status)) {
    return error.retryAfterMs === undefined ? { retry: true } : { retry: true, retryAfterMs: error.retryAfterMs };
  }
  return { retry: false };
}

/** What to do after a PUT whose outcome is unknown: it reached LeadConduit, or may have. */
const MAYBE_APPLIED = 'The update may or may not have been applied: re-run the job, which reads the account again and sends only what still differs.';

/** One line: which call, what happened, what it means, what to do. */
function toLeadConduitError(error: unknown, label: string, method: 'GET' | 'PUT', baseUrl: string, redactor: Redactor): LeadConduitError {
  const attempts = attemptsOf(error);
  const tries = attempts > 1 ? ` (after ${attempts} attempts)` : '';
  // Only a PUT changes anything; after one that may have reached LeadConduit, say what that means.
  const unknownOutcome = method === 'PUT' ? ` ${MAYBE_APPLIED}` : '';
  if (error instanceof RetryAfterTooLongError) {
    const last = error.lastError instanceof AttemptError ? error.lastError : undefined;
    const said = last?.message ? ` (${redactor.scrub(last.message)})` : '';
    return new LeadConduitError(
      `LeadConduit answered ${statusName(last?.status)} to ${label}${said} and ${error.message}; re-run the job later.`,
      label,
      last?.status,
    );
  }
  if (error instanceof DeadlineExceededError) {
    return new LeadConduitError(`${label} was stopped: ${error.message}. LeadConduit is slow or unreachable; re-run the job later.${unknownOutcome}`, label);
  }
  if (!(error instanceof AttemptError)) {
    return new LeadConduitError(`${label} failed unexpectedly: ${redactor.scrub(String(error))}${unknownOutcome}`, label);
  }
  const said = error.message ? `: ${redactor.scrub(error.message)}` : '';
  switch (error.kind) {
    case 'deadline':
      return new LeadConduitError(`${label} was stopped: ${error.message}. LeadConduit is slow or unreachable; re-run the job later.${unknownOutcome}`, label);
    case 'timeout':
      return new LeadConduitError(
        `LeadConduit did not answer ${label} in time${tries}: ${error.message}. Check LeadConduit's status and re-run the job.${unknownOutcome}`,
        label,
      );
    case 'network':
      if (error.reading) {
        return new LeadConduitError(
          `The connection to LeadConduit broke while its answer to ${label} was arriving${tries}: ${redactor.scrub(error.message)}. Check LeadConduit's status and the runner's network, then re-run the job.${unknownOutcome}`,
          label,
        );
      }
      return new LeadConduitError(
        `Could not reach LeadConduit at ${baseUrl} for ${label}${tries}: ${redactor.scrub(error.message)}. Check base-url and the runner's network.${unknownOutcome}`,
        label,
      );
    case 'redirect':
      return new LeadConduitError(
        `LeadConduit answered ${label} with a redirect (${error.status}) to ${redactor.scrub(error.message)}; it is not followed, so the API key cannot reach another host. Set base-url to the API's own address (${baseUrl} is redirected).`,
        label,
        error.status,
      );
    case 'too-large':
      return new LeadConduitError(
        `LeadConduit's answer to ${label} was too large: ${error.message}. An account is a few KB: check that base-url (${baseUrl}) points at LeadConduit's API.${unknownOutcome}`,
        label,
        error.status,
      );
    case 'bad-body':
      return new LeadConduitError(
        `LeadConduit ${redactor.scrub(error.message)} for ${label}. Check that base-url (${baseUrl}) points at LeadConduit's API, or re-run the job.${unknownOutcome}`,
        label,
        error.status,
      );
    case 'http': {
      const status = error.status ?? 0;
      const name = statusName(status);
      if (status === 401 || status === 403) {
        return new LeadConduitError(
          `LeadConduit rejected the API key (${name}) on ${label}${said}. Check the api-key secret: it must be a current LeadConduit API key with access to this account.`,
          label,
          status,
        );
      }
      if (status === 404 || status === 405) {
        return new LeadConduitError(
          `LeadConduit answered ${name} to ${label}${said}. Check base-url (${baseUrl}): it must be LeadConduit's API address.`,
          label,
          status,
        );
      }
      if ((status === 400 || status === 422) && method === 'PUT') {
        return new LeadConduitError(
          `LeadConduit refused ${label} (${name})${said}. Nothing was changed; fix the setting it names in the desired-state file.`,
          label,
          status,
        );
      }
      if (status === 429) {
        return new LeadConduitError(`LeadConduit kept rate-limiting ${label} (${name})${tries}${said}. Re-run the job in a few minutes.`, label, status);
      }
      if (status >= 500) {
        return new LeadConduitError(
          `LeadConduit failed on ${label} (${name})${tries}${said}. LeadConduit may be having an outage; re-run the job later.${unknownOutcome}`,
          label,
          status,
        );
      }
      return new LeadConduitError(
        `LeadConduit answered ${name} to ${label}${tries}${said}. Check base-url (${baseUrl}) and the api-key, then re-run the job.`,
        label,
        status,
      );
    }
  }
}

function statusName(status: number | undefined): string {
  if (status === undefined) return 'an error';
  const text = STATUS_TEXT[status];
  return text ? `${status} ${text}` : String(status);
}

/** LeadConduit's own message from an error body, short; the whole body never reaches a log. */
function describeErrorBody(text: string, contentType: string | null): string {
  const trimmed = text.trim();
  if (trimmed === '') return '';
  try {
    const json = JSON.parse(trimmed) as unknown;
    const message = pickMessage(json);
    if (message) return truncate(message);
  } catch {
    // not JSON: fall through
  }
  if (/html/i.test(contentType ?? '') || /^<(!doctype|html)/i.test(trimmed)) {
    const title = /<title[^>]*>([^<]*)<\/title>/i.exec(trimmed)?.[1]?.trim();
    return `an HTML page${title ? ` titled "${truncate(title, 80)}"` : ''}, not LeadConduit's JSON`;
  }
  return truncate(trimmed.replace(/\s+/g, ' '));
}

function pickMessage(json: unknown): string | undefined {
  if (typeof json === 'string') return json;
  if (typeof json !== 'object' || json === null) return undefined;
  const record = json as Record<string, unknown>;
  for (const key of ['message', 'error', 'error_description', 'detail', 'errors']) {
    const value = record[key];
    if (typeof value === 'string' && value.trim() !== '') return value.trim();
    if (Array.isArray(value)) {
      const parts = value.map((item) => (typeof item === 'string' ? item : pickMessage(item))).filter(Boolean);
      if (parts.length > 0) return parts.join('; ');
    }
    if (typeof value === 'object' && value !== null) {
      const nested = pickMessage(value);
      if (nested) return nested;
    }
  }
  return undefined;
}

function describeBody(text: string, contentType: string | null): string {
  if (text.trim() === '') return 'it is empty';
  if (/html/i.test(contentType ?? '') || /^\s*<(!doctype|html)/i.test(text)) return 'it is an HTML page';
  // JSON that stops before its end was cut short on the way (a proxy, a dropped connection).
  const cutShort = /^\s*[[{]/.test(text) && endsEarly(text);
  return `it starts with ${JSON.stringify(text.slice(0, 30))}${cutShort ? ' and is cut short' : ''}`;
}

function endsEarly(text: string): boolean {
  try {
    JSON.parse(text);
    return false;
  } catch (error) {
    const message = (error as Error).message;
    const position = /position (\d+)/.exec(message)?.[1];
    return /end of (JSON )?(input|data)|Unterminated/i.test(message) || (position !== undefined && Number(position) >= text.trimEnd().length);
  }
}

function truncate(text: string, max = 300): string {
  return text.length > max ? `${text.slice(0, max)}…` : text;
}

function networkReason(error: unknown): string {
  const codes: Record<string, string> = {
    ECONNREFUSED: 'connection refused',
    ECONNRESET: 'connection reset',
    ENOTFOUND: 'host not found',
    EAI_AGAIN: 'DNS lookup failed',
    ETIMEDOUT: 'connection timed out',
    EPIPE: 'connection closed',
    UND_ERR_SOCKET: 'connection closed by the server',
    CERT_HAS_EXPIRED: 'the TLS certificate has expired',
    DEPTH_ZERO_SELF_SIGNED_CERT: 'the TLS certificate is self-signed',
  };
  let current: unknown = error;
  for (let depth = 0; depth < 5 && current; depth++) {
    const code = (current as { code?: unknown }).code;
    if (typeof code === 'string') return codes[code] ? `${codes[code]} (${code})` : code;
    current = (current as { cause?: unknown }).cause;
  }
  const message = error instanceof Error ? error.message : String(error);
  return /terminated/i.test(message) ? 'the connection closed before the whole answer arrived' : message;
}
