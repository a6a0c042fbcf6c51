import type { KyInstance } from 'ky';
import { MAX_JSON_DEPTH, nestsDeeperThan } from './json-depth.js';
import { SECRET_FIELDS, liveAccountSchema, userSchema, type AccountUpdate, type LiveAccount } from './account-schema.js';
import { AnswerTooLargeError, MAX_LEADCONDUIT_ANSWER_BYTES, readCapped } from './capped-body.js';
import type { AttemptSignal, Deadline } from './deadline.js';
import { formatDuration } from './duration.js';
import { describeBody, describeErrorBody, describeShapeIssue, networkReason } from './answer-text.js';
import { ACTION_WORDING, AttemptError, LeadConduitError, classify, maybeApplied, toLeadConduitError, type Wording } from './leadconduit-errors.js';
import type { Redactor } from './redact.js';
import { retryingCall, type RetryPolicy } from './retry.js';
import { parseRetryAfter } from './retry-after.js';

export { LeadConduitError };

export interface LeadConduitOptions {
  baseUrl: string;
  apiKey: string;
  requestTimeoutMs: number;
  retry: RetryPolicy;
  deadline: Deadline;
  redactor: Redactor;
  debug?: (message: string) => void;
  /** How messages name the settings: the action's inputs (default) or the command line's. */
  wording?: Wording;
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

export function createLeadConduitClient(options: LeadConduitOptions): LeadConduitClient {
  const { redactor, deadline } = options;
  const wording = options.wording ?? ACTION_WORDING;
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
    if (nestsDeeperThan(text)) {
      throw new AttemptError(
        'bad-body',
        `answered ${response.status} with JSON nested more than ${MAX_JSON_DEPTH} levels deep, which no account is`,
        response.status,
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
      throw toLeadConduitError(error, label, method, options.baseUrl, redactor, wording);
    }
  }

  function parseAccount(value: unknown, label: string): LiveAccount {
    // Account secrets (SECRET_FIELDS among them) are masked the moment they are seen, then dropped: nothing downstream holds them.
    redactor.addSecretFields(value);
    const parsed = liveAccountSchema.safeParse(value, { reportInput: true });
    if (!parsed.success) {
      const details = parsed.error.issues.slice(0, 5).map((issue) => describeShapeIssue(issue.path, issue.input, (text) => redactor.scrub(text)));
      throw new LeadConduitError(
        `LeadConduit's answer to ${label} does not look like an account (${details.join('; ')}). Check that ${wording.baseUrl} (${options.baseUrl}) points at LeadConduit's API.${label.startsWith('PUT') ? ` ${maybeApplied(wording)}` : ''}`,
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
      redactor.addSecretFields(user);
      const parsedUser = userSchema.safeParse(user);
      if (!parsedUser.success) {
        throw new LeadConduitError(
          `LeadConduit's answer to GET /user has no "accounts" list. Check that ${wording.baseUrl} (${options.baseUrl}) points at LeadConduit's API.`,
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

function withoutSecrets(account: Record<string, unknown>): Record<string, unknown> {
  const copy: Record<string, unknown> = { ...account };
  for (const field of SECRET_FIELDS) delete copy[field];
  return copy;
}
