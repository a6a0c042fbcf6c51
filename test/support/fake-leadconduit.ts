/**
 * A fake LeadConduit API (GET /account, GET /user, PUT /account) on 127.0.0.1.
 *
 * Like the real server, it keeps a subscription's timestamps itself: `updated_at` on every change
 * of the subscription, `active_at`/`inactive_at` when its state changes, `created_at` when it is
 * created, whatever the request says for them. A client that depends on writing them fails here.
 */
import type { IncomingMessage } from 'node:http';
import { HttpFake, parseBasicAuth } from './http-fake.js';
import type { FakeRequest, RouteMatch } from './http-fake.js';
import { sampleAccount, TEST_API_KEY } from './sample-account.js';
import type { Account } from './sample-account.js';

export type { Fault, RecordedRequest } from './http-fake.js';

export type LeadConduitRoute = 'GET /account' | 'GET /user' | 'PUT /account';

export interface FakeLeadConduitOptions {
  /** The password of HTTP Basic auth (username "API"). Default TEST_API_KEY. */
  apiKey?: string;
  /** The starting account. Default sampleAccount(). */
  account?: Account;
  /**
   * How PUT applies `features` and `subscriptions`: 'merge' shallow-merges each nested object
   * into the old one; 'replace' replaces `features` and `subscriptions` wholesale (a subscription
   * left out is gone; one sent keeps only what the server owns: its read-only id and
   * product_offering_id and its timestamps). Default 'merge'.
   */
  nested?: 'merge' | 'replace';
  /** When false, GET /account answers 404 and clients must use GET /user. Default true. */
  accountEndpoint?: boolean;
  /** The `accounts` of GET /user. Default [the current account]. Entries with the current account's id show the current account. */
  userAccounts?: Account[];
  /** Dotted paths (e.g. "features.firehose") that PUT silently leaves unchanged. */
  ignorePaths?: string[];
  /** A misbehaving server: PUT answers with this account (say, another one) instead of the updated one. */
  putAnswersAccount?: Account;
  /** The clock that stamps subscriptions' timestamps. Default: the real time. */
  now?: () => Date;
}

export const FAKE_USER_ID = '5fd4371e940df5a34a3888c0';
export const FAKE_USER_EMAIL = 'ops@example.com';

const WRITABLE = new Set(['data_retention_in_days', 'data_truncated_at', 'features', 'subscriptions']);
const SUBSCRIPTION_READ_ONLY = ['id', 'product_offering_id'] as const;
/** Kept by the server: a request's values for them are dropped. */
const SUBSCRIPTION_STAMPS = ['created_at', 'updated_at', 'active_at', 'inactive_at'] as const;

type Json = Record<string, unknown>;

function isObject(value: unknown): value is Json {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function getPath(target: Json, path: readonly string[]): { found: boolean; value: unknown } {
  let current: unknown = target;
  for (const key of path) {
    if (!isObject(current) || !Object.hasOwn(current, key)) return { found: false, value: undefined };
    current = current[key];
  }
  return { found: true, value: current };
}

function setPath(target: Json, path: readonly string[], found: boolean, value: unknown): void {
  let current: Json = target;
  for (const key of path.slice(0, -1)) {
    const next = current[key];
    // The parent itself was dropped or replaced by a non-object: that change is not this path's.
    if (!isObject(next)) return;
    current = next;
  }
  const last = path.at(-1);
  if (last === undefined) return;
  if (found) current[last] = structuredClone(value);
  else delete current[last];
}

export class FakeLeadConduit extends HttpFake<LeadConduitRoute> {
  readonly apiKey: string;
  readonly nested: 'merge' | 'replace';
  readonly accountEndpoint: boolean;
  readonly ignorePaths: readonly string[];
  readonly putAnswersAccount: Account | undefined;
  readonly now: () => Date;
  #account: Account;
  #userAccounts: Account[] | undefined;

  constructor(options: FakeLeadConduitOptions = {}) {
    super();
    this.apiKey = options.apiKey ?? TEST_API_KEY;
    this.nested = options.nested ?? 'merge';
    this.accountEndpoint = options.accountEndpoint ?? true;
    this.ignorePaths = [...(options.ignorePaths ?? [])];
    this.putAnswersAccount = options.putAnswersAccount ? structuredClone(options.putAnswersAccount) : undefined;
    this.now = options.now ?? (() => new Date());
    this.#account = structuredClone(options.account ?? sampleAccount());
    this.#userAccounts = options.userAccounts ? structuredClone(options.userAccounts) : undefined;
  }

  /** A copy of the current account. */
  get account(): Account {
    return structuredClone(this.#account);
  }

  /** Replace the current account (copied). */
  set account(account: Account) {
    this.#account = structuredClone(account);
  }

  /** What GET /user answers in `accounts`. */
  userAccounts(): Account[] {
    const current = this.#account;
    if (this.#userAccounts === undefined) return [structuredClone(current)];
    return this.#userAccounts.map((a) => structuredClone(a.id === current.id ? current : a));
  }

  protected match(method: string, path: string): RouteMatch<LeadConduitRoute> | undefined {
    const route = `${method} ${path.replace(/\/+$/, '') || '/'}`;
    if (route === 'GET /account' || route === 'GET /user' || route === 'PUT /account') {
      return { route, params: {} };
    }
    return undefined;
  }

  protected authorize(req: IncomingMessage): boolean {
    const credentials = parseBasicAuth(req.headers.authorization);
    return credentials?.username === 'API' && credentials.password === this.apiKey;
  }

  protected unauthorized({ res }: FakeRequest): void {
    this.sendJson(res, 401, { message: 'Unauthorized' }, { 'www-authenticate': 'Basic realm="LeadConduit"' });
  }

  protected notFound({ res }: FakeRequest): void {
    this.sendJson(res, 404, { message: 'Not Found' });
  }

  protected fullBody(route: LeadConduitRoute): string {
    return JSON.stringify(route === 'GET /user' ? this.#userBody() : this.#account);
  }

  protected handle({ route }: RouteMatch<LeadConduitRoute>, request: FakeRequest): void | Promise<void> {
    const { res } = request;
    switch (route) {
      case 'GET /account':
        if (!this.accountEndpoint) this.sendJson(res, 404, { message: 'Not Found' });
        else this.sendJson(res, 200, this.#account);
        return;
      case 'GET /user':
        this.sendJson(res, 200, this.#userBody());
        return;
      case 'PUT /account':
        this.#put(request);
        return;
    }
  }

  #userBody(): Json {
    return { id: FAKE_USER_ID, email: FAKE_USER_EMAIL, accounts: this.userAccounts() };
  }

  /** The server's timestamps: a new subscription is created now; a changed one updated now; a state change activates or deactivates it now. */
  #stamp(old: Json, next: Json): void {
    if (!isObject(next.subscriptions)) return;
    const oldSubs = isObject(old.subscriptions) ? old.subscriptions : {};
    const now = this.now().toISOString();
    for (const [name, entry] of Object.entries(next.subscriptions)) {
      if (!isObject(entry)) continue;
      const before = oldSubs[name];
      if (!isObject(before)) {
        Object.assign(entry, { created_at: now, updated_at: now, active_at: null, inactive_at: null });
      } else if (!settingsDiffer(before, entry)) {
        continue;
      }
      entry.updated_at = now;
      if (!isObject(before) || (before.state ?? null) !== (entry.state ?? null)) {
        if (entry.state === 'active') entry.active_at = now;
        else if (entry.state !== undefined && entry.state !== null) entry.inactive_at = now;
      }
    }
  }

  #put({ res, hasJson, json }: FakeRequest): void {
    const fail = (status: number, message: string) => this.sendJson(res, status, { message });
    if (!hasJson || !isObject(json)) return fail(400, 'Request body must be a JSON object');

    for (const key of Object.keys(json)) {
      if (!WRITABLE.has(key)) return fail(422, `Unknown field: ${key}`);
    }
    if ('data_retention_in_days' in json && !Number.isInteger(json.data_retention_in_days)) {
      return fail(422, 'data_retention_in_days must be an integer');
    }
    if ('data_truncated_at' in json && json.data_truncated_at !== null && typeof json.data_truncated_at !== 'string') {
      return fail(422, 'data_truncated_at must be a string');
    }
    if ('features' in json && !isObject(json.features)) return fail(422, 'features must be an object');
    if ('subscriptions' in json) {
      if (!isObject(json.subscriptions)) return fail(422, 'subscriptions must be an object');
      for (const [name, value] of Object.entries(json.subscriptions)) {
        if (!isObject(value)) return fail(422, `subscriptions.${name} must be an object`);
      }
    }

    const old = this.#account as Json;
    const next = structuredClone(old);
    for (const [key, value] of Object.entries(json)) {
      if (key === 'features') {
        const sent = value as Json;
        next.features = this.nested === 'merge' ? { ...(isObject(old.features) ? old.features : {}), ...sent } : { ...sent };
      } else if (key === 'subscriptions') {
        const sent = value as Record<string, Json>;
        const oldSubs = isObject(old.subscriptions) ? (old.subscriptions as Record<string, unknown>) : {};
        const subs: Json = this.nested === 'merge' ? structuredClone(oldSubs) : {};
        for (const [name, entry] of Object.entries(sent)) {
          const oldEntry = isObject(oldSubs[name]) ? structuredClone(oldSubs[name]) : {};
          const written = withoutStamps(entry);
          if (this.nested === 'merge') {
            subs[name] = { ...oldEntry, ...written };
          } else {
            // Replaced, except what the server owns: the read-only ids and the timestamps.
            const kept: Json = {};
            for (const field of [...SUBSCRIPTION_READ_ONLY, ...SUBSCRIPTION_STAMPS]) if (field in oldEntry) kept[field] = oldEntry[field];
            subs[name] = { ...written, ...kept };
          }
        }
        next.subscriptions = subs;
      } else {
        next[key] = value;
      }
    }

    for (const dotted of this.ignorePaths) {
      const path = dotted.split('.');
      const { found, value } = getPath(old, path);
      setPath(next, path, found, value);
    }
    this.#stamp(old, next);

    this.#account = structuredClone(next) as Account;
    this.sendJson(res, 200, this.putAnswersAccount ?? this.#account);
  }
}

function withoutStamps(entry: Json): Json {
  const copy = { ...entry };
  for (const field of SUBSCRIPTION_STAMPS) delete copy[field];
  return copy;
}

/** Whether a subscription's own settings (not the server's ids or stamps) differ; null and absent are both "not set". */
function settingsDiffer(before: Json, after: Json): boolean {
  const owned = new Set<string>([...SUBSCRIPTION_READ_ONLY, ...SUBSCRIPTION_STAMPS]);
  const keys = new Set([...Object.keys(before), ...Object.keys(after)].filter((key) => !owned.has(key)));
  return [...keys].some((key) => JSON.stringify(before[key] ?? null) !== JSON.stringify(after[key] ?? null));
}

/** Start a fake LeadConduit API on 127.0.0.1 (random port). */
export async function startFakeLeadConduit(options: FakeLeadConduitOptions = {}): Promise<FakeLeadConduit> {
  return new FakeLeadConduit(options).listen();
}
