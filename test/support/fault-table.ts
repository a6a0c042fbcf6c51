/**
 * The fault-injection table shared by the files in test/faults: every way a network call goes
 * wrong, each injected once (the retry recovers) and, when retryable, persistently (the run
 * fails with the right one-line message), with the helpers that check the invariants every case
 * must keep whatever happens:
 *   - the account is never half-changed: no PUT after a failed GET, at most one distinct PUT
 *     body (a retry resends the same body), the final account unchanged or fully matching the file;
 *   - no secret (API key, its Basic header, the account's own keys, the GitHub token) in stdout,
 *     the job summary or the outputs;
 *   - a GitHub failure is a warning: the plan still succeeds and the summary is still written.
 */
import { expect } from 'vitest';
import type { Tuning } from '../../src/inputs.js';
import { FAST_TUNING, type ActionRun } from './action-env.js';
import { DEFAULT_GITHUB_TOKEN } from './fake-github.js';
import type { FakeLeadConduit, LeadConduitRoute } from './fake-leadconduit.js';
import type { FaultyGitHub, FaultyLeadConduit } from './faulty-fakes.js';
import type { Fault } from './http-fake.js';
import { SAMPLE_ACCOUNT_ID, SECRET_VALUES, TEST_API_KEY, sampleAccount } from './sample-account.js';

export const FILE_NAME = 'leadconduit-account.json';
export const DESIRED = { id: SAMPLE_ACCOUNT_ID, data_retention_in_days: 400, features: { firehose: true } };
export const ORIGINAL = sampleAccount();
/**
 * The request timeout of the 28 cases that hang or stall on purpose, each waiting it out once or
 * four times: short, to keep the suite fast, yet far above a loopback answer. Every other case
 * keeps FAST_TUNING's, so a slow moment of a busy machine cannot time out a normal answer there.
 */
const HANG_TIMEOUT_MS = 250;
export const TIMEOUT = `${HANG_TIMEOUT_MS} ms`;
export const MAX_WAIT_S = Math.round((FAST_TUNING.retry?.maxRetryAfterMs ?? 0) / 1000);

/** The tuning a case runs with. */
export function tuningFor(c: Case): Partial<Tuning> {
  return c.fault.hangs === true ? { ...FAST_TUNING, requestTimeoutMs: HANG_TIMEOUT_MS } : FAST_TUNING;
}

export type LcCall = 'GET /account' | 'GET /user' | 'PUT /account';
export type GhCall = 'read base file' | 'list comments' | 'create comment' | 'update comment';
export type Call = LcCall | GhCall;

/** The messages each fault's body carries, as LeadConduit or GitHub would word them. */
export const SAID = {
  500: 'Internal error: please try again',
  502: 'Bad gateway: upstream connect error',
  503: 'Service is down for maintenance',
  504: 'Upstream request timeout',
  429: 'Rate limit exceeded: 120 requests per minute',
  401: `API key ${TEST_API_KEY} is not valid`,
  403: 'This API key may not manage the account',
  404: 'No such route',
  422: 'Unsupported query parameter: fields',
  /** After the GET the account's own secrets are known, and masked wherever an answer quotes them. */
  '422 put': `Account ${SECRET_VALUES[0]}: data_retention_in_days must be at most 365`,
  secondary: 'You have exceeded a secondary rate limit. Please wait a few minutes before you try again.',
} as const;

export type Custom = 'refused' | 'stall' | 'created-then-502' | 'applied-then-reset' | 'applied-then-502';
export type FaultName =
  | 'connection refused'
  | 'connection reset'
  | 'reset mid-body'
  | 'hang past the timeout'
  | 'stall mid-body'
  | '500'
  | '502'
  | '503'
  | '504'
  | '429'
  | '429 + Retry-After (s)'
  | '429 + Retry-After (date)'
  | 'Retry-After > max'
  | '401'
  | '403'
  | '403 secondary limit'
  | '403 + Retry-After'
  | '404'
  | '422 with message'
  | 'malformed JSON'
  | 'HTML error page'
  | 'not-an-account JSON'
  | '301 redirect'
  | 'created, then 502'
  | 'applied, then reset'
  | 'applied, then 502';

export interface FaultDef {
  name: FaultName;
  /** Retried by the policy: also injected persistently (times 10). */
  retryable: boolean;
  /** Which side it applies to. */
  on: 'both' | 'leadconduit' | 'github';
  make: (ctx: { redirectTo: string; persistent: boolean; put: boolean }) => Fault | Custom;
  /** Leaves the request unanswered until its timeout. */
  hangs?: true;
}

/** A Retry-After in seconds: ten times FAST_TUNING's longest backoff, so honouring it shows. */
export const RETRY_AFTER_S = '0.2';
/** The least time between the refused attempt and its retry when the Retry-After was honoured (the clock has 1 ms steps). */
export const RETRY_AFTER_MIN_MS = 190;
/** The Retry-After of a persistent fault: three waits per case. */
const RETRY_AFTER_PERSISTENT_S = '0.05';
export const ERROR_BODY = (status: keyof typeof SAID, github: boolean) =>
  github ? { message: SAID[status], documentation_url: 'https://docs.github.com/rest' } : { message: SAID[status] };

export const FAULTS: FaultDef[] = [
  { name: 'connection refused', retryable: true, on: 'both', make: () => 'refused' },
  { name: 'connection reset', retryable: true, on: 'both', make: () => ({ kind: 'reset' }) },
  { name: 'reset mid-body', retryable: true, on: 'both', make: () => ({ kind: 'reset-mid-body' }) },
  { name: 'hang past the timeout', retryable: true, on: 'both', make: () => ({ kind: 'hang' }), hangs: true },
  { name: 'stall mid-body', retryable: true, on: 'both', make: () => 'stall', hangs: true },
  ...([500, 502, 503, 504] as const).map((status): FaultDef => ({
    name: String(status) as FaultName,
    retryable: true,
    on: 'both',
    make: () => ({ kind: 'status', status, body: { message: SAID[status] } }),
  })),
  { name: '429', retryable: true, on: 'both', make: () => ({ kind: 'status', status: 429, body: { message: SAID[429] } }) },
  // Fractions of a second (parseRetryAfter reads them) keep the suite fast; retry.test.ts has whole seconds.
  {
    name: '429 + Retry-After (s)',
    retryable: true,
    on: 'both',
    make: ({ persistent }) => ({
      kind: 'status',
      status: 429,
      body: { message: SAID[429] },
      headers: { 'retry-after': persistent ? RETRY_AFTER_PERSISTENT_S : RETRY_AFTER_S },
    }),
  },
  // Once: a date a second or two ahead (whole seconds); persistently: a date already past (no wait).
  {
    name: '429 + Retry-After (date)',
    retryable: true,
    on: 'both',
    make: ({ persistent }) => ({
      kind: 'status',
      status: 429,
      body: { message: SAID[429] },
      headers: { 'retry-after': new Date(Date.now() + (persistent ? -60_000 : 1_000)).toUTCString() },
    }),
  },
  {
    name: 'Retry-After > max',
    retryable: false,
    on: 'both',
    make: () => ({ kind: 'status', status: 429, body: { message: SAID[429] }, headers: { 'retry-after': '120' } }),
  },
  { name: '401', retryable: false, on: 'both', make: () => ({ kind: 'status', status: 401, body: { message: SAID[401] } }) },
  { name: '403', retryable: false, on: 'both', make: () => ({ kind: 'status', status: 403, body: { message: SAID[403] } }) },
  { name: '403 secondary limit', retryable: false, on: 'github', make: () => ({ kind: 'status', status: 403, body: ERROR_BODY('secondary', true) }) },
  {
    name: '403 + Retry-After',
    retryable: true,
    on: 'github',
    make: ({ persistent }) => ({
      kind: 'status',
      status: 403,
      body: ERROR_BODY('secondary', true),
      headers: { 'retry-after': persistent ? RETRY_AFTER_PERSISTENT_S : RETRY_AFTER_S },
    }),
  },
  { name: '404', retryable: false, on: 'both', make: () => ({ kind: 'status', status: 404, body: { message: SAID[404] } }) },
  {
    name: '422 with message',
    retryable: false,
    on: 'leadconduit',
    make: ({ put }) => ({ kind: 'status', status: 422, body: { message: SAID[put ? '422 put' : 422] } }),
  },
  { name: '422 with message', retryable: false, on: 'github', make: () => ({ kind: 'status', status: 422, body: { message: SAID['422 put'] } }) },
  // A 2xx with a broken body: LeadConduit fails clearly at once; for GitHub (octokit hides the
  // failed read as an empty or raw body) it is retried like the cut connection it usually is.
  { name: 'malformed JSON', retryable: false, on: 'leadconduit', make: () => ({ kind: 'malformed-json' }) },
  { name: 'malformed JSON', retryable: true, on: 'github', make: () => ({ kind: 'malformed-json' }) },
  { name: 'HTML error page', retryable: true, on: 'both', make: () => ({ kind: 'html' }) },
  { name: 'not-an-account JSON', retryable: false, on: 'leadconduit', make: () => ({ kind: 'not-an-account' }) },
  { name: 'not-an-account JSON', retryable: true, on: 'github', make: () => ({ kind: 'not-an-account' }) },
  {
    name: '301 redirect',
    retryable: false,
    on: 'leadconduit',
    make: ({ redirectTo }) => ({ kind: 'redirect', status: 301, location: `${redirectTo}/account` }),
  },
];

export interface Case {
  call: Call;
  fault: FaultDef;
  /** 1: transient; 10: persistent. */
  times: number;
}

export function casesFor(calls: readonly Call[], side: 'leadconduit' | 'github'): Case[] {
  const cases: Case[] = [];
  for (const call of calls) {
    for (const fault of FAULTS) {
      if (fault.on !== 'both' && fault.on !== side) continue;
      // Refused is persistent by nature: the port stays closed.
      if (fault.name !== 'connection refused') cases.push({ call, fault, times: 1 });
      if (fault.retryable) cases.push({ call, fault, times: 10 });
    }
  }
  return cases;
}

export interface Expected {
  outcome: 'recovered' | 'failed';
  /** The exact failure line (LeadConduit: the ::error::; GitHub: the ::warning::), or a pattern. */
  message?: string | RegExp;
  /** Requests the faulted route got. */
  requests?: number;
  /** The retry of the faulted call came at least this long after the first attempt (a Retry-After honoured). */
  minGapMs?: number;
}

export function escape(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/** A message as it must appear: every secret masked. */
export function redacted(text: string): string {
  let out = text;
  for (const secret of [TEST_API_KEY, ...SECRET_VALUES]) out = out.split(secret).join('***');
  return out;
}

function unescapeCommand(text: string): string {
  return text.replace(/%0D/g, '\r').replace(/%0A/g, '\n').replace(/%25/g, '%');
}

/** The message of every `::name::` line without properties. */
export function commandLines(stdout: string, name: 'error' | 'warning'): string[] {
  return stdout
    .split('\n')
    .filter((line) => line.startsWith(`::${name}::`))
    .map((line) => line.slice(`::${name}::`.length).replace(/\r$/, ''));
}

const BASIC = Buffer.from(`API:${TEST_API_KEY}`).toString('base64');

export function assertNoSecrets(run: ActionRun): void {
  for (const secret of [TEST_API_KEY, BASIC, ...SECRET_VALUES, DEFAULT_GITHUB_TOKEN]) {
    expect(run.everything, `secret ${secret.slice(0, 6)}… leaked`).not.toContain(secret);
  }
}

export function assertMessage(actual: string | undefined, expected: string | RegExp): void {
  expect(actual).toBeDefined();
  // One line: the runner shows the first line of a failure.
  expect(actual).not.toMatch(/%0A|\n/);
  const text = unescapeCommand(actual ?? '');
  if (typeof expected === 'string') expect(text).toBe(expected);
  else expect(text).toMatch(expected);
}

export function inject(fake: FaultyLeadConduit | FaultyGitHub, route: string, fault: Fault | Custom, times: number): void {
  if (fault === 'refused') return; // set up by the caller
  if (fault === 'stall') {
    (fake.stall as Map<string, number>).set(route, times);
  } else if (fault === 'created-then-502') {
    (fake as FaultyGitHub).createdThenFail = times;
  } else if (fault === 'applied-then-reset' || fault === 'applied-then-502') {
    for (let i = 0; i < times; i++) (fake as FaultyLeadConduit).lostAfterApply.push(fault === 'applied-then-reset' ? 'reset' : 502);
  } else {
    (fake as FakeLeadConduit).inject(route as LeadConduitRoute, fault, times);
  }
}

export function served(fake: FaultyLeadConduit | FaultyGitHub): number {
  return fake.requests.filter((r) => r.fault !== undefined).length + fake.customServed;
}

export function caseName(c: Case): string {
  return `${c.call} · ${c.fault.name} · ${c.fault.name === 'connection refused' ? 'persistent (closed port)' : c.times > 1 ? `persistent (x${c.times})` : 'once'}`;
}

interface Tally {
  cases: number;
  once: number;
  persistent: number;
  served: number;
  recovered: number;
  failed: number;
}

/** Counts of the passing cases, by call and by fault, printed as two tables after a file's cases. */
export class FaultReport {
  readonly #byCall = new Map<string, Tally>();
  readonly #byFault = new Map<string, Tally>();
  readonly #started = Date.now();

  /** One passing case: `served` faulty answers the fakes gave. */
  record(c: Case, served: number, outcome: Expected['outcome']): void {
    for (const [map, key] of [
      [this.#byCall, c.call],
      [this.#byFault, c.fault.name],
    ] as const) {
      const t = map.get(key) ?? { cases: 0, once: 0, persistent: 0, served: 0, recovered: 0, failed: 0 };
      t.cases++;
      if (c.times > 1) t.persistent++;
      else t.once++;
      t.served += served;
      if (outcome === 'recovered') t.recovered++;
      else t.failed++;
      map.set(key, t);
    }
  }

  print(title: string): void {
    const row = (name: string, t: Tally) =>
      `| ${name.padEnd(26)} | ${String(t.cases).padStart(5)} | ${String(t.once).padStart(4)} | ${String(t.persistent).padStart(10)} | ${String(t.served).padStart(12)} | ${String(t.recovered).padStart(9)} | ${String(t.failed).padStart(16)} |`;
    const head = (name: string) => [
      `| ${name.padEnd(26)} | cases | once | persistent | faults served | recovered | failed correctly |`,
      `|${'-'.repeat(28)}|-------|------|------------|---------------|-----------|------------------|`,
    ];
    const total = (map: Map<string, Tally>): Tally =>
      [...map.values()].reduce(
        (sum, t) => ({
          cases: sum.cases + t.cases,
          once: sum.once + t.once,
          persistent: sum.persistent + t.persistent,
          served: sum.served + t.served,
          recovered: sum.recovered + t.recovered,
          failed: sum.failed + t.failed,
        }),
        { cases: 0, once: 0, persistent: 0, served: 0, recovered: 0, failed: 0 },
      );
    const lines = [
      '',
      `${title}: ${total(this.#byCall).cases} passing cases in ${((Date.now() - this.#started) / 1000).toFixed(1)} s ("faults served": faulty answers the fakes gave; a refused connection is not an answer)`,
      '',
      ...head('call'),
      ...[...this.#byCall].map(([name, t]) => row(name, t)),
      row('total', total(this.#byCall)),
      '',
      ...head('fault'),
      ...[...this.#byFault].map(([name, t]) => row(name, t)),
      row('total', total(this.#byFault)),
      '',
    ];
    console.log(lines.join('\n'));
  }
}

/** Milliseconds between the first attempt at a route and its retry, as the fake received them. */
export function retryGap(fake: FaultyLeadConduit | FaultyGitHub, route: string): number {
  const [first, retry] = fake.requests.filter((r) => r.route === route);
  expect(retry, `a retry of ${route}`).toBeDefined();
  return (retry?.at ?? 0) - (first?.at ?? 0);
}
