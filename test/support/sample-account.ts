/**
 * A LeadConduit account shaped like the real GET /account answer, for tests and fakes.
 */

/** The API key the fake LeadConduit accepts by default (HTTP Basic: username "API"). */
export const TEST_API_KEY = 'lc-test-api-key-5a7e21c04d';

export const SAMPLE_ACCOUNT_ID = '5fd4371e940df5a34a3888b2';

/** The account's own credentials: they must never appear in output, logs or files. */
export const SECRET_VALUES = ['acct-secret-api-key-7f3c9a', 'keen-read-secret-4b1d', 'keen-write-secret-9e2a'] as const;

export interface Subscription {
  id: string;
  state: string;
  product_offering_id: string;
  product_offering_component: string;
  created_at: string;
  updated_at: string;
  active_at: string | null;
  inactive_at: string | null;
  [key: string]: unknown;
}

export interface Features {
  seller_access: boolean;
  buyer_access: boolean;
  lead_transactions: boolean;
  conversion_feedback: boolean;
  firehose: boolean;
  third_party_add_on_services: boolean;
  real_time_bidding: boolean;
  leadconduit_trustedform_decisions: boolean;
  [key: string]: unknown;
}

export interface AccountReference {
  id: string;
  name: string;
  [key: string]: unknown;
}

/** A LeadConduit account. Extra keys are allowed, as the real API may add fields. */
export interface Account {
  id: string;
  sso_id: string;
  api_key: string;
  name: string;
  time_zone: string;
  type: string;
  data_retention_in_days: number;
  data_truncated_at: string | null;
  keen_project_id: string;
  keen_read_api_key: string;
  keen_write_api_key: string;
  pricing_components: unknown[];
  billing_type: string;
  financial_state: string;
  financial_state_updated_at: string;
  lead_ping_enabled: boolean;
  product_id: string;
  state: string;
  connected_buyers: AccountReference[];
  connected_sellers: AccountReference[];
  pending_buyers: AccountReference[];
  pending_sellers: AccountReference[];
  features: Features;
  subscriptions: Record<string, Subscription>;
  [key: string]: unknown;
}

/**
 * A fresh account (no object shared with any earlier call or with `overrides`).
 * `overrides` replace top-level keys as given (not merged into nested objects).
 */
export function sampleAccount(overrides: Partial<Account> = {}): Account {
  const account: Account = {
    id: SAMPLE_ACCOUNT_ID,
    sso_id: '5fd4371e940df5a34a3888b1',
    api_key: 'acct-secret-api-key-7f3c9a',
    name: 'Acme, Inc.',
    time_zone: 'America/New_York',
    type: 'buyer',
    data_retention_in_days: 365,
    data_truncated_at: '2023-11-07T05:31:56Z',
    keen_project_id: 'keenproj',
    keen_read_api_key: 'keen-read-secret-4b1d',
    keen_write_api_key: 'keen-write-secret-9e2a',
    pricing_components: [],
    billing_type: 'contracted',
    financial_state: 'paid',
    financial_state_updated_at: '2024-01-15T12:00:00Z',
    lead_ping_enabled: true,
    product_id: 'lcx',
    state: 'active',
    connected_buyers: [{ id: '60a1b2c3d4e5f6a7b8c9d0e1', name: 'Buyer One LLC' }],
    connected_sellers: [{ id: '60a1b2c3d4e5f6a7b8c9d0e2', name: 'Seller One LLC' }],
    pending_buyers: [{ id: '60a1b2c3d4e5f6a7b8c9d0e3', name: 'Pending Buyer Co' }],
    pending_sellers: [{ id: '60a1b2c3d4e5f6a7b8c9d0e4', name: 'Pending Seller Co' }],
    features: {
      seller_access: true,
      buyer_access: true,
      lead_transactions: true,
      conversion_feedback: false,
      firehose: false,
      third_party_add_on_services: true,
      real_time_bidding: false,
      leadconduit_trustedform_decisions: false,
    },
    subscriptions: {
      base: {
        id: '6123456789abcdef01234501',
        state: 'active',
        product_offering_id: '6123456789abcdef0123aa01',
        product_offering_component: 'base',
        created_at: '2021-01-04T15:00:00Z',
        updated_at: '2023-06-01T10:30:00Z',
        active_at: '2021-01-04T15:00:00Z',
        inactive_at: null,
      },
      pro: {
        id: '6123456789abcdef01234502',
        state: 'inactive',
        product_offering_id: '6123456789abcdef0123aa02',
        product_offering_component: 'pro',
        created_at: '2022-03-10T09:00:00Z',
        updated_at: '2023-02-20T18:45:00Z',
        active_at: '2022-03-10T09:00:00Z',
        inactive_at: '2023-02-20T18:45:00Z',
      },
    },
  };
  return structuredClone({ ...account, ...overrides });
}
