import { en } from 'zod/locales';
import * as z from 'zod/mini';

// zod/mini: zod's validation core without its chained-method layer, so a run loads and builds
// less before it can validate (bench/README.md). Constraints and the metadata the JSON Schema
// shows are .check(...)s; z.partial() and z.nullish() wrap a schema. It sets no locale of its
// own: the messages (shown for an unexpected answer from the API) are zod's English ones.
z.config(en());

/** The features LeadConduit's reference lists; each is an on/off switch. */
export const FEATURE_NAMES = [
  'seller_access',
  'buyer_access',
  'lead_transactions',
  'conversion_feedback',
  'firehose',
  'third_party_add_on_services',
  'real_time_bidding',
  'leadconduit_trustedform_decisions',
] as const;

export const SUBSCRIPTION_NAMES = ['base', 'pro', 'partner'] as const;

/** The states a subscription is seen in ("state" is free text to the API; these are its usual words). */
export const SUBSCRIPTION_STATES = ['active', 'inactive'] as const;

/** Subscription fields that are a person's choice: export writes them, the PUT carries them over. */
export const SUBSCRIPTION_MANAGED_FIELDS = ['state', 'product_offering_component'] as const;

/**
 * Subscription timestamps LeadConduit keeps itself. The API reference lists them in the PUT body
 * without describing them; LeadConduit stamps them whatever a request says: created_at when the
 * subscription is created, updated_at on every change of it, active_at/inactive_at when its state
 * changes. None is a person's choice (the state is): export leaves them out (unless asked), the
 * PUT sends one only where the file sets it, and a file that sets one is warned that it will
 * show drift (updated_at after every change) and may fail the check after an apply.
 */
export const SUBSCRIPTION_TIMESTAMP_FIELDS = ['created_at', 'updated_at', 'active_at', 'inactive_at'] as const;

/** Every subscription field the file may hold. */
export const SUBSCRIPTION_FIELDS = [...SUBSCRIPTION_MANAGED_FIELDS, ...SUBSCRIPTION_TIMESTAMP_FIELDS] as const;

/** Fields of a subscription the API returns but does not let you set. */
export const SUBSCRIPTION_READ_ONLY_FIELDS = ['id', 'product_offering_id'] as const;

/** The top-level fields PUT /account accepts, in the order we send and show them. */
export const WRITABLE_FIELDS = ['data_retention_in_days', 'data_truncated_at', 'features', 'subscriptions'] as const;

/** Account fields the API returns but cannot change. `id` is allowed in the file as a guard. */
export const READ_ONLY_FIELDS = [
  'sso_id',
  'api_key',
  'name',
  'time_zone',
  'type',
  'keen_project_id',
  'keen_read_api_key',
  'keen_write_api_key',
  'pricing_components',
  'billing_type',
  'financial_state',
  'financial_state_updated_at',
  'lead_ping_enabled',
  'product_id',
  'state',
  'connected_buyers',
  'connected_sellers',
  'pending_sellers',
  'pending_buyers',
] as const;

/** Account fields that are credentials: never shown, logged or written anywhere. */
export const SECRET_FIELDS = ['api_key', 'keen_read_api_key', 'keen_write_api_key'] as const;

export const ACCOUNT_ID_PATTERN = /^[0-9a-fA-F]{24}$/;

/** Paths of the file whose values are date-times and compare as instants. */
export function isDateTimePath(path: readonly string[]): boolean {
  if (path.length === 1) return path[0] === 'data_truncated_at';
  return path.length === 3 && path[0] === 'subscriptions' && (SUBSCRIPTION_TIMESTAMP_FIELDS as readonly string[]).includes(path[2] ?? '');
}

const dateTime = (title: string, description: string) =>
  z.iso.datetime({ offset: true }).check(z.meta({ title, description, examples: ['2023-11-07T05:31:56Z'] }));

const subscriptionSchema = z.partial(
  z.strictObject({
    state: z
      .string()
      .check(
        z.minLength(1),
        z.maxLength(64),
        z.meta({ title: 'State', description: 'Subscription state, e.g. "active" or "inactive".', examples: ['active'] }),
      ),
    product_offering_component: z.string().check(
      z.minLength(1),
      z.maxLength(64),
      z.meta({
        title: 'Product offering component',
        description: 'Which component of the product offering this subscription is for.',
        examples: ['partner'],
      }),
    ),
    created_at: dateTime('Created at', 'When the subscription was created. Set by LeadConduit: best left out of the file.'),
    updated_at: dateTime(
      'Updated at',
      'When the subscription last changed. Set by LeadConduit on every change: a value here differs after the next change. Best left out of the file.',
    ),
    active_at: dateTime('Active at', 'When the subscription became active. Set by LeadConduit when its state changes: manage "state" instead.'),
    inactive_at: dateTime('Inactive at', 'When the subscription became inactive. Set by LeadConduit when its state changes: manage "state" instead.'),
  }),
);

const featureDescriptions: Record<(typeof FEATURE_NAMES)[number], string> = {
  seller_access: 'Lets this account act as a seller of leads.',
  buyer_access: 'Lets this account act as a buyer of leads.',
  lead_transactions: 'Enables lead transactions.',
  conversion_feedback: 'Enables conversion feedback from buyers.',
  firehose: 'Streams lead events to an external destination (firehose).',
  third_party_add_on_services: 'Enables third-party add-on services.',
  real_time_bidding: 'Enables real-time bidding.',
  leadconduit_trustedform_decisions: 'Enables LeadConduit TrustedForm decisions.',
};

const featuresSchema = z
  .partial(
    z.strictObject(
      Object.fromEntries(FEATURE_NAMES.map((name) => [name, z.boolean().check(z.meta({ title: name, description: featureDescriptions[name] }))])) as Record<
        (typeof FEATURE_NAMES)[number],
        z.ZodMiniBoolean
      >,
    ),
  )
  .check(
    z.meta({ title: 'Features', description: 'Feature switches: true turns a feature on, false turns it off. Features not listed are left as they are.' }),
  );

const SUBSCRIPTION_DESCRIPTION = (name: string) =>
  `The ${name} subscription. Only the fields listed are managed. Its timestamps (created_at, updated_at, active_at, inactive_at) are set by LeadConduit itself: best left out.`;

const subscriptionsSchema = z
  .partial(
    z.strictObject({
      base: subscriptionSchema.check(z.meta({ title: 'Base subscription', description: SUBSCRIPTION_DESCRIPTION('base') })),
      pro: subscriptionSchema.check(z.meta({ title: 'Pro subscription', description: SUBSCRIPTION_DESCRIPTION('pro') })),
      partner: subscriptionSchema.check(z.meta({ title: 'Partner subscription', description: SUBSCRIPTION_DESCRIPTION('partner') })),
    }),
  )
  .check(z.meta({ title: 'Subscriptions', description: 'Subscriptions by name. Fields not listed are left as they are.' }));

/**
 * The desired-state file. Every key is optional: the settings it holds are exactly the ones
 * managed; everything else in the account is left alone.
 */
export const desiredStateSchema = z
  .partial(
    z.strictObject({
      $schema: z.string().check(z.meta({ title: 'JSON Schema', description: 'The JSON Schema for editors; ignored by the action.' })),
      id: z.string().check(
        z.regex(ACCOUNT_ID_PATTERN),
        z.meta({
          title: 'Account id (guard)',
          description:
            'The 24-character id of the account this file is for. Not changed: the run fails before any change when the live account has another id.',
          examples: ['5fd4371e940df5a34a3888b2'],
        }),
      ),
      data_retention_in_days: z.int().check(
        z.minimum(1),
        z.maximum(36_500),
        z.meta({
          title: 'Data retention (days)',
          description:
            'Number of days to retain lead events. Lowering it is destructive: lead events older than the new period are permanently deleted and cannot be recovered.',
          examples: [365],
        }),
      ),
      data_truncated_at: dateTime(
        'Data truncated at',
        'The instant before which lead data is truncated (ISO 8601 date-time with a time zone). Changing it is destructive: lead data before it may be permanently removed.',
      ),
      features: featuresSchema,
      subscriptions: subscriptionsSchema,
    }),
  )
  .check(
    z.meta({
      title: 'LeadConduit account settings',
      description: 'Desired state of a LeadConduit account, applied by leadconduit-account-action. Only the settings present are managed.',
    }),
  );

export type DesiredState = z.infer<typeof desiredStateSchema>;

/**
 * An account as the API returns it: an object with a valid id, and that is all that is checked
 * here. Any other value, a container such as `features` or `subscriptions` included, is kept as it
 * is, so that what the file does not manage is planned around and sent back untouched, and a
 * managed one of the wrong kind is named (path, kind, what was expected) before anything is sent
 * (oddLiveValues in plan.ts). Without a valid id, an answer is not an account.
 */
export const liveAccountSchema = z.looseObject({
  id: z.string().check(z.regex(ACCOUNT_ID_PATTERN)),
});

export type LiveValue = null | boolean | number | string | LiveValue[] | { [key: string]: LiveValue };

/**
 * The live account, as the plan sees it: its name as text when it has one, values as JSON.
 * `features` and `subscriptions` are objects when LeadConduit is well, but may be anything.
 */
export interface LiveAccount {
  id: string;
  name?: string | undefined;
  data_retention_in_days?: LiveValue | undefined;
  data_truncated_at?: LiveValue | undefined;
  features?: LiveValue | undefined;
  subscriptions?: LiveValue | undefined;
  [key: string]: unknown;
}

/** A live value as an object of named values, or undefined when it is not one (null, a list, a string...). */
export function liveObject(value: unknown): Record<string, LiveValue> | undefined {
  return typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Record<string, LiveValue>) : undefined;
}

/** GET /user: the account is one of `accounts`. */
export const userSchema = z.looseObject({
  accounts: z.array(z.unknown()),
});

/** The body of PUT /account. Live values the file does not manage go back as LeadConduit sent them. */
export interface AccountUpdate {
  data_retention_in_days?: number;
  data_truncated_at?: string;
  features?: Record<string, LiveValue>;
  /** Each subscription an object, but for an odd one the file does not manage, sent back as it was. */
  subscriptions?: Record<string, LiveValue>;
}
