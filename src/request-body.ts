/** The body of the one PUT /account, pure: what the plan's changes send, and nothing else. */
import { SUBSCRIPTION_MANAGED_FIELDS, WRITABLE_FIELDS, liveObject, type AccountUpdate, type DesiredState, type LiveAccount } from './account-schema.js';
import { definedOnly, type Change, type Json } from './plan.js';

/**
 * The body of the one PUT /account: only the top-level fields with a change.
 *
 * The reference does not say whether LeadConduit merges a nested object into the old one or
 * replaces it, so a changed nested object is sent whole, right under either:
 * - `features`: every live feature overlaid with the file's, so unmanaged features keep their values.
 * - `subscriptions`: every subscription the account has, each with only its person-managed fields
 *   (state, product_offering_component) overlaid with the file's. An unchanged subscription is sent
 *   because a server that replaces `subscriptions` would delete one left out; it is sent with the
 *   values it already has, so nothing about it changes and LeadConduit has nothing to stamp.
 *   A timestamp is sent only where the file sets it (LeadConduit stamps them itself whatever a
 *   request says, see SUBSCRIPTION_TIMESTAMP_FIELDS).
 *
 * Live values of an odd kind (a subscription that is the string "legacy", features that are
 * "all"): one the file manages, or one on the way to it, stops the plan before this (oddLiveValues).
 * One it does not manage is never rebuilt: a container with no change is not sent at all, and an
 * odd subscription inside a `subscriptions` that must be sent goes back exactly as LeadConduit
 * gave it. Left out, a server that replaces `subscriptions` would delete it; rebuilt (an object of
 * its managed fields), it would be overwritten with something nobody asked for; sent back, it is
 * unchanged under either, and a server that refuses it refuses the whole PUT, changing nothing.
 */
export function buildAccountUpdate(desired: DesiredState, live: LiveAccount, changes: readonly Change[]): AccountUpdate {
  const changed = new Set(changes.map((change) => change.path.split('.')[0]));
  const body: AccountUpdate = {};
  for (const field of WRITABLE_FIELDS) {
    if (!changed.has(field)) continue;
    switch (field) {
      // A field with a change is one the file sets.
      case 'data_retention_in_days':
        body.data_retention_in_days = desired.data_retention_in_days;
        break;
      case 'data_truncated_at':
        body.data_truncated_at = desired.data_truncated_at;
        break;
      case 'features':
        body.features = { ...liveFeatures(live), ...definedOnly(desired.features ?? {}) };
        break;
      case 'subscriptions':
        body.subscriptions = overlaySubscriptions(live, desired.subscriptions ?? {});
        break;
    }
  }
  return body;
}

/** Every live feature as LeadConduit sent it: one of an odd type the file does not manage goes back untouched. */
function liveFeatures(live: LiveAccount): Record<string, Json> {
  const features: Record<string, Json> = {};
  for (const [name, value] of Object.entries(liveObject(live.features) ?? {})) if (value !== null) features[name] = value;
  return features;
}

function overlaySubscriptions(live: LiveAccount, desired: NonNullable<DesiredState['subscriptions']>): Record<string, Json> {
  const result: Record<string, Json> = {};
  const subscriptions = liveObject(live.subscriptions) ?? {};
  const names = new Set([...Object.keys(subscriptions), ...Object.keys(desired)]);
  for (const name of names) {
    const given = subscriptions[name] ?? null;
    const current = liveObject(given);
    const wanted = definedOnly(desired[name as keyof typeof desired] ?? {});
    // An odd one the file does not manage goes back as it came (see buildAccountUpdate).
    if (given !== null && !current) {
      result[name] = given;
      continue;
    }
    // Person-managed fields only: never a timestamp the file does not set, never a read-only id.
    const writable: Record<string, Json> = {};
    for (const field of SUBSCRIPTION_MANAGED_FIELDS) {
      const value = current?.[field];
      if (value !== null && value !== undefined) writable[field] = value;
    }
    // A subscription the account does not have is sent only when the file sets one of its fields:
    // an empty object in the file ("pro": {}) manages nothing and must not create a subscription.
    if (!current && Object.keys(wanted).length === 0) continue;
    result[name] = { ...writable, ...wanted };
  }
  return result;
}
