/**
 * Example-based unit tests of src/plan.ts. The random counterparts are in properties.test.ts.
 */
import { describe, expect, it } from 'vitest';
import { SUBSCRIPTION_TIMESTAMP_FIELDS, type DesiredState, type LiveAccount } from '../src/account-schema.js';
import { classifyChanges, managedSettings, planChanges, previousState, sameValue, valueAt, verifyAccount, type Change } from '../src/plan.js';
import { buildAccountUpdate } from '../src/request-body.js';
import { SAMPLE_ACCOUNT_ID, sampleAccount } from './support/sample-account.js';

/** The sample account as the action sees it (secrets are dropped by the client). */
function live(overrides: Record<string, unknown> = {}): LiveAccount {
  const { api_key: _a, keen_read_api_key: _r, keen_write_api_key: _w, ...account } = sampleAccount();
  return structuredClone({ ...account, ...overrides }) as LiveAccount;
}

const plan = (desired: DesiredState, account: LiveAccount = live()) => planChanges(desired, account);
const paths = (changes: readonly Change[]) => changes.map((c) => c.path);

describe('managedSettings', () => {
  it('lists the leaves of the file in file order, without $schema and id', () => {
    const desired: DesiredState = {
      $schema: './schema.json',
      id: SAMPLE_ACCOUNT_ID,
      subscriptions: { pro: { state: 'active', product_offering_component: 'pro' } },
      data_retention_in_days: 400,
      features: { firehose: true, buyer_access: false },
    };
    expect(managedSettings(desired)).toEqual([
      { path: ['subscriptions', 'pro', 'state'], value: 'active' },
      { path: ['subscriptions', 'pro', 'product_offering_component'], value: 'pro' },
      { path: ['data_retention_in_days'], value: 400 },
      { path: ['features', 'firehose'], value: true },
      { path: ['features', 'buyer_access'], value: false },
    ]);
  });

  it('manages nothing for empty objects', () => {
    expect(managedSettings({ features: {}, subscriptions: { pro: {} } })).toEqual([]);
  });
});

describe('valueAt', () => {
  it('answers null for anything not set', () => {
    const account = live({ data_truncated_at: null });
    expect(valueAt(account, ['data_truncated_at'])).toBeNull();
    expect(valueAt(account, ['subscriptions', 'partner', 'state'])).toBeNull();
    expect(valueAt(account, ['features', 'not_a_feature'])).toBeNull();
    expect(valueAt(live({ features: null }), ['features', 'firehose'])).toBeNull();
    expect(valueAt(account, ['subscriptions', 'pro', 'state'])).toBe('inactive');
  });
});

describe('date-times compare as instants', () => {
  const live0 = live({ data_truncated_at: '2023-11-07T05:31:56Z' });

  it.each([
    '2023-11-07T05:31:56Z',
    '2023-11-07T05:31:56.000Z',
    '2023-11-07T05:31:56.000000Z',
    '2023-11-07T05:31:56+00:00',
    '2023-11-07T05:31:56-00:00',
    '2023-11-07T07:31:56+02:00',
    '2023-11-07T00:31:56-05:00',
    '2023-11-07T11:01:56.0+05:30',
  ])('%s is the live 2023-11-07T05:31:56Z: no change', (value) => {
    expect(plan({ data_truncated_at: value }, live0)).toEqual([]);
    expect(sameValue(['data_truncated_at'], '2023-11-07T05:31:56Z', value)).toBe(true);
  });

  it('a different instant is a change, shown as written', () => {
    expect(plan({ data_truncated_at: '2023-11-07T05:31:57+00:00' }, live0)).toEqual([
      expect.objectContaining({ path: 'data_truncated_at', before: '2023-11-07T05:31:56Z', after: '2023-11-07T05:31:57+00:00' }),
    ]);
    expect(sameValue(['data_truncated_at'], '2023-11-07T05:31:56Z', '2023-11-07T05:31:56.001Z')).toBe(false);
  });

  it('does not apply to other strings', () => {
    expect(sameValue(['subscriptions', 'pro', 'state'], '2023-11-07T05:31:56Z', '2023-11-07T05:31:56.000Z')).toBe(false);
    expect(sameValue(['subscriptions', 'pro', 'product_offering_component'], 'pro', 'pro')).toBe(true);
    expect(paths(plan({ subscriptions: { pro: { state: 'Inactive' } } }))).toEqual(['subscriptions.pro.state']);
  });

  it('a live value that is not a date-time differs from every file value', () => {
    expect(sameValue(['data_truncated_at'], 'yesterday', '2023-11-07T05:31:56Z')).toBe(false);
    expect(paths(plan({ data_truncated_at: '2023-11-07T05:31:56Z' }, live({ data_truncated_at: 'not a date' })))).toEqual(['data_truncated_at']);
  });
});

describe('planChanges', () => {
  it('lists only differing managed settings, in file order, with the live value as before (null when not set)', () => {
    const changes = plan({
      subscriptions: { partner: { state: 'active' }, pro: { state: 'inactive' } },
      features: { firehose: true, seller_access: true },
      data_retention_in_days: 365,
    });
    expect(changes).toEqual([
      { path: 'subscriptions.partner.state', before: null, after: 'active', destructive: false },
      { path: 'features.firehose', before: false, after: true, destructive: false },
    ]);
  });

  it('plans nothing when the account matches', () => {
    expect(plan({ data_retention_in_days: 365, features: { firehose: false }, subscriptions: { base: { state: 'active' } } })).toEqual([]);
  });

  it('a feature the account does not report is a change from null', () => {
    const account = live({ features: { firehose: true } });
    expect(plan({ features: { buyer_access: false } }, account)).toEqual([{ path: 'features.buyer_access', before: null, after: false, destructive: false }]);
  });
});

describe('destructive changes', () => {
  const one = (desired: DesiredState, account = live()) => {
    const changes = plan(desired, account);
    expect(changes).toHaveLength(1);
    return changes[0]!;
  };

  it('lowering retention is destructive', () => {
    const change = one({ data_retention_in_days: 30 });
    expect(change).toMatchObject({ path: 'data_retention_in_days', before: 365, after: 30, destructive: true });
    expect(change.warning).toBe('lowers data retention from 365 to 30 days: lead events older than 30 days are permanently deleted');
  });

  it('lowering retention by one day is destructive', () => {
    expect(one({ data_retention_in_days: 364 }).destructive).toBe(true);
  });

  it('setting retention where none was set is destructive', () => {
    for (const account of [live({ data_retention_in_days: null }), live({ data_retention_in_days: undefined })]) {
      const change = one({ data_retention_in_days: 36_500 }, account);
      expect(change).toMatchObject({ before: null, after: 36_500, destructive: true });
      expect(change.warning).toContain('where none was set');
    }
  });

  it('raising retention is not destructive', () => {
    const change = one({ data_retention_in_days: 366 });
    expect(change).toEqual({ path: 'data_retention_in_days', before: 365, after: 366, destructive: false });
    expect(change).not.toHaveProperty('warning');
  });

  it.each([
    ['later', '2024-01-01T00:00:00Z'],
    ['earlier', '2020-01-01T00:00:00Z'],
  ])('moving data_truncated_at %s is destructive', (_, value) => {
    const change = one({ data_truncated_at: value });
    expect(change).toMatchObject({ path: 'data_truncated_at', destructive: true });
    expect(change.warning).toBe('moves the data truncation point: lead data before it can be permanently removed');
  });

  it('setting data_truncated_at where none was set is destructive', () => {
    expect(one({ data_truncated_at: '2024-01-01T00:00:00Z' }, live({ data_truncated_at: null }))).toMatchObject({ before: null, destructive: true });
  });

  it('features and subscriptions are never destructive', () => {
    const changes = plan({
      features: { seller_access: false, firehose: true },
      subscriptions: { base: { state: 'inactive', product_offering_component: 'base-2024' } },
    });
    expect(changes).toHaveLength(4);
    expect(changes.every((c) => !c.destructive && c.warning === undefined)).toBe(true);
  });
});

describe('buildAccountUpdate', () => {
  const body = (desired: DesiredState, account = live()) => buildAccountUpdate(desired, account, planChanges(desired, account));

  it('is empty when nothing changes', () => {
    expect(body({ data_retention_in_days: 365, features: { firehose: false } })).toEqual({});
  });

  it('has only the top-level fields with a change, even when the file manages others', () => {
    expect(body({ data_retention_in_days: 400, data_truncated_at: '2023-11-07T05:31:56.000Z', features: { firehose: false } })).toEqual({
      data_retention_in_days: 400,
    });
  });

  it('sends data_truncated_at as the file spells it', () => {
    expect(body({ data_truncated_at: '2024-01-01T02:00:00+02:00' })).toEqual({ data_truncated_at: '2024-01-01T02:00:00+02:00' });
  });

  it('overlays the file on every live feature, unknown ones included, dropping nulls', () => {
    const account = live({ features: { ...sampleAccount().features, lead_scoring_beta: true, real_time_bidding: null } });
    expect(body({ features: { firehose: true } }, account)).toEqual({
      features: {
        seller_access: true,
        buyer_access: true,
        lead_transactions: true,
        conversion_feedback: false,
        firehose: true,
        third_party_add_on_services: true,
        leadconduit_trustedform_decisions: false,
        lead_scoring_beta: true,
      },
    });
  });

  it('sends every live subscription with only its person-managed fields: no timestamps, no read-only ids', () => {
    // base is unchanged but sent, so a server that replaces `subscriptions` keeps it; as it is, so nothing about it changes.
    expect(body({ subscriptions: { pro: { state: 'active' } } })).toEqual({
      subscriptions: {
        base: { state: 'active', product_offering_component: 'base' },
        pro: { state: 'active', product_offering_component: 'pro' },
      },
    });
  });

  it('sends a timestamp only where the file sets it, and only in that subscription', () => {
    const update = body({ subscriptions: { pro: { state: 'active', updated_at: '2031-01-01T00:00:00Z' } } });
    expect(update.subscriptions).toEqual({
      base: { state: 'active', product_offering_component: 'base' },
      pro: { state: 'active', product_offering_component: 'pro', updated_at: '2031-01-01T00:00:00Z' },
    });
  });

  it('never sends a server-maintained timestamp the file does not set, whatever the live account holds', () => {
    const account = live();
    const update = body({ data_retention_in_days: 400, features: { firehose: true }, subscriptions: { base: { state: 'inactive' } } }, account);
    const sent = JSON.stringify(update);
    for (const field of SUBSCRIPTION_TIMESTAMP_FIELDS) expect(sent).not.toContain(field);
    expect(sent).not.toContain('product_offering_id');
    expect(Object.keys(update.subscriptions ?? {})).toEqual(['base', 'pro']);
  });

  it('leaves subscriptions out entirely when none changes', () => {
    expect(body({ data_retention_in_days: 400, subscriptions: { base: { state: 'active' } } })).toEqual({ data_retention_in_days: 400 });
  });

  it('creates a subscription the account does not have with only the file’s fields', () => {
    const update = body({ subscriptions: { partner: { state: 'active', product_offering_component: 'partner' } } });
    expect(update.subscriptions?.partner).toEqual({ state: 'active', product_offering_component: 'partner' });
    expect(Object.keys(update.subscriptions ?? {})).toEqual(['base', 'pro', 'partner']);
  });

  it('does not create a subscription for an empty object in the file (regression)', () => {
    // "partner": {} manages nothing; sending it would create an empty subscription.
    const update = body({ subscriptions: { partner: {}, pro: { state: 'active' } } });
    expect(Object.keys(update.subscriptions ?? {})).toEqual(['base', 'pro']);
    const none = body({ subscriptions: { partner: {}, pro: { state: 'active' } } }, live({ subscriptions: {} }));
    expect(none).toEqual({ subscriptions: { pro: { state: 'active' } } });
  });

  it('keeps an existing subscription the file lists empty', () => {
    const update = body({ subscriptions: { base: {}, pro: { state: 'active' } } });
    expect(update.subscriptions?.base).toMatchObject({ state: 'active', product_offering_component: 'base' });
  });

  it('handles an account without features or subscriptions', () => {
    const account = live({ features: null, subscriptions: null });
    expect(body({ features: { firehose: true }, subscriptions: { pro: { state: 'active' } } }, account)).toEqual({
      features: { firehose: true },
      subscriptions: { pro: { state: 'active' } },
    });
  });
});

describe('classifyChanges', () => {
  const changes = plan({
    data_retention_in_days: 400,
    features: { firehose: true },
    data_truncated_at: '2024-01-01T00:00:00Z',
    subscriptions: { pro: { state: 'active' } },
  });

  it('without a file on the base branch, every change is the pull request’s', () => {
    expect(classifyChanges(changes, undefined).map((c) => c.source)).toEqual(['pull-request', 'pull-request', 'pull-request', 'pull-request']);
  });

  it('a value the base branch already had is drift (a live edit the merge reverts); a new or changed value is the pull request’s', () => {
    const base: DesiredState = {
      data_retention_in_days: 365, // the PR changes it
      features: { firehose: true }, // unchanged by the PR: live was edited
      data_truncated_at: '2024-01-01T01:00:00+01:00', // the same instant, spelled differently
      // subscriptions.pro.state: not in the base file, the PR adds it
    };
    expect(classifyChanges(changes, base).map((c) => [c.path, c.source])).toEqual([
      ['data_retention_in_days', 'pull-request'],
      ['features.firehose', 'drift'],
      ['data_truncated_at', 'drift'],
      ['subscriptions.pro.state', 'pull-request'],
    ]);
  });

  it('keeps everything else of each change', () => {
    const [first] = classifyChanges(changes, {});
    expect(first).toEqual({ ...changes[0], source: 'pull-request' });
  });
});

describe('verifyAccount', () => {
  it('finds no mismatch when the account holds every managed setting (date-times as instants)', () => {
    const account = live({ data_truncated_at: '2023-11-07T05:31:56.000Z' });
    expect(verifyAccount({ data_truncated_at: '2023-11-07T06:31:56+01:00', data_retention_in_days: 365, features: { firehose: false } }, account)).toEqual([]);
  });

  it('lists each managed setting the account does not hold, with what it holds (null when not set)', () => {
    const desired: DesiredState = {
      data_retention_in_days: 400,
      features: { firehose: true, buyer_access: true },
      subscriptions: { partner: { state: 'active' } },
    };
    expect(verifyAccount(desired, live())).toEqual([
      { path: 'data_retention_in_days', expected: 400, actual: 365 },
      { path: 'features.firehose', expected: true, actual: false },
      { path: 'subscriptions.partner.state', expected: 'active', actual: null },
    ]);
  });

  it('ignores settings the file does not manage', () => {
    expect(verifyAccount({ features: { firehose: false } }, live({ data_retention_in_days: 1, features: { firehose: false } }))).toEqual([]);
  });
});

describe('previousState', () => {
  it('holds the live values of exactly the managed settings, keeping $schema and id, skipping what is not set', () => {
    const desired: DesiredState = {
      $schema: './schema.json',
      id: SAMPLE_ACCOUNT_ID,
      data_retention_in_days: 30,
      features: { firehose: true },
      subscriptions: { pro: { state: 'active', product_offering_component: 'pro-2024' }, partner: { state: 'active' } },
    };
    expect(previousState(desired, live())).toEqual({
      $schema: './schema.json',
      id: SAMPLE_ACCOUNT_ID,
      data_retention_in_days: 365,
      features: { firehose: false },
      subscriptions: { pro: { state: 'inactive', product_offering_component: 'pro' } },
    });
  });

  it('applied back, plans the reverse of the changes', () => {
    const desired: DesiredState = { data_retention_in_days: 400, features: { firehose: true } };
    const before = live();
    const after = live({ data_retention_in_days: 400, features: { ...sampleAccount().features, firehose: true } });
    const back = planChanges(previousState(desired, before), after);
    expect(back.map(({ path, before: b, after: a }) => [path, b, a])).toEqual(
      planChanges(desired, before).map(({ path, before: b, after: a }) => [path, a, b]),
    );
  });
});
