import { z } from 'zod';

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

/** Subscription fields a person manages: what the file may set and the PUT sends. */
export const SUBSCRIPTION_FIELDS = ['state', 'product_offering_component'] as const;

/**
 * Subscription timestamps LeadConduit keeps itself. The API reference lists them in the PUT body
 * without describing them; LeadConduit stamps them whatever a request says: created_at when the
 * subscription is created, updated_at on every change of it, active_at/inactive_at when its state
 * changes. None is a person's choice (the state is), so the file may not set them, export leaves
 * them out and the PUT never sends them: a file holding updated_at would differ after every change
 * and fail the read-after-write check once the account had already changed.
 */
export const SUBSCRIPTION_TIMESTAMP_FIELDS = ['created_at', 'updated_at', 'active_at', 'inactive_at'] as const;

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
  return path.length === 1 && path[0] === 'data_truncated_at';
}

const dateTime = (title: string, description: string) => z.iso.datetime({ offset: true }).meta({ title, description, examples: ['2023-11-07T05:31:56Z'] });

const subscriptionSchema = z
  .strictObject({
    state: z
      .string()
      .min(1)
      .max(64)
      .meta({ title: 'State', description: 'Subscription state, e.g. "active" or "inactive".', examples: ['active'] }),
    product_offering_component: z
      .string()
      .min(1)
      .max(64)
      .meta({ title: 'Product offering component', description: 'Which component of the product offering this subscription is for.', examples: ['partner'] }),
  })
  .partial();

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
  .strictObject(
    Object.fromEntries(FEATURE_NAMES.map((name) => [name, z.boolean().meta({ title: name, description: featureDescriptions[name] })])) as Record<
      (typeof FEATURE_NAMES)[number],
      z.ZodBoolean
    >,
  )
  .partial()
  .meta({ title: 'Features', description: 'Feature switches: true turns a feature on, false turns it off. Features not listed are left as they are.' });

const SUBSCRIPTION_DESCRIPTION = (name: string) =>
  `The ${name} subscription. Only the fields listed are managed. Its timestamps (created_at, updated_at, active_at, inactive_at) are set by LeadConduit and cannot be managed.`;

const subscriptionsSchema = z
  .strictObject({
    base: subscriptionSchema.meta({ title: 'Base subscription', description: SUBSCRIPTION_DESCRIPTION('base') }),
    pro: subscriptionSchema.meta({ title: 'Pro subscription', description: SUBSCRIPTION_DESCRIPTION('pro') }),
    partner: subscriptionSchema.meta({ title: 'Partner subscription', description: SUBSCRIPTION_DESCRIPTION('partner') }),
  })
  .partial()
  .meta({ title: 'Subscriptions', description: 'Subscriptions by name. Fields not listed are left as they are.' });

/**
 * The desired-state file. Every key is optional: the settings it holds are exactly the ones
 * managed; everything else in the account is left alone.
 */
export const desiredStateSchema = z
  .strictObject({
    $schema: z.string().meta({ title: 'JSON Schema', description: 'The JSON Schema for editors; ignored by the action.' }),
    id: z
      .string()
      .regex(ACCOUNT_ID_PATTERN)
      .meta({
        title: 'Account id (guard)',
        description: 'The 24-character id of the account this file is for. Not changed: the run fails before any change when the live account has another id.',
        examples: ['5fd4371e940df5a34a3888b2'],
      }),
    data_retention_in_days: z
      .int()
      .min(1)
      .max(36_500)
      .meta({
        title: 'Data retention (days)',
        description:
          'Number of days to retain lead events. Lowering it is destructive: lead events older than the new period are permanently deleted and cannot be recovered.',
        examples: [365],
      }),
    data_truncated_at: dateTime(
      'Data truncated at',
      'The instant before which lead data is truncated (ISO 8601 date-time with a time zone). Changing it is destructive: lead data before it may be permanently removed.',
    ),
    features: featuresSchema,
    subscriptions: subscriptionsSchema,
  })
  .partial()
  .meta({
    title: 'LeadConduit account settings',
    description: 'Desired state of a LeadConduit account, applied by leadconduit-account-action. Only the settings present are managed.',
  });

export type DesiredState = z.infer<typeof desiredStateSchema>;

const liveSubscriptionSchema = z.looseObject({
  id: z.string().nullish(),
  state: z.string().nullish(),
  product_offering_id: z.string().nullish(),
  product_offering_component: z.string().nullish(),
  created_at: z.string().nullish(),
  updated_at: z.string().nullish(),
  active_at: z.string().nullish(),
  inactive_at: z.string().nullish(),
});

/** An account as the API returns it: the fields we rely on are checked, extra fields tolerated. */
export const liveAccountSchema = z.looseObject({
  id: z.string().regex(ACCOUNT_ID_PATTERN),
  name: z.string().nullish(),
  data_retention_in_days: z.number().int().nullish(),
  data_truncated_at: z.string().nullish(),
  features: z.record(z.string(), z.boolean().nullable()).nullish(),
  subscriptions: z.record(z.string(), liveSubscriptionSchema.nullable()).nullish(),
});

export type LiveAccount = z.infer<typeof liveAccountSchema>;

/** GET /user: the account is one of `accounts`. */
export const userSchema = z.looseObject({
  accounts: z.array(z.unknown()),
});

/** The body of PUT /account. */
export interface AccountUpdate {
  data_retention_in_days?: number;
  data_truncated_at?: string;
  features?: Record<string, boolean>;
  subscriptions?: Record<string, Record<string, string>>;
}
