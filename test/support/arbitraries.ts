/**
 * fast-check arbitraries for the property tests: random live accounts shaped like GET /account
 * (test/support/sample-account.ts) and random VALID desired-state files.
 *
 * Values are drawn partly from small pools (a few retention periods, instants and states) so that
 * a file often holds the live value already, sometimes written in another but equivalent form
 * ("…Z" live, "…+00:00" or "…+05:30" in the file): the interesting cases are "no change",
 * "equal as an instant" and "drift", not only "everything differs".
 */
import fc from 'fast-check';
import { FEATURE_NAMES, SUBSCRIPTION_MANAGED_FIELDS, SUBSCRIPTION_NAMES, SUBSCRIPTION_TIMESTAMP_FIELDS, type DesiredState } from '../../src/account-schema.js';
import { sampleAccount, type Account } from './sample-account.js';

const HEX_DIGITS = '0123456789abcdef'.split('');

/** A 24-character lowercase hex id, like LeadConduit's ids. */
export const hexIdArb: fc.Arbitrary<string> = fc.string({ unit: fc.constantFrom(...HEX_DIGITS), minLength: 24, maxLength: 24 });

// ---------------------------------------------------------------------------------------------
// Instants and their spellings

const MIN_MS = Date.UTC(1990, 0, 1);
const MAX_MS = Date.UTC(2090, 0, 1);

/** Instants the sample account uses: files and accounts often share one. */
export const INSTANT_POOL: readonly number[] = [
  '2021-01-04T15:00:00Z',
  '2022-03-10T09:00:00Z',
  '2023-02-20T18:45:00Z',
  '2023-06-01T10:30:00Z',
  '2023-11-07T05:31:56Z',
  '2024-02-29T23:59:59Z',
].map((s) => Date.parse(s));

/** An instant in ms since the epoch: from the pool, whole seconds, or with milliseconds. */
export const instantArb: fc.Arbitrary<number> = fc.oneof(
  { arbitrary: fc.constantFrom(...INSTANT_POOL), weight: 3 },
  { arbitrary: fc.integer({ min: MIN_MS / 1000, max: MAX_MS / 1000 }).map((s) => s * 1000), weight: 2 },
  { arbitrary: fc.integer({ min: MIN_MS, max: MAX_MS }), weight: 1 },
);

/** How a date-time is spelled; every spelling of one instant is the same setting. */
export interface DateForm {
  /** Offset from UTC in minutes (the wall-clock time is shifted to match). */
  offsetMinutes: number;
  /** Digits of the fraction of a second: 0 = none (unless the instant has milliseconds). */
  fractionDigits: number;
  /** How a zero offset is written. */
  zulu: 'Z' | '+00:00' | '-00:00';
}

const pad = (n: number, width = 2) => String(n).padStart(width, '0');

/** An ISO 8601 date-time with an offset (as z.iso.datetime({ offset: true }) accepts) for an instant. */
export function formatInstant(ms: number, form: DateForm): string {
  const local = new Date(ms + form.offsetMinutes * 60_000);
  const date = `${pad(local.getUTCFullYear(), 4)}-${pad(local.getUTCMonth() + 1)}-${pad(local.getUTCDate())}`;
  const time = `${pad(local.getUTCHours())}:${pad(local.getUTCMinutes())}:${pad(local.getUTCSeconds())}`;
  const millis = pad(((ms % 1000) + 1000) % 1000, 3);
  const significant = millis.replace(/0+$/, '').length;
  const digits = Math.max(form.fractionDigits, significant);
  const fraction = digits === 0 ? '' : `.${millis.padEnd(9, '0').slice(0, digits)}`;
  let zone: string;
  if (form.offsetMinutes === 0) zone = form.zulu;
  else {
    const abs = Math.abs(form.offsetMinutes);
    zone = `${form.offsetMinutes < 0 ? '-' : '+'}${pad(Math.floor(abs / 60))}:${pad(abs % 60)}`;
  }
  return `${date}T${time}${fraction}${zone}`;
}

export const dateFormArb: fc.Arbitrary<DateForm> = fc.record({
  offsetMinutes: fc.oneof(
    { arbitrary: fc.constant(0), weight: 4 },
    { arbitrary: fc.constantFrom(60, 120, -300, -240, 330, 345, 600, -720, 840), weight: 2 },
    { arbitrary: fc.integer({ min: -(23 * 60 + 59), max: 23 * 60 + 59 }), weight: 1 },
  ),
  fractionDigits: fc.oneof(
    { arbitrary: fc.constant(0), weight: 3 },
    { arbitrary: fc.constant(3), weight: 2 },
    { arbitrary: fc.integer({ min: 1, max: 9 }), weight: 1 },
  ),
  zulu: fc.constantFrom('Z' as const, '+00:00' as const, '-00:00' as const),
});

/** A date-time as a desired-state file may spell it: any valid, equivalent form. */
export const fileDateTimeArb: fc.Arbitrary<string> = fc.tuple(instantArb, dateFormArb).map(([ms, form]) => formatInstant(ms, form));

/** A date-time as the API answers it: "…Z", sometimes "….000Z" (toISOString). */
export const liveDateTimeArb: fc.Arbitrary<string> = fc
  .tuple(instantArb, fc.boolean())
  .map(([ms, withMillis]) => (withMillis || ms % 1000 !== 0 ? new Date(ms).toISOString() : new Date(ms).toISOString().replace('.000Z', 'Z')));

// ---------------------------------------------------------------------------------------------
// Settings values

export const RETENTION_POOL = [1, 30, 90, 180, 365, 730, 36_500] as const;

/** A valid data_retention_in_days (1..36500). */
export const retentionArb: fc.Arbitrary<number> = fc.oneof(
  { arbitrary: fc.constantFrom(...RETENTION_POOL), weight: 3 },
  { arbitrary: fc.integer({ min: 1, max: 36_500 }), weight: 1 },
);

/** A subscription string setting (state or product_offering_component): 1..64 characters. */
const settingStringArb = (pool: readonly string[]): fc.Arbitrary<string> =>
  fc.oneof({ arbitrary: fc.constantFrom(...pool), weight: 4 }, { arbitrary: fc.string({ minLength: 1, maxLength: 64 }), weight: 1 });

export const STATE_POOL = ['active', 'inactive', 'pending', 'cancelled'] as const;
export const COMPONENT_POOL = ['base', 'pro', 'partner', 'enterprise'] as const;

const subscriptionFieldArb = (field: (typeof SUBSCRIPTION_MANAGED_FIELDS)[number]): fc.Arbitrary<string> => {
  switch (field) {
    case 'state':
      return settingStringArb(STATE_POOL);
    case 'product_offering_component':
      return settingStringArb(COMPONENT_POOL);
  }
};

// ---------------------------------------------------------------------------------------------
// Live accounts

/** Feature keys the API might add that this action does not know: they must survive an apply. */
export const UNKNOWN_FEATURE_KEYS = ['lead_scoring_beta', 'ai_assist', 'webhooks_v2', 'x_experimental'] as const;

const liveFeaturesArb: fc.Arbitrary<Partial<Record<string, boolean>> | null> = fc.oneof(
  {
    weight: 12,
    arbitrary: fc
      .tuple(
        fc.record(Object.fromEntries(FEATURE_NAMES.map((name) => [name, fc.boolean()])) as Record<string, fc.Arbitrary<boolean>>, { requiredKeys: [] }),
        fc.option(fc.tuple(fc.constantFrom(...UNKNOWN_FEATURE_KEYS), fc.boolean()), { nil: undefined, freq: 2 }),
      )
      .map(([known, extra]) => (extra ? { ...known, [extra[0]]: extra[1] } : known)),
  },
  { weight: 1, arbitrary: fc.constant(null) },
);

/** A live subscription: read-only id and product_offering_id; writable fields and LeadConduit's timestamps present, null or absent. */
const liveSubscriptionArb: fc.Arbitrary<Record<string, unknown>> = fc
  .record({
    id: hexIdArb,
    product_offering_id: hexIdArb,
    writable: fc.record(
      Object.fromEntries(SUBSCRIPTION_MANAGED_FIELDS.map((field) => [field, fc.option(subscriptionFieldArb(field), { nil: null, freq: 5 })])) as Record<
        string,
        fc.Arbitrary<string | null>
      >,
      { requiredKeys: [] },
    ),
    stamps: fc.record(
      Object.fromEntries(SUBSCRIPTION_TIMESTAMP_FIELDS.map((field) => [field, fc.option(liveDateTimeArb, { nil: null, freq: 5 })])) as Record<
        string,
        fc.Arbitrary<string | null>
      >,
      { requiredKeys: [] },
    ),
  })
  .map(({ id, product_offering_id, writable, stamps }) => ({ id, ...writable, product_offering_id, ...stamps }));

const liveSubscriptionsArb: fc.Arbitrary<Partial<Record<string, Record<string, unknown>>>> = fc.record(
  Object.fromEntries(SUBSCRIPTION_NAMES.map((name) => [name, liveSubscriptionArb])),
  { requiredKeys: [] },
);

/** A long random credential: long enough that masking it cannot hit an ordinary value. */
const secretArb = (prefix: string): fc.Arbitrary<string> =>
  fc.string({ unit: fc.constantFrom(...HEX_DIGITS), minLength: 20, maxLength: 32 }).map((s) => `${prefix}-${s}`);

/**
 * A random live account as GET /account answers it: sample-account's shape, with random
 * retention (sometimes none), truncation point (sometimes none), features (a random subset, maybe
 * an unknown extra key), subscriptions (base/pro/partner each present or absent) and secrets.
 */
export const liveAccountArb: fc.Arbitrary<Account> = fc
  .record({
    id: hexIdArb,
    name: fc.constantFrom('Acme, Inc.', 'Globex LLC', 'Initech'),
    retention: fc.option(retentionArb, { nil: null, freq: 6 }),
    truncatedAt: fc.option(liveDateTimeArb, { nil: null, freq: 4 }),
    features: liveFeaturesArb,
    subscriptions: liveSubscriptionsArb,
    apiKey: secretArb('acct'),
    keenRead: secretArb('keenr'),
    keenWrite: secretArb('keenw'),
  })
  .map(({ id, name, retention, truncatedAt, features, subscriptions, apiKey, keenRead, keenWrite }) => {
    const account: Record<string, unknown> = sampleAccount({
      id,
      name,
      api_key: apiKey,
      keen_read_api_key: keenRead,
      keen_write_api_key: keenWrite,
      data_truncated_at: truncatedAt,
    });
    account.data_retention_in_days = retention;
    account.features = features;
    account.subscriptions = subscriptions;
    return account as Account;
  });

// ---------------------------------------------------------------------------------------------
// Desired-state files

/** A desired subscription: some of its writable fields, sometimes none (an empty object manages nothing). */
const desiredSubscriptionArb: fc.Arbitrary<Partial<Record<string, string>>> = fc.oneof(
  {
    weight: 5,
    arbitrary: fc.record(
      Object.fromEntries(SUBSCRIPTION_MANAGED_FIELDS.map((field) => [field, subscriptionFieldArb(field)])) as Record<string, fc.Arbitrary<string>>,
      {
        requiredKeys: [],
      },
    ),
  },
  { weight: 1, arbitrary: fc.constant({}) },
);

/**
 * A random VALID desired-state file (without `id`; see scenarioArb): a random subset of the
 * managed paths with random values, never a read-only field. Nested objects may be empty.
 */
export const desiredStateArb: fc.Arbitrary<DesiredState> = fc
  .record(
    {
      $schema: fc.constant('https://example.com/leadconduit-account.schema.json'),
      data_retention_in_days: retentionArb,
      data_truncated_at: fileDateTimeArb,
      features: fc.record(Object.fromEntries(FEATURE_NAMES.map((name) => [name, fc.boolean()])) as Record<string, fc.Arbitrary<boolean>>, { requiredKeys: [] }),
      subscriptions: fc.record(
        Object.fromEntries(SUBSCRIPTION_NAMES.map((name) => [name, desiredSubscriptionArb])) as Record<string, typeof desiredSubscriptionArb>,
        { requiredKeys: [] },
      ),
    },
    { requiredKeys: [] },
  )
  .map((state) => state as DesiredState);

export interface Scenario {
  live: Account;
  desired: DesiredState;
}

/** How much of the file repeats the live values: random files rarely match an account by chance. */
type Echo = 'none' | 'some' | 'all';

/** The file with some (or all) of its settings set to the account's values (date-times respelled). */
function echoLive(desired: DesiredState, live: Account, echo: Echo, mask: readonly boolean[], forms: readonly DateForm[]): DesiredState {
  if (echo === 'none') return desired;
  const { $schema, id, ...settings } = structuredClone(desired) as Record<string, unknown>;
  let leaf = 0;
  const walk = (node: Record<string, unknown>, liveNode: unknown) => {
    for (const [key, value] of Object.entries(node)) {
      const liveValue = typeof liveNode === 'object' && liveNode !== null ? (liveNode as Record<string, unknown>)[key] : undefined;
      if (typeof value === 'object' && value !== null) {
        walk(value as Record<string, unknown>, liveValue);
        continue;
      }
      const i = leaf++;
      if (echo === 'some' && !mask[i % mask.length]) continue;
      if (liveValue === undefined || liveValue === null) {
        // 'all': the file manages only what the account has, so it can match it exactly.
        if (echo === 'all') delete node[key];
        continue;
      }
      const isDate = key === 'data_truncated_at';
      node[key] = isDate ? formatInstant(Date.parse(liveValue as string), forms[i % forms.length]!) : liveValue;
    }
  };
  walk(settings, live);
  return { ...($schema === undefined ? {} : { $schema }), ...(id === undefined ? {} : { id }), ...settings } as DesiredState;
}

/**
 * A live account and a desired-state file for it. Part or all of the file often repeats the
 * live values (date-times in another spelling), so "no change" and "some changes" both occur.
 * The file's `id` guard is absent, the live id, or the live id in upper case (the guard compares
 * case-insensitively).
 */
export const scenarioArb: fc.Arbitrary<Scenario> = fc
  .record({
    live: liveAccountArb,
    desired: desiredStateArb,
    guard: fc.constantFrom('none', 'same', 'upper'),
    echo: fc.constantFrom<Echo>('none', 'none', 'some', 'some', 'all'),
    mask: fc.array(fc.boolean(), { minLength: 8, maxLength: 8 }),
    forms: fc.array(dateFormArb, { minLength: 3, maxLength: 3 }),
  })
  .map(({ live, desired: random, guard, echo, mask, forms }) => {
    const desired = echoLive(random, live, echo, mask, forms);
    if (guard === 'none') return { live, desired };
    const { $schema, ...rest } = desired;
    const id = guard === 'upper' ? live.id.toUpperCase() : live.id;
    return { live, desired: { ...($schema === undefined ? {} : { $schema }), id, ...rest } };
  });
