/**
 * Unit tests of src/plan.ts beyond test/plan.test.ts: live values of an unexpected kind, date-times
 * that are not strings, the PUT body's scalar fields, and the previous state of a file without
 * $schema or id.
 */
import { describe, expect, it } from 'vitest';
import type { DesiredState, LiveAccount } from '../../src/account-schema.js';
import { classifyChanges, managedSettings, oddLiveValues, planChanges, previousState, sameValue } from '../../src/plan.js';
import { buildAccountUpdate } from '../../src/request-body.js';
import { SAMPLE_ACCOUNT_ID, sampleAccount } from '../support/sample-account.js';

/** The sample account as the action sees it (secrets are dropped by the client). */
function live(overrides: Record<string, unknown> = {}): LiveAccount {
  const { api_key: _a, keen_read_api_key: _r, keen_write_api_key: _w, ...account } = sampleAccount();
  return structuredClone({ ...account, ...overrides }) as LiveAccount;
}

const EVERY_KIND: DesiredState = {
  data_retention_in_days: 400,
  data_truncated_at: '2024-01-01T00:00:00Z',
  features: { firehose: true },
  subscriptions: { pro: { state: 'active', updated_at: '2031-01-01T00:00:00Z' } },
};

describe('oddLiveValues', () => {
  it('finds nothing when every managed live value is of its kind', () => {
    expect(oddLiveValues(EVERY_KIND, live())).toEqual([]);
  });

  it('names a feature that is not true or false', () => {
    expect(oddLiveValues({ features: { firehose: true } }, live({ features: { firehose: 'yes' } }))).toEqual([
      { path: 'features.firehose', value: 'yes', expected: 'a feature is true or false' },
    ]);
  });

  it.each([['365'], [36.5], [true]])('names a retention of %j: not a whole number of days', (value) => {
    expect(oddLiveValues({ data_retention_in_days: 30 }, live({ data_retention_in_days: value }))).toEqual([
      { path: 'data_retention_in_days', value, expected: 'a whole number of days is expected' },
    ]);
  });

  it('names a date-time that is not a string, and a subscription state that is not a string', () => {
    const account = live({ data_truncated_at: 1_699_335_116, subscriptions: { pro: { state: 1, updated_at: false } } });
    expect(oddLiveValues(EVERY_KIND, account)).toEqual([
      { path: 'data_truncated_at', value: 1_699_335_116, expected: 'a date-time string is expected' },
      { path: 'subscriptions.pro.state', value: 1, expected: 'a string is expected' },
      { path: 'subscriptions.pro.updated_at', value: false, expected: 'a date-time string is expected' },
    ]);
  });

  it('names each odd value in file order, with the value as it is', () => {
    const account = live({ data_retention_in_days: '365 days', features: { firehose: { on: true } } });
    expect(oddLiveValues(EVERY_KIND, account)).toEqual([
      { path: 'data_retention_in_days', value: '365 days', expected: 'a whole number of days is expected' },
      { path: 'features.firehose', value: { on: true }, expected: 'a feature is true or false' },
    ]);
  });

  it('a setting not set live is not odd: it is a change from nothing', () => {
    const account = live({ data_retention_in_days: null, data_truncated_at: null, features: { firehose: null }, subscriptions: {} });
    expect(oddLiveValues(EVERY_KIND, account)).toEqual([]);
  });

  it('looks only at the settings the file manages', () => {
    const account = live({ data_truncated_at: 7, features: { firehose: false, buyer_access: 'yes' } });
    expect(oddLiveValues({ features: { firehose: true } }, account)).toEqual([]);
  });

  it('names a managed container of the wrong kind once, however many settings the file has under it', () => {
    const desired: DesiredState = { features: { firehose: true, buyer_access: false }, subscriptions: { pro: { state: 'active' } } };
    expect(oddLiveValues(desired, live({ features: 'all', subscriptions: [] }))).toEqual([
      { path: 'features', value: 'all', expected: 'an object of features (each true or false) is expected' },
      { path: 'subscriptions', value: [], expected: 'an object of subscriptions by name is expected' },
    ]);
  });

  it('names a managed subscription that is not an object', () => {
    const account = live({ subscriptions: { ...sampleAccount().subscriptions, pro: 'legacy' } });
    expect(oddLiveValues({ subscriptions: { pro: { state: 'active' } } }, account)).toEqual([
      { path: 'subscriptions.pro', value: 'legacy', expected: 'a subscription (an object of its fields) is expected' },
    ]);
  });

  it.each([
    ['features is "all"', { features: 'all' }],
    ['subscriptions is []', { subscriptions: [] }],
    ['subscriptions.partner is "legacy"', { subscriptions: { ...sampleAccount().subscriptions, partner: 'legacy' } }],
  ])('an odd container the file does not manage is not odd (%s)', (_what, overrides) => {
    expect(oddLiveValues({ data_retention_in_days: 400 }, live(overrides))).toEqual([]);
  });

  it('a subscription the file does not manage may be odd while the file manages another', () => {
    const account = live({ subscriptions: { ...sampleAccount().subscriptions, partner: 'legacy' } });
    expect(oddLiveValues({ subscriptions: { pro: { state: 'active' } } }, account)).toEqual([]);
  });
});

describe('sameValue of a date-time that is not a string', () => {
  it('a number is never the same instant as a date-time, even one it would parse to', () => {
    // Date.parse(2023) reads "2023" as 2023-01-01T00:00:00Z.
    expect(sameValue(['data_truncated_at'], 2023, '2023-01-01T00:00:00Z')).toBe(false);
    expect(sameValue(['data_truncated_at'], '2023-01-01T00:00:00Z', 2023)).toBe(false);
    expect(sameValue(['subscriptions', 'pro', 'updated_at'], 2023, '2023-01-01T00:00:00.000Z')).toBe(false);
  });

  it('so a live number where the file sets a date-time is a change', () => {
    expect(planChanges({ data_truncated_at: '2023-01-01T00:00:00Z' }, live({ data_truncated_at: 2023 }))).toEqual([
      expect.objectContaining({ path: 'data_truncated_at', before: 2023, after: '2023-01-01T00:00:00Z' }),
    ]);
  });
});

describe('managedSettings', () => {
  it('a key left undefined (an optional field not set) manages nothing', () => {
    const desired: DesiredState = { data_retention_in_days: undefined, features: { firehose: undefined, buyer_access: true } };
    expect(managedSettings(desired)).toEqual([{ path: ['features', 'buyer_access'], value: true }]);
    expect(planChanges(desired, live({ features: { buyer_access: true } }))).toEqual([]);
  });
});

describe('buildAccountUpdate', () => {
  it('sends both scalar fields when both change, as the file has them', () => {
    const desired: DesiredState = { data_retention_in_days: 30, data_truncated_at: '2024-01-01T02:00:00+02:00' };
    expect(buildAccountUpdate(desired, live(), planChanges(desired, live()))).toStrictEqual({
      data_retention_in_days: 30,
      data_truncated_at: '2024-01-01T02:00:00+02:00',
    });
  });

  it('leaves an odd container the file does not manage out of the body when nothing under it changes', () => {
    const account = live({ features: 'all', subscriptions: [] });
    const desired: DesiredState = { data_retention_in_days: 400 };
    expect(buildAccountUpdate(desired, account, planChanges(desired, account))).toStrictEqual({ data_retention_in_days: 400 });
  });

  it('sends an odd subscription the file does not manage back as LeadConduit gave it, never one built in its place', () => {
    const account = live({ subscriptions: { ...sampleAccount().subscriptions, partner: 'legacy', old: ['x'], gone: null } });
    const desired: DesiredState = { subscriptions: { pro: { state: 'active' } } };
    expect(buildAccountUpdate(desired, account, planChanges(desired, account))).toStrictEqual({
      subscriptions: {
        base: { state: 'active', product_offering_component: 'base' },
        pro: { state: 'active', product_offering_component: 'pro' },
        partner: 'legacy',
        old: ['x'],
      },
    });
  });

  it('sends a live feature that is false, and leaves out only those that are null', () => {
    const account = live({ features: { firehose: false, buyer_access: null, seller_access: true } });
    const desired: DesiredState = { features: { lead_transactions: true } };
    expect(buildAccountUpdate(desired, account, planChanges(desired, account))).toStrictEqual({
      features: { firehose: false, seller_access: true, lead_transactions: true },
    });
  });
});

describe('classifyChanges', () => {
  it('a change the base file does not set is the pull request’s, whatever the live value', () => {
    const changes = planChanges({ features: { firehose: true } }, live());
    expect(classifyChanges(changes, { data_retention_in_days: 365 }).map((c) => c.source)).toEqual(['pull-request']);
    expect(classifyChanges(changes, { features: {} }).map((c) => c.source)).toEqual(['pull-request']);
  });

  it('a change to a value the base file set otherwise is the pull request’s', () => {
    const changes = planChanges({ features: { firehose: true } }, live());
    expect(classifyChanges(changes, { features: { firehose: false } }).map((c) => c.source)).toEqual(['pull-request']);
  });
});

describe('previousState', () => {
  it('has no $schema or id when the file has none', () => {
    expect(previousState({ data_retention_in_days: 30 }, live())).toStrictEqual({ data_retention_in_days: 365 });
  });

  it('keeps the file’s $schema and id in front, as a file would have them', () => {
    const state = previousState({ features: { firehose: true }, id: SAMPLE_ACCOUNT_ID, $schema: './schema.json' }, live());
    expect(Object.keys(state)).toEqual(['$schema', 'id', 'features']);
  });
});
