export const id = 267;
export const ids = [267];
export const modules = {

/***/ 3267:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

// ESM COMPAT FLAG
__webpack_require__.r(__webpack_exports__);

// EXPORTS
__webpack_require__.d(__webpack_exports__, {
  onlineMode: () => (/* binding */ onlineMode)
});

// EXTERNAL MODULE: ./src/deadline.ts
var src_deadline = __webpack_require__(6683);
// EXTERNAL MODULE: ./src/duration.ts
var duration = __webpack_require__(7607);
// EXTERNAL MODULE: ./src/json-depth.ts
var json_depth = __webpack_require__(8829);
// EXTERNAL MODULE: ./src/account-schema.ts + 13 modules
var account_schema = __webpack_require__(5456);
// EXTERNAL MODULE: ./src/wording.ts
var wording = __webpack_require__(3395);
;// CONCATENATED MODULE: ./src/capped-body.ts
/**
 * Answers are read up to a cap, far above anything real, and no further: a hostile or broken
 * server streaming gigabytes must end in a clear message, not in a runner out of memory.
 */

/** A LeadConduit account is a few KB; this is a thousand times that. */
const MAX_LEADCONDUIT_ANSWER_BYTES = 8 * 1024 * 1024;
/** A page of 100 comments at GitHub's largest (65,536 characters each) stays under this. */
const MAX_GITHUB_ANSWER_BYTES = 32 * 1024 * 1024;
class AnswerTooLargeError extends Error {
    name = 'AnswerTooLargeError';
    limitBytes;
    constructor(limitBytes) {
        super(`the answer was larger than ${(0,wording/* formatBytes */.z3)(limitBytes)}; it was not read further`);
        this.limitBytes = limitBytes;
    }
}
/** The body as text, or AnswerTooLargeError as soon as it passes `limit` bytes (the rest is never read). */
async function readCapped(response, limit) {
    const declared = Number(response.headers.get('content-length'));
    if (Number.isFinite(declared) && declared > limit) {
        await response.body?.cancel().catch(() => undefined);
        throw new AnswerTooLargeError(limit);
    }
    if (!response.body)
        return '';
    const reader = response.body.getReader();
    const chunks = [];
    let size = 0;
    for (;;) {
        const { done, value } = (await reader.read());
        if (done || value === undefined)
            break;
        size += value.byteLength;
        if (size > limit) {
            await reader.cancel().catch(() => undefined);
            throw new AnswerTooLargeError(limit);
        }
        chunks.push(value);
    }
    return new TextDecoder().decode(Buffer.concat(chunks));
}
/**
 * The same response with a body that errors once it passes `limit` bytes, for a client that
 * reads bodies itself (octokit); `onTooLarge` hears of it even where that client swallows the error.
 */
function cappedResponse(response, limit, onTooLarge) {
    const declared = Number(response.headers.get('content-length'));
    if (Number.isFinite(declared) && declared > limit) {
        const error = new AnswerTooLargeError(limit);
        onTooLarge(error);
        void response.body?.cancel().catch(() => undefined);
        throw error;
    }
    if (!response.body)
        return response;
    // A declared length frames the body (the HTTP parser reads no more than it), so an answer
    // declared within the limit needs no count, unless it is compressed: fetch inflates it, and
    // the inflated body can be any size.
    const encoding = response.headers.get('content-encoding');
    if (Number.isFinite(declared) && response.headers.has('content-length') && (encoding === null || encoding === 'identity'))
        return response;
    let size = 0;
    const counted = response.body.pipeThrough(new TransformStream({
        transform(chunk, controller) {
            size += chunk.byteLength;
            if (size > limit) {
                const error = new AnswerTooLargeError(limit);
                onTooLarge(error);
                controller.error(error);
                return;
            }
            controller.enqueue(chunk);
        },
    }));
    return new Response(counted, { status: response.status, statusText: response.statusText, headers: response.headers });
}

;// CONCATENATED MODULE: ./src/answer-text.ts
/**
 * What an answer said, in a few words for a message: LeadConduit's own message from an error body,
 * what an unreadable body looks like, a network failure by its code, what is wrong with an
 * answer's shape. Never the whole body: the text is cut, after it was scrubbed of secrets.
 */


/** What is wrong with the shape of an answer, in words: the field, what it is (scrubbed, then cut), what was expected. */
function describeShapeIssue(path, input, scrub) {
    const where = path.map(String).join('.');
    // Only the id is checked (liveAccountSchema): anything else is judged by the plan, where it is managed.
    const expected = where === 'id' ? "the account's 24-character hexadecimal id" : path.length === 0 ? 'an account object' : 'another kind of value';
    return `${where || 'the answer'} is ${(0,wording/* describeJsonValue */.$g)(input, scrub)}, where ${expected} is expected`;
}
/** LeadConduit's own message from an error body, short; the whole body never reaches a log. */
function describeErrorBody(text, contentType) {
    const trimmed = text.trim();
    if (trimmed === '')
        return '';
    try {
        // Nested deeper than any real error body: described as text (its message is not looked for).
        const json = (0,json_depth/* nestsDeeperThan */.ix)(trimmed) ? undefined : JSON.parse(trimmed);
        const message = pickMessage(json);
        if (message)
            return truncate(message);
    }
    catch {
        // not JSON: fall through
    }
    if (/html/i.test(contentType ?? '') || /^<(!doctype|html)/i.test(trimmed)) {
        const title = /<title[^>]*>([^<]*)<\/title>/i.exec(trimmed)?.[1]?.trim();
        return `an HTML page${title ? ` titled "${truncate(title, 80)}"` : ''}, not LeadConduit's JSON`;
    }
    return truncate(trimmed.replace(/\s+/g, ' '));
}
function pickMessage(json) {
    if (typeof json === 'string')
        return json;
    if (typeof json !== 'object' || json === null)
        return undefined;
    const record = json;
    for (const key of ['message', 'error', 'error_description', 'detail', 'errors']) {
        const value = record[key];
        if (typeof value === 'string' && value.trim() !== '')
            return value.trim();
        if (Array.isArray(value)) {
            const parts = value.map((item) => (typeof item === 'string' ? item : pickMessage(item))).filter(Boolean);
            if (parts.length > 0)
                return parts.join('; ');
        }
        if (typeof value === 'object' && value !== null) {
            const nested = pickMessage(value);
            if (nested)
                return nested;
        }
    }
    return undefined;
}
function describeBody(text, contentType) {
    if (text.trim() === '')
        return 'it is empty';
    if (/html/i.test(contentType ?? '') || /^\s*<(!doctype|html)/i.test(text))
        return 'it is an HTML page';
    // JSON that stops before its end was cut short on the way (a proxy, a dropped connection).
    const cutShort = /^\s*[[{]/.test(text) && endsEarly(text);
    return `it starts with ${JSON.stringify(text.slice(0, 30))}${cutShort ? ' and is cut short' : ''}`;
}
function endsEarly(text) {
    try {
        JSON.parse(text);
        return false;
    }
    catch (error) {
        const message = error.message;
        const position = /position (\d+)/.exec(message)?.[1];
        return /end of (JSON )?(input|data)|Unterminated/i.test(message) || (position !== undefined && Number(position) >= text.trimEnd().length);
    }
}
function truncate(text, max = 300) {
    return text.length > max ? `${text.slice(0, max)}…` : text;
}
function networkReason(error) {
    const codes = {
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
    let current = error;
    for (let depth = 0; depth < 5 && current; depth++) {
        const code = current.code;
        if (typeof code === 'string')
            return codes[code] ? `${codes[code]} (${code})` : code;
        current = current.cause;
    }
    const message = error instanceof Error ? error.message : String(error);
    return /terminated/i.test(message) ? 'the connection closed before the whole answer arrived' : message;
}

// EXTERNAL MODULE: ./src/errors.ts
var errors = __webpack_require__(3916);
// EXTERNAL MODULE: ./src/retry.ts + 1 modules
var retry = __webpack_require__(7820);
;// CONCATENATED MODULE: ./src/leadconduit-errors.ts
/**
 * What went wrong talking to LeadConduit, in one line a person can act on: which call, what
 * happened, what it means, what to do, worded for where it is read (the action or the terminal).
 */



const ACTION_WORDING = {
    apiKey: 'the api-key secret',
    apiKeyShort: 'the api-key',
    baseUrl: 'base-url',
    network: "the runner's network",
    again: 're-run the job',
};
const CLI_WORDING = {
    apiKey: 'LEADCONDUIT_API_KEY',
    apiKeyShort: 'LEADCONDUIT_API_KEY',
    baseUrl: '--base-url',
    network: 'your network',
    again: 'run the command again',
};
/** A LeadConduit call that failed for good (after any retries), with a message for the user. */
class LeadConduitError extends errors/* UserError */.yo {
    name = 'LeadConduitError';
    call;
    status;
    constructor(message, call, status, verdict) {
        super(message, [], verdict);
        this.call = call;
        this.status = status;
    }
}
/** One failed attempt, before retries are decided. */
class AttemptError extends Error {
    kind;
    status;
    retryAfterMs;
    /** A network failure or timeout while the answer's body was arriving (the request was received). */
    reading = false;
    constructor(kind, message, status, retryAfterMs) {
        super(message);
        this.kind = kind;
        this.status = status;
        this.retryAfterMs = retryAfterMs;
    }
}
const RETRYABLE_STATUS = new Set([408, 429, 500, 502, 503, 504]);
const STATUS_TEXT = {
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
function classify(error) {
    if (!(error instanceof AttemptError))
        return { retry: false };
    if (error.kind === 'network' || error.kind === 'timeout')
        return { retry: true };
    if (error.kind === 'http' && error.status !== undefined && RETRYABLE_STATUS.has(error.status)) {
        return error.retryAfterMs === undefined ? { retry: true } : { retry: true, retryAfterMs: error.retryAfterMs };
    }
    return { retry: false };
}
/** What to do after a PUT whose outcome is unknown: it reached LeadConduit, or may have. */
const maybeApplied = (w) => `The update may or may not have been applied: ${w.again}, which reads the account again and sends only what still differs.`;
/** One line: which call, what happened, what it means, what to do. */
function toLeadConduitError(error, label, method, baseUrl, redactor, w) {
    const attempts = (0,retry/* attemptsOf */.Or)(error);
    const tries = attempts > 1 ? ` (after ${attempts} attempts)` : '';
    // Only a PUT changes anything; after one that may have reached LeadConduit, say what that means.
    const unknownOutcome = method === 'PUT' ? ` ${maybeApplied(w)}` : '';
    if (error instanceof retry/* RetryAfterTooLongError */.dd) {
        const last = error.lastError instanceof AttemptError ? error.lastError : undefined;
        const said = last?.message ? ` (${redactor.scrub(last.message)})` : '';
        return new LeadConduitError(`LeadConduit answered ${statusName(last?.status)} to ${label}${said} and ${error.message}; ${w.again} later.`, label, last?.status);
    }
    if (error instanceof src_deadline/* DeadlineExceededError */.Kt) {
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
            return new LeadConduitError(`LeadConduit did not answer ${label} in time${tries}: ${error.message}. Check LeadConduit's status and ${w.again}.${unknownOutcome}`, label);
        case 'network':
            if (error.reading) {
                return new LeadConduitError(`The connection to LeadConduit broke while its answer to ${label} was arriving${tries}: ${redactor.scrub(error.message)}. Check LeadConduit's status and ${w.network}, then ${w.again}.${unknownOutcome}`, label);
            }
            return new LeadConduitError(`Could not reach LeadConduit at ${baseUrl} for ${label}${tries}: ${redactor.scrub(error.message)}. Check ${w.baseUrl} and ${w.network}.${unknownOutcome}`, label);
        case 'redirect':
            return new LeadConduitError(`LeadConduit answered ${label} with a redirect (${error.status}) to ${redactor.scrub(error.message)}; it is not followed, so the API key cannot reach another host. Set ${w.baseUrl} to the API's own address (${baseUrl} is redirected).`, label, error.status);
        case 'too-large':
            return new LeadConduitError(`LeadConduit's answer to ${label} was too large: ${error.message}. An account is a few KB: check that ${w.baseUrl} (${baseUrl}) points at LeadConduit's API.${unknownOutcome}`, label, error.status);
        case 'bad-body':
            return new LeadConduitError(`LeadConduit ${redactor.scrub(error.message)} for ${label}. Check that ${w.baseUrl} (${baseUrl}) points at LeadConduit's API, or ${w.again}.${unknownOutcome}`, label, error.status);
        case 'http': {
            const status = error.status ?? 0;
            const name = statusName(status);
            // "<what happened>: <LeadConduit's words>. <what to do>", and in a report the verdict is what
            // happened; under it, LeadConduit's words as its own (unless they only repeat the status).
            const answered = (reason, advice) => {
                const words = redactor.scrub(error.message).trim();
                const quoted = words === '' || words.toLowerCase() === name.replace(/^\d+\s*/, '').toLowerCase()
                    ? ''
                    : `LeadConduit said: ${words}${/[.!?]$/.test(words) ? '' : '.'} `;
                return new LeadConduitError(`${reason}${said}. ${advice}`, label, status, { reason, detail: `${quoted}${advice}` });
            };
            if (status === 401 || status === 403) {
                return answered(`LeadConduit rejected the API key (${name}) on ${label}`, `Check ${w.apiKey}: it must be a current LeadConduit API key with access to this account.`);
            }
            if (status === 404 || status === 405) {
                return answered(`LeadConduit answered ${name} to ${label}`, `Check ${w.baseUrl} (${baseUrl}): it must be LeadConduit's API address.`);
            }
            if ((status === 400 || status === 422) && method === 'PUT') {
                return answered(`LeadConduit refused ${label} (${name})`, 'Nothing was changed; fix the setting it names, in the desired-state file or, where the file does not manage it, in LeadConduit.');
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
function statusName(status) {
    if (status === undefined)
        return 'an error';
    const text = STATUS_TEXT[status];
    return text ? `${status} ${text}` : String(status);
}

;// CONCATENATED MODULE: ./src/retry-after.ts
/** Retry-After as seconds or an HTTP date, in milliseconds from now; undefined when absent or unreadable. */
function parseRetryAfter(value, now = Date.now()) {
    if (value === null || value === undefined || value.trim() === '')
        return undefined;
    const text = value.trim();
    if (/^\d+(\.\d+)?$/.test(text))
        return Math.round(Number(text) * 1000);
    const date = parseHttpDate(text);
    if (date === undefined)
        return undefined;
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
function parseHttpDate(text) {
    const form = HTTP_DATE.findIndex((pattern) => pattern.test(text));
    if (form < 0)
        return undefined;
    // asctime has no zone; it is GMT, not the runner's local time.
    const date = Date.parse(form === 2 ? `${text} GMT` : text);
    return Number.isNaN(date) ? undefined : date;
}

;// CONCATENATED MODULE: ./src/leadconduit.ts









function createLeadConduitClient(options) {
    const { redactor, deadline } = options;
    const wording = options.wording ?? ACTION_WORDING;
    redactor.add(options.apiKey);
    // A trailing slash makes "account" resolve under any path the base URL has.
    const baseUrl = options.baseUrl.endsWith('/') ? options.baseUrl : `${options.baseUrl}/`;
    // ky is loaded on the first request, not at start-up: a validation never needs it (bench/).
    let api;
    const loadApi = async () => (api ??= (await __webpack_require__.e(/* import() */ 586).then(__webpack_require__.bind(__webpack_require__, 9586))).default.create({
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
    async function attempt(attemptSignal, method, path, body) {
        const { signal } = attemptSignal;
        const started = performance.now();
        // ky links our signal to the request through signals Node may garbage-collect once the
        // answer's headers are in; then a stalled body never sees the abort and the job hangs.
        // Holding the request until the body is read keeps that link alive.
        const pinned = {};
        const pin = { beforeRequest: [({ request }) => void (pinned.request = request)] };
        const failed = (error, reading) => {
            if (deadline.signal.aborted)
                return new AttemptError('deadline', String(deadline.signal.reason.message));
            const attemptError = attemptSignal.timedOut
                ? new AttemptError('timeout', reading
                    ? `the answer did not finish arriving within ${(0,duration/* formatDuration */.a)(options.requestTimeoutMs)}`
                    : `no answer within ${(0,duration/* formatDuration */.a)(options.requestTimeoutMs)}`)
                : new AttemptError('network', networkReason(error));
            attemptError.reading = reading;
            return attemptError;
        };
        let response;
        try {
            response = await (await loadApi())(path, { method, signal, hooks: pin, ...(body === undefined ? {} : { json: body }) });
        }
        catch (error) {
            throw failed(error, false);
        }
        let text;
        try {
            text = await readCapped(response, MAX_LEADCONDUIT_ANSWER_BYTES);
        }
        catch (error) {
            if (error instanceof AnswerTooLargeError)
                throw new AttemptError('too-large', error.message, response.status);
            throw failed(error, true);
        }
        finally {
            delete pinned.request;
        }
        options.debug?.(`${method} ${baseUrl}${path} -> ${response.status} (${text.length} bytes) in ${Math.round(performance.now() - started)} ms`);
        if (response.status >= 300 && response.status < 400) {
            throw new AttemptError('redirect', redactor.scrub(response.headers.get('location') ?? 'an unnamed location'), response.status);
        }
        // Whatever is quoted from an answer that is not an account is scrubbed first, on the raw text
        // (credential fields by name), and only then cut.
        if (!response.ok) {
            throw new AttemptError('http', describeErrorBody(redactor.maskSecretFields(text), response.headers.get('content-type')), response.status, parseRetryAfter(response.headers.get('retry-after')));
        }
        if ((0,json_depth/* nestsDeeperThan */.ix)(text)) {
            throw new AttemptError('bad-body', `answered ${response.status} with JSON nested more than ${json_depth/* MAX_JSON_DEPTH */.KX} levels deep, which no account is`, response.status);
        }
        try {
            return JSON.parse(text);
        }
        catch {
            throw new AttemptError('bad-body', `answered ${response.status} but the body is not valid JSON (${describeBody(redactor.maskSecretFields(text), response.headers.get('content-type'))})`, response.status);
        }
    }
    async function call(method, path, body) {
        const label = `${method} /${path}`;
        try {
            return await (0,retry/* retryingCall */.$O)(label, { ...options, classify: classify }, (attemptSignal) => attempt(attemptSignal, method, path, body));
        }
        catch (error) {
            throw toLeadConduitError(error, label, method, options.baseUrl, redactor, wording);
        }
    }
    function parseAccount(value, label) {
        // Account secrets (SECRET_FIELDS among them) are masked the moment they are seen, then dropped: nothing downstream holds them.
        redactor.addSecretFields(value);
        const parsed = account_schema/* liveAccountSchema */.Rg.safeParse(value, { reportInput: true });
        if (!parsed.success) {
            const details = parsed.error.issues.slice(0, 5).map((issue) => describeShapeIssue(issue.path, issue.input, (text) => redactor.scrub(text)));
            throw new LeadConduitError(`LeadConduit's answer to ${label} does not look like an account (${details.join('; ')}). Check that ${wording.baseUrl} (${options.baseUrl}) points at LeadConduit's API.${label.startsWith('PUT') ? ` ${maybeApplied(wording)}` : ''}`, label);
        }
        const account = withoutSecrets(parsed.data);
        return { ...account, id: parsed.data.id, name: typeof parsed.data.name === 'string' ? parsed.data.name : undefined };
    }
    return {
        async readAccount(expectedId) {
            try {
                return { account: parseAccount(await call('GET', 'account'), 'GET /account'), via: 'GET /account' };
            }
            catch (error) {
                if (!(error instanceof LeadConduitError) || (error.status !== 404 && error.status !== 405))
                    throw error;
                options.debug?.(`GET /account answered ${error.status}; reading the account from GET /user`);
            }
            const user = await call('GET', 'user');
            redactor.addSecretFields(user);
            const parsedUser = account_schema/* userSchema */.vJ.safeParse(user);
            if (!parsedUser.success) {
                throw new LeadConduitError(`LeadConduit's answer to GET /user has no "accounts" list. Check that ${wording.baseUrl} (${options.baseUrl}) points at LeadConduit's API.`, 'GET /user');
            }
            const accounts = parsedUser.data.accounts.map((entry) => parseAccount(entry, 'GET /user'));
            return { account: chooseAccount(accounts, expectedId), via: 'GET /user', userAccounts: accounts.length };
        },
        async updateAccount(body) {
            return parseAccount(await call('PUT', 'account', body), 'PUT /account');
        },
    };
}
function chooseAccount(accounts, expectedId) {
    const list = accounts.map((a) => `${a.id} (${a.name ?? 'no name'})`).join(', ');
    if (expectedId !== undefined) {
        const match = accounts.find((a) => a.id.toLowerCase() === expectedId.toLowerCase());
        if (match)
            return match;
        throw new LeadConduitError(`The API key's user has no account with id ${expectedId} (the "id" in the file); its accounts: ${list || 'none'}.`, 'GET /user');
    }
    const [only, ...others] = accounts;
    if (only && others.length === 0)
        return only;
    if (!only)
        throw new LeadConduitError("GET /user lists no account for this API key; use an API key of the account's user.", 'GET /user');
    throw new LeadConduitError(`The API key's user has ${accounts.length} accounts and the file does not say which one it is for: add "id" to the file with one of ${list}.`, 'GET /user');
}
function withoutSecrets(account) {
    const copy = { ...account };
    for (const field of account_schema/* SECRET_FIELDS */.x1)
        delete copy[field];
    return copy;
}

;// CONCATENATED MODULE: ./src/github-errors.ts
/**
 * GitHub's failures: which are retried (a 5xx, a rate limit, an answer cut short), and each in one
 * line a person can act on (what failed, GitHub's answer, what to do).
 */





/**
 * GitHub answered 2xx, but not with what the call returns. octokit swallows a failed body read
 * (a connection cut mid-answer, a timeout while it arrives) and hands back "" or the raw text as
 * `data`; read as "no comments", that would post a second plan comment. Retried like a network error.
 */
class UnexpectedAnswerError extends Error {
    name = 'UnexpectedAnswerError';
    constructor(call, data) {
        const got = data === '' || data === undefined
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
class TooManyCommentsError extends Error {
    name = 'TooManyCommentsError';
    /** Whether the listing came before anything was written on the pull request (a create may have come first). */
    wroteNothing;
    constructor(issueNumber, pages, perPage, wroteNothing) {
        super(`GitHub listed ${(pages * perPage).toLocaleString('en-US')} comments or more on pull request #${issueNumber} (${pages} full pages), more than any real pull request holds, so the action stopped reading them`);
        this.wroteNothing = wroteNothing;
    }
}
const RATE_LIMIT_MESSAGE = /secondary rate limit|abuse detection|rate limit exceeded/i;
/** Secondary rate limits answer 403 (or 429) and ask the client to slow down. */
function github_errors_classify(error) {
    if (error instanceof AnswerTooLargeError || error instanceof TooManyCommentsError)
        return { retry: false };
    const { status, message = '', response } = (error ?? {});
    const header = (name) => {
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
    if (status === undefined || status >= 500 || status === 408)
        return { retry: true, ...after };
    if (status === 429)
        return { retry: true, ...after };
    if (status === 403 && (retryAfterMs !== undefined || RATE_LIMIT_MESSAGE.test(message))) {
        // GitHub: without a Retry-After, wait at least a minute.
        return { retry: true, retryAfterMs: retryAfterMs ?? 60_000 };
    }
    return { retry: false };
}
/** Whether a failed create may have made the comment all the same: no answer, a 5xx, a 2xx cut short. */
function mightHaveCreated(error) {
    const cause = error instanceof retry/* RetryAfterTooLongError */.dd ? error.lastError : error;
    const { status } = (cause ?? {});
    return status === undefined || status >= 500 || status === 408;
}
/** GitHub refused for want of permission (a 403 that is not a rate limit): a fix in the workflow. */
function isPermissionDenied(error) {
    if (error instanceof retry/* RetryAfterTooLongError */.dd)
        return false;
    const { status, message, response } = (error ?? {});
    return status === 403 && !RATE_LIMIT_MESSAGE.test(message ?? '') && !LOCKED_MESSAGE.test(message ?? '') && response?.headers?.['retry-after'] === undefined;
}
/** GitHub's 403 for a comment on a locked conversation: no permission of the job's changes that. */
const LOCKED_MESSAGE = /\bis locked\b/i;
/**
 * A GitHub failure as one line: what failed, GitHub's answer, what to do. `forbidden` is what to do
 * about a 403 for this call (which permission the job needs).
 */
function describeGitHubError(action, error, forbidden = 'Check the "permissions:" of the workflow.') {
    const attempts = (0,retry/* attemptsOf */.Or)(error);
    const tries = attempts > 1 ? ` after ${attempts} attempts` : '';
    if (error instanceof retry/* RetryAfterTooLongError */.dd) {
        const last = (error.lastError ?? {});
        return `Could not ${action}: GitHub answered ${last.status ?? 'an error'} (${firstLine(last.message)}) and ${error.message}. Re-run the job later.`;
    }
    if (error instanceof src_deadline/* DeadlineExceededError */.Kt)
        return `Could not ${action}: ${error.message}. Re-run the job.`;
    if (error instanceof AnswerTooLargeError) {
        return `Could not ${action}: GitHub's answer was larger than ${(0,wording/* formatBytes */.z3)(error.limitBytes)}; it was not read further. Check that GITHUB_API_URL is GitHub's API.`;
    }
    if (error instanceof TooManyCommentsError) {
        return `Could not ${action}: ${error.message}.${error.wroteNothing ? ' Nothing was written on the pull request.' : ''} Check that GITHUB_API_URL is GitHub's API; if the pull request does hold that many comments, delete the ones a bot left, or make the change in a new pull request.`;
    }
    if (error instanceof UnexpectedAnswerError)
        return `Could not ${action}${tries}: ${error.message}. Re-run the job.`;
    const { status, message, response, cause } = (error ?? {});
    const reason = firstLine(message ?? String(error));
    // octokit reports "no answer" (refused, reset, timed out) as status 500 without a response.
    const noAnswer = status === undefined || (status === 500 && response === undefined);
    if (noAnswer && (cause?.name === 'TimeoutError' || error?.name === 'TimeoutError')) {
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
    if (status === 404)
        return `Could not ${action}: GitHub answered 404 (${reason}). Check the repository and the token's access.`;
    if (status >= 500)
        return `Could not ${action}: GitHub answered ${status}${tries} (${reason}). GitHub may be having an outage; re-run the job later.`;
    return `Could not ${action}: GitHub answered ${status}${tries} (${reason}).`;
}
/** GitHub's message, one line; an HTML error page (a proxy's) by its title, never the page. */
function firstLine(text) {
    const trimmed = (text ?? '').trim();
    if (/^<(!doctype|html)/i.test(trimmed)) {
        const title = /<title[^>]*>([^<]*)<\/title>/i.exec(trimmed)?.[1]?.trim();
        return `an HTML page${title ? ` titled "${title.slice(0, 80)}"` : ''}`;
    }
    const line = trimmed.split('\n')[0]?.trim() ?? '';
    if (line === '')
        return 'no message';
    return line.length > 300 ? `${line.slice(0, 300)}…` : line;
}

;// CONCATENATED MODULE: ./src/github-answers.ts
/** GitHub's answers read into the shapes of github-api.ts; anything else is an unexpected answer, never a guess. */

/** One comment; its author is "" where GitHub names none (a deleted user). */
function commentOf(data, call) {
    const c = data;
    if (typeof c !== 'object' || c === null || Array.isArray(c) || typeof c.id !== 'number' || typeof c.html_url !== 'string') {
        throw new UnexpectedAnswerError(call, data);
    }
    const login = c.user?.login;
    return { id: c.id, body: typeof c.body === 'string' ? c.body : '', url: c.html_url, author: typeof login === 'string' ? login : '' };
}
function listOf(data, call) {
    if (!Array.isArray(data))
        throw new UnexpectedAnswerError(call, data);
    return data;
}
/** One pull request of a commit's list; `list` is the whole answer, quoted if this one is not a pull request. */
function pullRequestOf(item, list, call) {
    const pr = item;
    if (typeof pr !== 'object' || pr === null || typeof pr.number !== 'number')
        throw new UnexpectedAnswerError(call, list);
    return {
        number: pr.number,
        url: typeof pr.html_url === 'string' ? pr.html_url : '',
        mergeCommitSha: typeof pr.merge_commit_sha === 'string' ? pr.merge_commit_sha : null,
        merged: Boolean(pr.merged_at),
    };
}
/** A directory is a list, anything else an object with a type; otherwise the answer was cut short. */
function isContentsAnswer(answer) {
    if (Array.isArray(answer))
        return true;
    return typeof answer === 'object' && answer !== null && typeof answer.type === 'string';
}

;// CONCATENATED MODULE: ./src/pull-request.ts
/** The GitHub calls this action makes (octokit, loaded on the first one): comments, a file, the pull request of a commit. */





/**
 * Pages of comments read at most (100 a page): 10,000 comments, far above any real pull request
 * (a few thousand at the very most). A GitHub that pages for ever would otherwise be read until
 * the deadline.
 */
const MAX_COMMENT_PAGES = 100;
const PER_PAGE = 100;
async function createGitHubApi(options) {
    // Loaded here, not at start-up: validation and most applies never talk to GitHub.
    const { getOctokit } = await Promise.all(/* import() */[__webpack_require__.e(413), __webpack_require__.e(590)]).then(__webpack_require__.bind(__webpack_require__, 6590));
    // Every answer is read up to a cap. octokit reads bodies itself and swallows a failed read, so
    // the cap is told per attempt (by its signal) and that attempt fails with it, not retried. The
    // capped fetch wraps the one @actions/github sets up (it honours the runner's proxy settings).
    const tooLarge = new WeakMap();
    const defaults = getOctokit(options.token, { baseUrl: options.apiUrl }).request.endpoint.DEFAULTS.request;
    const inner = defaults?.fetch ?? fetch;
    const capped = async (input, init) => cappedResponse(await inner(input, init), MAX_GITHUB_ANSWER_BYTES, (error) => {
        if (init?.signal)
            tooLarge.set(init.signal, error);
    });
    const octokit = getOctokit(options.token, { baseUrl: options.apiUrl, request: { ...defaults, fetch: capped } });
    const { owner, repo } = options;
    const scrub = options.scrub ?? ((text) => text);
    const call = (label, fn) => (0,retry/* retryingCall */.$O)(`GitHub ${label}`, { ...options, classify: github_errors_classify }, async ({ signal }, attempt) => {
        try {
            const result = await fn(signal, attempt);
            const overflow = tooLarge.get(signal);
            if (overflow)
                throw overflow;
            return result;
        }
        catch (error) {
            const overflow = tooLarge.get(signal);
            if (overflow)
                throw overflow;
            // GitHub's own message may quote a secret (a proxy echoing the token): masked raw, here.
            if (error instanceof Error)
                error.message = scrub(error.message);
            throw error;
        }
    });
    /**
     * The marked comments of a pull request (MarkedComment: bodies only where needed). `pending` is
     * the body this run posted, if any; `afterWrite` says that something may have been written on
     * the pull request before this listing, for the message of a listing past the cap.
     */
    async function listMarked(issueNumber, { marker, record }, pending, afterWrite = false) {
        const found = [];
        const recordOf = new Map();
        for (let page = 1; page <= MAX_COMMENT_PAGES; page++) {
            const label = `list comments of #${issueNumber} (page ${page})`;
            // Checked inside the attempt, so that a list cut short is retried, never read as "no comment".
            const comments = await call(label, async (signal) => {
                const { data } = await octokit.rest.issues.listComments({ owner, repo, issue_number: issueNumber, per_page: PER_PAGE, page, request: { signal } });
                return listOf(data, label).map((item) => commentOf(item, label));
            });
            for (const { id, url, author, body } of comments) {
                if (!body.startsWith(marker))
                    continue;
                const status = record({ id, url, author, body });
                const listed = { id, url, author, verified: status === 'verified', pending: body === pending, badRecord: status === 'bad-signature' };
                // Pages come oldest first, but GitHub does not promise it: the oldest is kept by id.
                const kept = recordOf.get(author);
                if (listed.verified && (!kept || id < kept.id)) {
                    if (kept)
                        delete kept.body;
                    listed.body = body;
                    recordOf.set(author, listed);
                }
                found.push(listed);
            }
            if (comments.length < PER_PAGE)
                return found.sort((a, b) => a.id - b.id);
        }
        throw new TooManyCommentsError(issueNumber, MAX_COMMENT_PAGES, PER_PAGE, !afterWrite);
    }
    async function update(id, body) {
        const label = `update comment ${id}`;
        return call(label, async (signal) => commentOf((await octokit.rest.issues.updateComment({ owner, repo, comment_id: id, body, request: { signal } })).data, label));
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
                for (const duplicate of stale)
                    await deleteQuietly(duplicate.id);
                return { comment, created: false, foreign: marked.filter((c) => c.author !== signed.author) };
            }
            // Creating is not idempotent: an attempt whose answer was lost (a 5xx after the comment was
            // made, a cut connection) may still have created it. Look before posting again, and look
            // again after, whatever the outcome. A comment this run posted is known by its exact body.
            const pending = render(undefined);
            const label = `create comment on #${issueNumber}`;
            let mine;
            let createError;
            try {
                mine = await call(label, async (signal, attempt) => {
                    if (attempt > 1) {
                        const made = (await listMarked(issueNumber, query, pending, true)).find((c) => c.pending);
                        if (made)
                            return { id: made.id, url: made.url, author: made.author, body: pending };
                    }
                    return commentOf((await octokit.rest.issues.createComment({ owner, repo, issue_number: issueNumber, body: pending, request: { signal } })).data, label);
                });
            }
            catch (error) {
                // A clear refusal (403 read-only token, 422, a rate limit) made nothing: no need to look.
                if (!mightHaveCreated(error))
                    throw error;
                createError = error;
            }
            // Two plans of the same PR at once may both have created one: keep the oldest of the
            // action's login, drop the rest; then sign the one kept for that login.
            let all;
            try {
                all = await listMarked(issueNumber, query, pending, true);
            }
            catch (error) {
                if (!mine)
                    throw createError ?? error;
                options.debug?.(`Could not look for duplicate plan comments (${(0,errors/* getErrorMessage */.u1)(error)}); keeping comment ${mine.id}.`);
                return { comment: await update(mine.id, render(mine.author)), created: true, foreign: marked };
            }
            const author = mine?.author ?? all.find((c) => c.pending)?.author;
            if (author === undefined)
                throw createError;
            // GitHub names the author of every comment it makes; a nameless one is only ever this one.
            const owned = (c) => (author === '' ? c.id === mine?.id || c.pending : c.author === author);
            const [oldest, ...duplicates] = all.filter(owned);
            if (!oldest)
                throw createError;
            for (const duplicate of duplicates)
                await deleteQuietly(duplicate.id);
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
                    const answer = (await octokit.rest.repos.getContent({ owner, repo, path, ref, request: { signal } })).data;
                    if (!isContentsAnswer(answer))
                        throw new UnexpectedAnswerError(label, answer);
                    return answer;
                });
                if (Array.isArray(data))
                    return undefined; // a directory
                const { type, content } = data;
                return type === 'file' && typeof content === 'string' ? Buffer.from(content, 'base64').toString('utf8') : undefined;
            }
            catch (error) {
                if (error.status === 404)
                    return undefined;
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
    async function deleteQuietly(id) {
        try {
            await call(`delete duplicate comment ${id}`, (signal) => octokit.rest.issues.deleteComment({ owner, repo, comment_id: id, request: { signal } }));
        }
        catch (error) {
            // 404: already deleted by the other run, the goal (one comment) is met. Otherwise the plan is
            // posted all the same; a leftover duplicate is not worth failing the comment for.
            if (error.status !== 404)
                options.debug?.(`Could not delete duplicate plan comment ${id}: ${(0,errors/* getErrorMessage */.u1)(error)}`);
        }
    }
}

// EXTERNAL MODULE: ./src/json-text.ts
var json_text = __webpack_require__(2293);
// EXTERNAL MODULE: ./src/markdown.ts
var markdown = __webpack_require__(3758);
// EXTERNAL MODULE: ./src/report-sections.ts
var report_sections = __webpack_require__(4882);
// EXTERNAL MODULE: ./src/report.ts
var src_report = __webpack_require__(665);
;// CONCATENATED MODULE: ./src/report-comment.ts
/**
 * The pull request comment's text: the plan under GitHub's 65,536-character limit, and the apply's
 * outcome block that goes on top of it after a merge. Pure; plan-comment.ts writes it.
 */





/**
 * GitHub refuses a comment body over 65,536 characters. The comment stays well under it, with
 * room for the hidden markers and an apply outcome added on top later.
 */
const COMMENT_LIMIT = 60_000;
/**
 * The PR comment body (after its hidden markers), at most `limit` characters: when the plan does
 * not fit, long values are cut with an ellipsis (the job summary keeps them whole), then the
 * request body is left out, and as a last resort only the verdict and a pointer to the summary stay.
 */
function renderComment(report, footer, limit = COMMENT_LIMIT) {
    for (const max of [Number.POSITIVE_INFINITY, 2_000, 200, 40]) {
        const body = commentAt(report, footer, max, max >= 2_000);
        if (body.length <= limit)
            return body;
    }
    return [
        ...report_comment_top(report, 300),
        `This ${failed(report) ? 'report' : 'plan'} is too long for a pull request comment: the whole of it is in the job summary of the run below.`,
        `<sub>${footer}</sub>`,
    ].join('\n\n');
}
/** A run that made no plan: its comment shows the failure in place of one. */
function failed(report) {
    return report.outcome === 'failed' || report.outcome === 'invalid' || report.outcome === 'refused';
}
/**
 * The comment's first lines. A plan: its title, then the verdict. A failure replaces the plan,
 * verdict first, then which file's plan it is (a matrix writes one comment per file).
 */
function report_comment_top(report, max) {
    const verdict = (0,report_sections/* escapeHeadline */.kg)((0,wording/* cut */.Jj)((0,src_report/* headline */.Pl)(report), max));
    const file = `LeadConduit account plan for ${(0,markdown/* codeText */.ph)(report.file)}`;
    return failed(report) ? [`### ${verdict}`, file] : [`### ${file}`, `**${verdict}**`];
}
function commentAt(report, footer, max, withBody) {
    const cutShort = max !== Number.POSITIVE_INFINITY;
    const parts = report_comment_top(report, Number.POSITIVE_INFINITY);
    parts.push(...(0,report_sections/* explanation */.Qb)(report, max), ...(0,report_sections/* notes */.Q2)(report, max));
    if (report.problems?.length)
        parts.push((0,report_sections/* problemList */.gH)(report, max));
    if (report.account)
        parts.push(`Account: ${(0,report_sections/* accountText */.Pm)(report.account, max)}`);
    parts.push(...(0,report_sections/* changeSections */.dk)(report, max));
    const merging = (0,report_sections/* mergeNote */.h9)(report);
    if (merging)
        parts.push(merging);
    if (withBody && report.requestBody && Object.keys(report.requestBody).length > 0) {
        parts.push((0,markdown/* details */.zH)('The request the apply will send: PUT /account', (0,markdown/* fenced */.OF)((0,json_text/* jsonText */.s)(report.requestBody, 2), 'json')));
    }
    if (cutShort)
        parts.push('<em>Long values are cut short here; the job summary of the run below shows them whole.</em>');
    parts.push(`<sub>${footer}</sub>`);
    return parts.join('\n\n');
}
const OUTCOME_START = '<!-- leadconduit-account-action:outcome -->';
const OUTCOME_END = '<!-- /leadconduit-account-action:outcome -->';
/**
 * The apply's outcome, for the top of the merged pull request's comment: applied (when, which
 * commit, the run), failed (why; whether anything was sent) or refused (the guard that stopped it).
 * Its texts are cut to `max` characters (before escaping), so that it fits on top of a long plan.
 */
function renderOutcome(report, at, max = 1_500) {
    const time = (0,wording/* formatTime */.fU)(at);
    const commit = report.trigger ? ` from commit ${(0,markdown/* codeText */.ph)(report.trigger.commit.slice(0, 12))}` : '';
    const run = report.trigger?.runUrl ? ` ([run](${report.trigger.runUrl}))` : '';
    const when = `${time}${commit}${run}`;
    switch (report.outcome) {
        case 'applied':
            return `### ✅ Applied to LeadConduit\n\n${(0,wording/* plural */.LS)(report.changes.length, 'change was', 'changes were')} applied at ${when}; the account now matches ${(0,markdown/* codeText */.ph)(report.file)}.`;
        case 'no-changes':
            return `### ✅ Nothing to apply\n\nAt ${when} the account already matched ${(0,markdown/* codeText */.ph)(report.file)}; nothing was sent.`;
        case 'refused':
            return outcomeBlock('⛔ Apply refused', report, max, `Nothing was sent to LeadConduit (${when}).`, `Refused at ${when}.`);
        default: {
            // After a check that failed, LeadConduit did accept the update: what it holds is known, and shown above.
            const sent = !report.bodySent
                ? 'Nothing was sent to LeadConduit.'
                : report.mismatches?.length
                    ? "LeadConduit accepted the update, but the settings above do not hold the file's values. Re-run the job, which reads the account again and sends only what still differs."
                    : 'The update was sent: it may or may not have been applied. Re-run the job, which reads the account again and sends only what still differs.';
            return outcomeBlock('❌ Apply failed', report, max, `${sent} (${when})`, `Failed at ${when}.`);
        }
    }
}
/**
 * A refusal or failure: the verdict and its short reason, the rest of the explanation (never the
 * reason again), the settings that did not take, and what was sent, unless the explanation says it.
 */
function outcomeBlock(verdict, report, max, sent, whenOnly) {
    const { reason, detail } = (0,src_report/* failureText */.kY)(report);
    const parts = [`### ${verdict}: ${(0,markdown/* escapeText */.X1)((0,wording/* cut */.Jj)(reason, Math.min(300, max)))}`];
    if (detail !== '')
        parts.push((0,markdown/* escapeText */.X1)((0,wording/* cut */.Jj)(detail, max)));
    const mismatches = (0,report_sections/* mismatchTable */.Ft)(report, Math.min(200, max));
    if (mismatches)
        parts.push(mismatches);
    parts.push(!report.bodySent && /nothing was (sent|changed)/i.test(report.error ?? '') ? whenOnly : sent);
    return parts.join('\n\n');
}
/**
 * A comment body with the outcome block placed right after its hidden markers, replacing an earlier
 * outcome; the plan below stays for the record.
 */
function withOutcome(body, outcome) {
    const lines = body.split('\n');
    let markers = 0;
    while (/^<!-- leadconduit-account-action:(comment|record)/.test(lines[markers] ?? ''))
        markers++;
    const head = lines.slice(0, markers).join('\n');
    let rest = lines.slice(markers).join('\n');
    const start = rest.indexOf(OUTCOME_START);
    const end = rest.indexOf(OUTCOME_END);
    if (start >= 0 && end > start)
        rest = rest.slice(0, start) + rest.slice(end + OUTCOME_END.length);
    return `${head}\n${OUTCOME_START}\n${outcome}\n\n---\n${OUTCOME_END}\n${rest.replace(/^\n+/, '')}`;
}

// EXTERNAL MODULE: external "node:crypto"
var external_node_crypto_ = __webpack_require__(7598);
;// CONCATENATED MODULE: ./src/reviewed-plan.ts


const COMMENT_MARKER = 'leadconduit-account-action:comment';
const RECORD_MARKER = 'leadconduit-account-action:record:v3';
/** The record line of a comment the action has posted but not yet signed (its login is learned from GitHub's answer). */
const PENDING_RECORD = '<!-- leadconduit-account-action:record:pending -->';
/** The record's hidden line: its payload and its signature. */
const RECORD_LINE = new RegExp(`^<!-- ${RECORD_MARKER} ([A-Za-z0-9_-]+) ([A-Za-z0-9_-]+) -->$`, 'm');
/** A value whose JSON is longer than this is recorded by its hash. */
const LONG_VALUE = 64;
/** The hidden first line that finds this file's comment again (a matrix keeps one comment per file). */
function commentMarker(file) {
    return `<!-- ${COMMENT_MARKER} file=${encodeURIComponent(file)} -->`;
}
/**
 * Date-times as instants and long values as hashes, in path order (no two changes of a set share
 * a path): two digests of the same change set are equal strings.
 */
function digest(changes) {
    return changes
        .map((c) => {
        const path = c.path.split('.');
        return { path: c.path, before: normalize(path, c.before), after: normalize(path, c.after) };
    })
        .sort((a, b) => (a.path < b.path ? -1 : 1));
}
/**
 * The key that signs records: derived from the LeadConduit API key (one HMAC step), so that only
 * a run holding the key can sign, and the key itself is never used, stored or shown.
 */
function signingKey(apiKey) {
    return (0,external_node_crypto_.createHmac)('sha256', apiKey).update('leadconduit-account-action plan-record signing key v1').digest();
}
/**
 * What a comment shows below its hidden lines, the apply's outcome included, with line endings
 * and trailing spaces evened out: the text the record's signature covers. Nothing a reader sees
 * is left out of it: text slipped in anywhere, even between the outcome's own markers, is an edit.
 */
function visibleText(body) {
    const lines = body.replace(/\r\n?/g, '\n').split('\n');
    let start = 0;
    while (/^<!-- leadconduit-account-action:(comment|record)/.test(lines[start] ?? ''))
        start++;
    return lines
        .slice(start)
        .join('\n')
        .split('\n')
        .map((line) => line.trimEnd())
        .join('\n')
        .trim();
}
const textDigest = (body) => (0,external_node_crypto_.createHash)('sha256').update(visibleText(body)).digest('base64url');
/**
 * The hidden, signed record of a comment whose visible text is `visible`: the reviewed changes,
 * or null when the last plan run failed and no plan stands. The signature covers the scope, the
 * comment's author, the changes and the visible text's hash, so a copy of the action's comment
 * posted by anyone else, or on another pull request, does not verify, and an edit of what
 * reviewers read is seen.
 */
function recordMarker(changes, visible, scope, author, key) {
    const record = { changes: changes === null ? null : digest(changes), text: textDigest(visible) };
    // base64url keeps any value ("-->" included) from ending the HTML comment.
    const payload = Buffer.from(JSON.stringify(record)).toString('base64url');
    return `<!-- ${RECORD_MARKER} ${payload} ${sign(payload, scope, author, key)} -->`;
}
/**
 * `updated` (the comment `original` with the apply's outcome put on top) with its record signed
 * again over the text it now shows, so the outcome is part of what the signature covers. Only a
 * record that verifies for `original` as it stands is signed again: an edited comment, or one
 * without a valid record, keeps what it had, and reads as it did.
 */
function resigned(original, updated, scope, author, key) {
    const check = readRecord(original, scope, author, key);
    if (check.status !== 'verified' || check.edited)
        return updated;
    return updated.replace(RECORD_LINE, () => recordMarker(check.changes, updated, scope, author, key));
}
/** The record of a comment body, checked against its author and this run's key. */
function readRecord(body, scope, author, key) {
    const match = RECORD_LINE.exec(body);
    if (!match)
        return { status: 'unsigned' };
    const [, payload = '', signature = ''] = match;
    const expected = Buffer.from(sign(payload, scope, author, key), 'base64url');
    const given = Buffer.from(signature, 'base64url');
    if (given.length !== expected.length || !(0,external_node_crypto_.timingSafeEqual)(given, expected))
        return { status: 'bad-signature' };
    const record = parseRecord(payload);
    if (!record)
        return { status: 'unsigned' };
    return { status: 'verified', changes: record.changes, edited: record.text !== textDigest(body) };
}
function sign(payload, scope, author, key) {
    const text = [RECORD_MARKER, scope.repository.toLowerCase(), String(scope.pullRequest), scope.file, author.toLowerCase(), payload].join('\n');
    return (0,external_node_crypto_.createHmac)('sha256', key).update(text).digest('base64url');
}
/** A verified payload's content; undefined when it is not a record this version wrote. */
function parseRecord(payload) {
    let value;
    try {
        value = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8'));
    }
    catch {
        return undefined;
    }
    if (typeof value?.text !== 'string')
        return undefined;
    if (value.changes === null)
        return { changes: null, text: value.text };
    if (!Array.isArray(value.changes))
        return undefined;
    return { changes: value.changes.filter(isReviewedChange), text: value.text };
}
function isReviewedChange(value) {
    return typeof value?.path === 'string';
}
/** Whether the changes planned now are the reviewed ones (compared as digests). */
function sameChanges(reviewed, planned) {
    return JSON.stringify(digest(reviewed)) === JSON.stringify(digest(planned));
}
function normalize(path, value) {
    if ((0,account_schema/* isDateTimePath */.jI)(path) && typeof value === 'string') {
        const time = Date.parse(value);
        if (!Number.isNaN(time))
            return new Date(time).toISOString();
    }
    // A record's entry may lack a value (null stays null below).
    if (value === undefined)
        return null;
    const json = JSON.stringify(value);
    // A hash's own JSON is shorter than LONG_VALUE: digests of digests are the same.
    if (json.length > LONG_VALUE)
        return { sha256: (0,external_node_crypto_.createHash)('sha256').update(json).digest('base64url') };
    return value;
}

;// CONCATENATED MODULE: ./src/plan-comment.ts



/** GitHub refuses a comment body longer than this many characters (422). */
const GITHUB_COMMENT_LIMIT = 65_536;
/**
 * Room kept in a plan comment for the apply's outcome, which goes on top of it after the merge:
 * the plan below is signed as it stands, so only the outcome can be made to fit.
 */
const OUTCOME_ROOM = 6_000;
function query({ scope, key }) {
    return { marker: commentMarker(scope.file), record: (c) => readRecord(c.body, scope, c.author, key).status };
}
const ignored = (comments) => comments.map((c) => ({ author: c.author, url: c.url }));
/**
 * One note per author of ignored comments (a pull request may hold hundreds), `where` e.g.
 * "on pull request #7 ".
 */
function groupIgnored(comments, where = '') {
    const byAuthor = new Map();
    for (const { author } of comments)
        byAuthor.set(author, (byAuthor.get(author) ?? 0) + 1);
    return [...byAuthor].map(([author, count]) => {
        const who = author || 'a deleted user';
        return count === 1
            ? `Ignored a comment ${where}by ${who} that carries this action's marker but not its signature: it was not edited, and it is not read as a plan.`
            : `Ignored ${(0,wording/* plural */.LS)(count, 'comment')} ${where}by ${who} that carry this action's marker but not its signature: they were not edited, and they are not read as a plan.`;
    });
}
/**
 * Writes this file's record on the pull request: the plan's changes (signed, with the comment's
 * visible text), or null when the run failed and no plan stands. `render(limit)`
 * makes the visible text, at most `limit` characters, so that the whole comment, the apply's
 * outcome later included, stays under GitHub's limit.
 */
async function writeRecord(place, changes, render) {
    const { scope, key } = place;
    const marker = commentMarker(scope.file);
    const record = changes === null ? null : digest(changes);
    // The record's length does not depend on its author but for the login itself (at most 39 + "[bot]").
    const markers = `${marker}\n${recordMarker(record, '', scope, 'x'.repeat(50), key)}\n`;
    const visible = render(GITHUB_COMMENT_LIMIT - markers.length - OUTCOME_ROOM);
    const body = (author) => `${marker}\n${author === undefined ? PENDING_RECORD : recordMarker(record, visible, scope, author, key)}\n${visible}`;
    const { comment, created, foreign } = await place.github.upsertComment(scope.pullRequest, query(place), body);
    return { url: comment.url, created, ignored: ignored(foreign) };
}
/** The record of this file on a pull request, checked; GitHub failures are thrown. */
async function readReviewedPlan(place) {
    const { scope, key } = place;
    const marked = await place.github.markedComments(scope.pullRequest, query(place));
    // The oldest of the action's own comments is the record (a later one is a race's leftover); its body is kept.
    const own = marked.find((c) => c.verified && c.author !== '');
    const record = own?.body === undefined ? undefined : readRecord(own.body, scope, own.author, key);
    if (own?.body === undefined || record?.status !== 'verified') {
        const unverified = [...new Set(marked.filter((c) => c.badRecord).map((c) => c.author || 'a deleted user'))];
        return { found: 'none', ignored: ignored(marked), unverified };
    }
    const comment = { id: own.id, url: own.url, author: own.author, body: own.body };
    const others = ignored(marked.filter((c) => c.author !== comment.author));
    if (record.changes === null)
        return { found: 'failed-plan', comment, ignored: others };
    return { found: 'plan', comment, changes: record.changes, edited: record.edited, ignored: others };
}
/** The merged pull request of a pushed commit, if it belongs to one. */
async function mergedPullRequest(github, sha) {
    const pulls = await github.pullRequestsForCommit(sha);
    return (pulls.find((p) => p.mergeCommitSha === sha) ?? pulls.find((p) => p.merged))?.number;
}
/**
 * After the apply: its outcome on top of the record (the plan stays below for the record), or a
 * new record without a plan when the pull request has none. `render(max)` makes the outcome with
 * its texts cut to `max` characters: shorter ones are tried until the comment fits GitHub's limit.
 */
async function writeOutcome(place, record, render) {
    const fitting = (body) => {
        for (const max of [1_500, 300]) {
            const outcome = withOutcome(body, render(max));
            if (outcome.length <= GITHUB_COMMENT_LIMIT)
                return outcome;
        }
        return withOutcome(body, render(40));
    };
    if (record)
        return (await place.github.updateComment(record.id, resigned(record.body, fitting(record.body), place.scope, record.author, place.key))).url;
    return (await writeRecord(place, null, () => fitting('').replace(/^\n/, ''))).url;
}

// EXTERNAL MODULE: ./src/plan.ts
var src_plan = __webpack_require__(2464);
// EXTERNAL MODULE: ./node_modules/jsonc-parser/lib/umd/main.js
var main = __webpack_require__(9547);
;// CONCATENATED MODULE: ./src/state-files.ts


/**
 * The desired-state file with the live values of the drifted settings written in, keeping the
 * file's own key order, indentation and line endings, so the diff of a drift PR shows only values.
 * Characters no reader should get raw are \u escapes (jsonText), the file's own included.
 */
function fileWithLiveValues(text, drift) {
    const formattingOptions = detectFormatting(text);
    let result = text;
    for (const change of drift) {
        // A setting not set live cannot be written as a value; the file keeps it.
        if (change.before === null)
            continue;
        const edits = (0,main.modify)(result, change.path.split('.'), change.before, { formattingOptions });
        result = (0,main.applyEdits)(result, edits);
    }
    return (0,json_text/* escapeJsonText */.j)(result);
}
/** A desired-state file's text for an object, in the house style (2 spaces, final newline; jsonText). */
function formatStateFile(value) {
    return `${(0,json_text/* jsonText */.s)(value, 2)}\n`;
}
function detectFormatting(text) {
    const eol = text.includes('\r\n') ? '\r\n' : '\n';
    const indented = /^([ \t]+)\S/m.exec(text)?.[1];
    if (indented?.startsWith('\t'))
        return { insertSpaces: false, tabSize: 1, eol };
    return { insertSpaces: true, tabSize: indented?.length ?? 2, eol };
}

// EXTERNAL MODULE: ./src/steps.ts + 1 modules
var steps = __webpack_require__(8779);
// EXTERNAL MODULE: ./src/workspace.ts
var workspace = __webpack_require__(3338);
;// CONCATENATED MODULE: ./src/modes/apply-review.ts
/**
 * The apply's reviewed-plan guard: which merged pull request's record the changes must match
 * (looked up before anything else happens), and whether they match it. Where that cannot be
 * shown, nothing is sent unless allow-unreviewed-changes says otherwise.
 */



/**
 * Which pull request's record the changes must match. A push of a merged pull request's commit,
 * or a pull request event of a merge, has one; a manual or scheduled run applies the file as it
 * is on purpose; any other start (an unmerged pull request, another event) cannot be matched with
 * a review, so it is refused unless allow-unreviewed-changes says otherwise.
 */
async function lookUpReview(run) {
    const { context } = run;
    const event = context.eventName;
    if (event === 'workflow_dispatch' || event === 'schedule' || event === '') {
        return { kind: 'no-review', note: `No reviewed plan was looked for (a ${event || 'manual'} run); the changes below were applied as planned now.` };
    }
    const pr = context.pullRequest;
    const fromPullRequestEvent = event === 'pull_request' || event === 'pull_request_target';
    if (fromPullRequestEvent && pr && !pr.merged) {
        return {
            kind: 'unreviewable',
            reason: `pull request #${pr.number} is not merged`,
            what: `This apply runs on a ${event} event of pull request #${pr.number}, which is not merged: applying it would change the account before the change is reviewed and merged.`,
            howTo: ' Nothing was sent. Apply after the merge (on push to the default branch), or set allow-unreviewed-changes: true.',
        };
    }
    if (event !== 'push' && !(fromPullRequestEvent && pr)) {
        return {
            kind: 'unreviewable',
            reason: `a ${event} run cannot be matched with a reviewed plan`,
            what: `This apply runs on a ${event} event, which cannot be matched with a plan reviewed on a pull request.`,
            howTo: ' Nothing was sent. Apply on push to the default branch (after each merge) or with a manual run (workflow_dispatch), or set allow-unreviewed-changes: true.',
        };
    }
    return lookUpPullRequest(run, fromPullRequestEvent ? pr?.number : undefined);
}
/** The merged pull request (the event's, or the pushed commit's) and its record. */
async function lookUpPullRequest(run, fromEvent) {
    const { context, settings, log } = run;
    const github = await run.github();
    if (!github || !context.repository) {
        return {
            kind: 'unreviewable',
            reason: 'no reviewed plan could be looked up',
            what: 'No reviewed plan could be looked up: the github-token input is empty (or the repository is unknown).',
            howTo: ' Nothing was sent. Leave github-token at its default (${{ github.token }}), or set allow-unreviewed-changes: true.',
        };
    }
    let pullRequest = fromEvent;
    if (pullRequest === undefined) {
        try {
            pullRequest = await mergedPullRequest(github, context.sha);
        }
        catch (error) {
            // Not "no reviewed plan": there may be one we cannot see.
            return {
                kind: 'unreviewable',
                reason: 'the reviewed plan could not be looked up',
                what: describeGitHubError('look up the reviewed plan', error, READ_PERMISSIONS),
                howTo: LOOKUP_FAILED,
            };
        }
    }
    if (pullRequest === undefined) {
        return {
            kind: 'no-review',
            note: 'No reviewed plan was found: this commit belongs to no pull request (a direct push). Applied without comparing with a reviewed plan.',
        };
    }
    const place = {
        github,
        scope: { repository: `${context.repository.owner}/${context.repository.repo}`, pullRequest, file: settings.repoPath },
        key: signingKey(settings.apiKey),
    };
    try {
        const reviewed = await readReviewedPlan(place);
        log.info(`Pull request #${pullRequest}: ${reviewed.found === 'plan' ? 'the reviewed plan was found' : 'no reviewed plan stands'}.`);
        return { kind: 'pull-request', pullRequest, place, reviewed };
    }
    catch (error) {
        return { kind: 'pull-request', pullRequest, place, lookupError: error };
    }
}
/**
 * After a merge, the changes about to be sent must be the ones reviewers saw on the pull request,
 * as the action's own signed record says. Where that cannot be shown (no record, a failed last
 * plan, an edited comment, a live edit since the review,
 * GitHub not answering), nothing is sent unless allow-unreviewed-changes says otherwise.
 */
function reviewedPlanGuard(run, review, plan) {
    const { settings, log } = run;
    /** No reviewed plan to show for these changes: refused, or applied with a note when allowed. */
    const unreviewed = (reason, what, howTo = ` Nothing was sent. ${HOW_TO_APPLY}`, allowed = 'Applied without comparing with a reviewed plan because allow-unreviewed-changes is true.') => {
        if (settings.allowUnreviewedChanges) {
            log.warning(what);
            return { notes: [`${what} ${allowed}`] };
        }
        return { notes: [], refusal: { guard: 'reviewed-plan', reason, message: `${what}${howTo}` } };
    };
    if (review.kind === 'no-review')
        return { notes: [review.note] };
    if (review.kind === 'unreviewable')
        return unreviewed(review.reason, review.what, review.howTo);
    const { pullRequest: number, reviewed } = review;
    if (!reviewed) {
        return unreviewed('the reviewed plan could not be looked up', describeGitHubError('look up the reviewed plan', review.lookupError, READ_PERMISSIONS), LOOKUP_FAILED);
    }
    const withIgnored = (check) => ({
        ...check,
        notes: [...groupIgnored(reviewed.ignored, `on pull request #${number} `), ...check.notes],
    });
    const file = settings.file;
    switch (reviewed.found) {
        case 'none':
            return withIgnored(unreviewed(`no reviewed plan on pull request #${number}`, reviewed.unverified.length > 0
                ? `No reviewed plan for ${file} on pull request #${number}: the plan record in the comment by ${reviewed.unverified.join(', ')} does not verify with this API key (it was signed with another key, or forged), so it is not read as a plan.`
                : `No reviewed plan for ${file} on pull request #${number}: the action's plan comment is not there (the plan job could not write it, or it was deleted).`));
        case 'failed-plan':
            return withIgnored(unreviewed(`the last plan on pull request #${number} failed`, `No reviewed plan for ${file} on pull request #${number}: its last plan run failed, so no plan was reviewed for what was merged.`));
        case 'plan':
            break;
    }
    if (reviewed.edited) {
        return withIgnored(unreviewed(`the plan comment on pull request #${number} was edited`, `No reviewed plan for ${file} on pull request #${number}: its plan comment was edited after the action wrote it, so what reviewers read cannot be shown to be the plan.`));
    }
    const planned = log.scrubDeep(plan.changes);
    if (sameChanges(reviewed.changes, planned)) {
        return withIgnored({ notes: [`The changes match the plan reviewed on pull request #${number}.`] });
    }
    const show = (list) => list.length === 0 ? 'no changes' : list.map((c) => `${c.path} ${JSON.stringify(c.before)} -> ${JSON.stringify(c.after)}`).join(', ');
    return withIgnored(unreviewed(`the changes differ from the plan reviewed on pull request #${number}`, `The changes to send differ from the plan reviewed on pull request #${number}: reviewed ${show(reviewed.changes)}; now ${show(planned)}. The live account changed after the review.`, ` Nothing was sent. ${HOW_TO_APPLY}`, 'Applied anyway because allow-unreviewed-changes is true.'));
}
const READ_PERMISSIONS = 'Give the job "contents: read" and "pull-requests: write" permissions (the apply reads the plan comment and writes its outcome there).';
const LOOKUP_FAILED = ' Nothing was sent: the changes could not be compared with the plan reviewed on the pull request. Re-run the job, or set allow-unreviewed-changes: true.';
const HOW_TO_APPLY = 'To apply: re-run the plan job of the pull request and then this job (the plan comment records what reviewers see); or run this workflow by hand (workflow_dispatch), which applies what the file says now and records that no review was compared; or set allow-unreviewed-changes: true.';

// EXTERNAL MODULE: ./src/modes/run.ts
var modes_run = __webpack_require__(4021);
;// CONCATENATED MODULE: ./src/modes/apply.ts










/**
 * Apply (push to main, workflow_dispatch): the one PUT /account, after the account, destructive
 * and reviewed-plan guards, then the read-after-write check. Every apply leaves a rollback file.
 * After a merge, the pull request's record is looked up first, so that every outcome (applied,
 * nothing to apply, refused by any guard, failed at any step) goes on top of its plan comment.
 */
async function applyMode(run) {
    const { log } = run;
    const review = await lookUpReview(run);
    const trigger = triggerOf(run, review.kind === 'pull-request' ? review.pullRequest : undefined);
    // What is known so far, for the summary whatever the outcome.
    const known = { trigger, notes: [] };
    let result;
    try {
        result = await applySteps(run, review, known);
    }
    catch (error) {
        result = (0,modes_run/* failedResult */.Nq)(error, known, log);
    }
    if (review.kind === 'pull-request')
        result = await recordOutcome(run, review, result);
    return result;
}
async function applySteps(run, review, known) {
    const { settings, context, log } = run;
    const desired = await (0,modes_run/* loadDesiredState */.sM)(run);
    const plan = await (0,modes_run/* readLivePlan */.kn)(run, desired);
    Object.assign(known, (0,modes_run/* planFacts */.pE)(plan));
    if (plan.changes.length === 0) {
        log.info('Nothing to apply: the live account matches the file.');
        return { ...known, ...(0,modes_run/* planFacts */.pE)(plan), notes: [], outcome: 'no-changes' };
    }
    const notes = [];
    known.notes = notes;
    const applied = await (0,steps/* applyPlan */.gj)(plan, {
        client: run.leadconduit(),
        allowDestructive: settings.allowDestructive,
        allowDestructiveHint: 'set allow-destructive: true for this run',
        step: (name, work) => log.group(name, work),
        guards: [
            () => {
                const check = reviewedPlanGuard(run, review, plan);
                notes.push(...check.notes);
                return Promise.resolve(check.refusal);
            },
        ],
        beforeSend: () => {
            const before = formatStateFile((0,src_plan/* previousState */.lA)(desired.state, plan.live));
            const path = (0,workspace/* writeRunnerTempFile */.O1)(context.runnerTemp, settings.repoPath, 'previous', log.scrub(before));
            log.info(`Sending PUT /account with ${Object.keys(plan.body).join(', ')}.`);
            Object.assign(known, { previousState: before, bodySent: true, outputs: path ? { previousStateFile: path } : {} });
        },
    });
    const facts = { ...known, ...(0,modes_run/* planFacts */.pE)(plan), notes };
    switch (applied.status) {
        case 'refused': {
            const { reason, detail, message } = applied.refusal;
            return { ...facts, outcome: 'refused', reason, ...(detail === undefined ? {} : { detail }), error: message, failure: message };
        }
        case 'mismatched':
        case 'wrong-account': {
            const { reason, detail, message } = applied;
            return {
                ...facts,
                outcome: 'failed',
                reason,
                detail,
                error: message,
                failure: message,
                ...(applied.status === 'mismatched' ? { mismatches: applied.mismatches } : {}),
            };
        }
        case 'applied':
            log.info(`Applied ${(0,wording/* plural */.LS)(plan.changes.length, 'change')}; the account now matches ${settings.file}.`);
            return { ...facts, outcome: 'applied' };
    }
}
function triggerOf(run, pullRequest) {
    const { context } = run;
    const number = pullRequest ?? context.pullRequest?.number;
    return {
        actor: context.actor,
        event: context.eventName,
        commit: context.sha,
        ...(number === undefined ? {} : { pullRequest: { number, url: pullRequestUrl(run, number) } }),
        ...(context.runUrl ? { runUrl: context.runUrl } : {}),
    };
}
/** The pull request's address, made from the run's own settings, never taken from an answer. */
function pullRequestUrl(run, number) {
    const { serverUrl, repository } = run.context;
    return repository ? `${serverUrl}/${repository.owner}/${repository.repo}/pull/${number}` : '';
}
/** The outcome on top of the merged pull request's comment; a failure to write it is a warning only. */
async function recordOutcome(run, review, result) {
    const { settings, log } = run;
    // Writing it would list the same comments again, past the same cap: the failure already says why.
    if (review.lookupError instanceof TooManyCommentsError)
        return result;
    return log.group('Comment', async () => {
        const report = log.scrubDeep({ ...result, mode: settings.mode, file: settings.file, baseUrl: settings.baseUrl });
        const record = review.reviewed && review.reviewed.found !== 'none' ? review.reviewed.comment : undefined;
        try {
            const url = await writeOutcome(review.place, record, (max) => log.scrub(renderOutcome(report, new Date(), max)));
            log.info(`Wrote the outcome on the pull request: ${url}`);
            return { ...result, outputs: { ...result.outputs, commentUrl: url } };
        }
        catch (error) {
            const reason = describeGitHubError(`write the outcome on pull request #${review.pullRequest}`, error, 'To record the outcome on the pull request, give the apply job "pull-requests: write" permission.');
            log.warning(reason);
            return { ...result, notes: [...result.notes, reason] };
        }
    });
}

;// CONCATENATED MODULE: ./src/modes/check.ts




/**
 * Check (schedule): drift between the live account and the file fails the step and hands over
 * the file updated with the live values, ready for a pull request.
 */
async function checkMode(run) {
    const { settings, context, log } = run;
    const desired = await (0,modes_run/* loadDesiredState */.sM)(run);
    const plan = await (0,modes_run/* readLivePlan */.kn)(run, desired);
    const facts = (0,modes_run/* planFacts */.pE)(plan);
    if (plan.changes.length === 0)
        return { ...facts, outcome: 'no-changes', notes: [] };
    const updated = fileWithLiveValues(desired.text, plan.changes);
    const path = (0,workspace/* writeRunnerTempFile */.O1)(context.runnerTemp, settings.repoPath, 'drift', log.scrub(updated));
    const list = plan.changes.map((c) => `${c.path} (live ${JSON.stringify(c.before)}, file ${JSON.stringify(c.after)})`).join('; ');
    return {
        ...facts,
        outcome: 'drift',
        notes: [],
        driftFile: updated,
        outputs: path ? { driftFile: path } : {},
        failure: `Drift: ${(0,wording/* plural */.LS)(plan.changes.length, 'setting')} in the live account ${plan.changes.length === 1 ? 'differs' : 'differ'} from ${settings.file}: ${list}. Apply the file to put them back, or update the file with the live values${path ? ` (written to ${path})` : ''}.`,
    };
}

// EXTERNAL MODULE: ./src/desired-state.ts + 4 modules
var desired_state = __webpack_require__(7285);
;// CONCATENATED MODULE: ./src/modes/plan.ts








/**
 * Plan (pull requests): what merging would change, in the summary, as annotations on the file and
 * in the pull request's one comment, the action's signed record of what reviewers saw. Every run
 * rewrites that comment, a failed one included (then no plan stands), so the comment never shows a
 * plan that no longer holds. Sends nothing to LeadConduit. A run without the API key never comes
 * here (offline.ts): it could sign nothing, so it leaves the comment as it is.
 */
async function planMode(run) {
    const { settings, context, log } = run;
    let result;
    try {
        const desired = await (0,modes_run/* loadDesiredState */.sM)(run);
        result = await planSteps(run, desired);
    }
    catch (error) {
        result = (0,modes_run/* failedResult */.Nq)(error, {}, log);
    }
    const pr = context.pullRequest;
    if (!pr)
        return result;
    if (!settings.comment) {
        // Turning the comment off is a choice, so the run stays green; but its merge has no record to
        // compare with, and the apply will refuse it: say so before the merge, not after.
        const note = 'The plan comment is turned off (comment: false): the plan is in this job summary only, and the apply after the merge refuses it for want of a reviewed plan on record, unless that workflow sets allow-unreviewed-changes: true or the change is applied with a manual (workflow_dispatch) run.';
        log.warning(note);
        return { ...result, notes: [...result.notes, note] };
    }
    return log.group('Comment', () => comment(run, pr, result));
}
async function planSteps(run, desired) {
    const { context, log } = run;
    const plan = await (0,modes_run/* readLivePlan */.kn)(run, desired);
    const result = { ...(0,modes_run/* planFacts */.pE)(plan), outcome: plan.changes.length > 0 ? 'planned' : 'no-changes', notes: accountNotes(plan) };
    for (const note of result.notes)
        log.warning(note);
    const pr = context.pullRequest;
    if (!pr)
        return result;
    const github = await run.github();
    if (github) {
        const split = await log.group('Plan', () => splitThreeWay(run, github, pr.baseSha, plan.changes));
        Object.assign(result, split, { notes: [...result.notes, ...split.notes] });
    }
    annotateChanges(run, desired, result.changes);
    return result;
}
/** Said at plan time what the apply would refuse, so reviewers learn it before the merge. */
function accountNotes(plan) {
    if (plan.via !== 'GET /user' || (plan.userAccounts ?? 1) <= 1)
        return [];
    return [
        `The apply will refuse this plan: LeadConduit does not serve GET /account here and the API key's user has ${plan.userAccounts} accounts, so the account PUT /account would change cannot be confirmed to be ${plan.live.id}. Use the account's own API key, or a key whose user has only this account.`,
    ];
}
/**
 * The comment step: the signed plan, or the failure with no plan. A same-repository pull request
 * whose comment cannot be written fails (its merge would be refused for want of a record); a fork's
 * read-only token only warns, since its merge is applied by a maintainer's manual run.
 */
async function comment(run, pr, result) {
    const { settings, context, log } = run;
    const github = await run.github();
    if (!github || !context.repository) {
        const reason = 'Could not comment on the pull request: the github-token input is empty (or the repository is unknown).';
        return notOnRecord(run, pr, result, reason, ' Leave github-token at its default (${{ github.token }}).');
    }
    const stands = result.outcome === 'planned' || result.outcome === 'no-changes';
    const footer = `${stands ? 'Plan' : 'Run'} for commit ${(pr.headSha ?? context.sha).slice(0, 12)} · updated ${(0,wording/* formatTime */.fU)(new Date())}${context.runUrl ? ` · [run](${context.runUrl})` : ''}`;
    const report = log.scrubDeep({ ...result, mode: settings.mode, file: settings.file, baseUrl: settings.baseUrl });
    const place = {
        github,
        scope: { repository: `${context.repository.owner}/${context.repository.repo}`, pullRequest: pr.number, file: settings.repoPath },
        key: signingKey(settings.apiKey),
    };
    try {
        // The record holds the changes as the comment shows them: scrubbed, so that no secret a value might hold is kept in it.
        const written = await writeRecord(place, stands ? report.changes : null, (limit) => log.scrub(renderComment(report, footer, limit)));
        log.info(`${written.created ? 'Created' : 'Updated'} the ${stands ? 'plan' : 'failure'} comment: ${written.url}`);
        return { ...result, notes: [...result.notes, ...groupIgnored(written.ignored)], outputs: { commentUrl: written.url } };
    }
    catch (error) {
        const reason = describeGitHubError('comment on the pull request', error, 'The token may not write comments.');
        const fix = isPermissionDenied(error)
            ? ' Give the job permission to write it: add "permissions:" with "contents: read" and "pull-requests: write" to the workflow or the job.'
            : '';
        return notOnRecord(run, pr, result, reason, fix);
    }
}
/**
 * The comment could not be written. A fork's read-only token only warns, since its merge is
 * applied by a maintainer's manual run; on a pull request of this repository the step fails, as
 * its merge would be refused for want of a record.
 */
function notOnRecord(run, pr, result, reason, fix) {
    const { log } = run;
    if (pr.fromFork) {
        const warning = `${reason} This pull request comes from a fork, whose token GitHub makes read-only: the plan is in this job summary only. Its merge has no reviewed plan on record, so a maintainer applies it with a manual (workflow_dispatch) run.`;
        log.warning(warning);
        return { ...result, notes: [...result.notes, warning] };
    }
    const message = `${reason} The plan is not on record on the pull request: its merge is refused, unless an earlier plan recorded there has the same changes.${fix}`;
    if (result.failure !== undefined) {
        log.warning(message);
        return { ...result, notes: [...result.notes, message] };
    }
    return { ...result, outcome: 'failed', reason: 'the plan comment could not be written', error: message, failure: message };
}
/** Changes the pull request makes versus live edits it would revert, from the file on the base commit. */
async function splitThreeWay(run, github, baseSha, changes) {
    const { settings, log } = run;
    if (!baseSha) {
        return { changes, notes: ['The base commit of the pull request is unknown, so changes are not split into pull-request changes and live edits.'] };
    }
    let baseText;
    try {
        baseText = await github.readFile(settings.repoPath, baseSha);
    }
    catch (error) {
        const reason = describeGitHubError(`read ${settings.repoPath} on the base commit`, error, 'Give the job "contents: read" permission.');
        log.warning(reason);
        return { changes, notes: [`${reason} Changes are shown without telling pull-request changes from live edits.`] };
    }
    if (baseText === undefined)
        return { changes: (0,src_plan/* classifyChanges */.Wu)(changes, undefined), threeWay: true, notes: [] };
    const base = (0,desired_state/* parseDesiredState */.BH)(Buffer.from(baseText), settings.repoPath);
    if (!base.ok) {
        return {
            changes,
            notes: [`${settings.repoPath} on the base branch is not a valid desired-state file, so changes are not split into pull-request changes and live edits.`],
        };
    }
    const classified = (0,src_plan/* classifyChanges */.Wu)(changes, base.desired.state);
    const drift = classified.filter((c) => c.source === 'drift');
    if (drift.length > 0) {
        log.warning(`${(0,wording/* plural */.LS)(drift.length, 'setting was', 'settings were')} changed in LeadConduit outside the file; merging reverts them: ${drift.map((c) => c.path).join(', ')}.`);
    }
    return { changes: classified, threeWay: true, notes: [] };
}
/** Each change on its line in "Files changed": a notice, or a warning when destructive. */
function annotateChanges(run, desired, changes) {
    for (const change of changes) {
        const { line, column } = desired.source.locate(change.path.split('.'));
        const title = `will change: ${JSON.stringify(change.before)} -> ${JSON.stringify(change.after)}`;
        const props = { file: run.settings.repoPath, startLine: line, startColumn: column, title };
        if (change.destructive)
            run.log.warning(`${change.path}: destructive: ${change.warning ?? ''}`, props);
        else
            run.log.notice(`${change.path} ${title}`, props);
    }
}

;// CONCATENATED MODULE: ./src/modes/online.ts







const MODES = { plan: planMode, check: checkMode, apply: applyMode };
/**
 * The modes that read the live account (plan, check, apply, with the API key), and the clients
 * they use. main.ts imports this module only for such a run, so a validation loads none of it.
 */
async function onlineMode(mode, offline) {
    const { settings, context } = offline;
    const deadline = new src_deadline/* Deadline */.B2(settings.tuning.deadlineMs);
    // LeadConduit's calls end before the run's deadline: however long it hangs, the run keeps time
    // to write its outcome on the pull request, so the comment never shows a plan that no longer stands.
    const reserveMs = Math.min(GITHUB_RESERVE_MS, Math.floor(settings.tuning.deadlineMs / 5));
    const leadconduitDeadline = deadline.before(reserveMs, (ms) => `the run's deadline for LeadConduit of ${(0,duration/* formatDuration */.a)(ms)} passed (the run's last ${(0,duration/* formatDuration */.a)(reserveMs)} are kept to report on GitHub)`);
    try {
        const run = withClients(offline, { leadconduit: leadconduitDeadline, github: deadline });
        // A run that will talk to GitHub makes its client (loading @actions/github and its undici) before
        // ky's first request, and LeadConduit's calls use that undici too: Node's own copy of undici is
        // then never loaded (octokit.ts). Without a token or a repository there is no client to make.
        const callsGitHub = mode === 'plan' || mode === 'apply' ? context.pullRequest !== undefined || (mode === 'apply' && context.eventName === 'push') : false;
        if (callsGitHub && (await run.github()))
            (await Promise.all(/* import() */[__webpack_require__.e(413), __webpack_require__.e(590)]).then(__webpack_require__.bind(__webpack_require__, 6590))).shareFetchWithKy();
        return await MODES[mode](run);
    }
    finally {
        leadconduitDeadline.dispose();
        deadline.dispose();
    }
}
/** Time kept at the end of a run for GitHub: the comment's update, or the apply's outcome. */
const GITHUB_RESERVE_MS = 60_000;
/** The run's clients, each made once, on first use. */
function withClients(run, deadlines) {
    const { settings, context, log, redactor } = run;
    let leadconduit;
    let github;
    const debug = (message) => log.debug(message);
    const { requestTimeoutMs, retry } = settings.tuning;
    return {
        ...run,
        leadconduit: () => (leadconduit ??= createLeadConduitClient({
            baseUrl: settings.baseUrl,
            apiKey: settings.apiKey,
            requestTimeoutMs,
            retry,
            deadline: deadlines.leadconduit,
            redactor,
            debug,
        })),
        github: async () => {
            if (!settings.githubToken || !context.repository)
                return undefined;
            const { owner, repo } = context.repository;
            return (github ??= createGitHubApi({
                token: settings.githubToken,
                apiUrl: context.apiUrl,
                owner,
                repo,
                retry,
                deadline: deadlines.github,
                requestTimeoutMs,
                debug,
                scrub: (text) => redactor.scrub(text),
            }));
        },
    };
}


/***/ })

};
