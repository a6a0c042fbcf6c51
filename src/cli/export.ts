import {
  FEATURE_NAMES,
  SUBSCRIPTION_MANAGED_FIELDS,
  SUBSCRIPTION_NAMES,
  SUBSCRIPTION_TIMESTAMP_FIELDS,
  liveObject,
  type LiveAccount,
} from '../account-schema.js';
import { parseDesiredState } from '../desired-state.js';
import { expectedKind, managedSettings } from '../plan.js';
import { formatStateFile } from '../state-files.js';
import { describeJsonValue } from '../wording.js';

export interface Export {
  /** The desired-state file's text, ready to write. */
  text: string;
  /** Managed settings in it. */
  settings: number;
  /** Live values left out, each with why (a feature this version does not know, a value the schema refuses). */
  skipped: { path: string; reason: string }[];
}

/**
 * A desired-state file holding every setting of the live account a person manages, with its id
 * as a guard: retention, truncation, features, and each subscription's state and product offering
 * component. Only those fields are picked, so no secret, read-only field or timestamp LeadConduit
 * keeps itself (a subscription's created_at, updated_at, active_at, inactive_at) can enter it,
 * unless `includeTimestamps` asks for them; what the schema would refuse is left out (and listed)
 * so the file always validates.
 */
export function exportAccount(
  live: LiveAccount,
  schemaRef: string,
  file: string,
  includeTimestamps = false,
  scrub: (text: string) => string = (text) => text,
): Export {
  const skipped: Export['skipped'] = [];
  const state: Record<string, unknown> = { $schema: schemaRef, id: live.id };

  // Values are copied as they are; one of an odd kind is then left out, and listed, by the
  // schema check below (with the schema's own words for what is wrong with it).
  const present = (value: unknown) => value !== null && value !== undefined;
  if (present(live.data_retention_in_days)) state.data_retention_in_days = live.data_retention_in_days;
  if (present(live.data_truncated_at)) state.data_truncated_at = live.data_truncated_at;
  // A container of the wrong kind (features that are "all") holds nothing to export: listed as such.
  const container = (path: string[], value: unknown) => {
    const object = liveObject(value);
    if (!object && present(value)) skipped.push({ path: path.join('.'), reason: `it is ${describeJsonValue(value, scrub)}, where ${expectedKind(path).what}` });
    return object ?? {};
  };

  const liveFeatures = container(['features'], live.features);
  const features: Record<string, unknown> = {};
  for (const name of FEATURE_NAMES) {
    const on = liveFeatures[name];
    if (present(on)) features[name] = on;
  }
  for (const name of Object.keys(liveFeatures)) {
    if (!(FEATURE_NAMES as readonly string[]).includes(name))
      skipped.push({ path: `features.${name}`, reason: 'a feature this version of the schema does not know' });
  }
  if (Object.keys(features).length > 0) state.features = features;

  const subscriptions: Record<string, Record<string, unknown>> = {};
  for (const [name, given] of Object.entries(container(['subscriptions'], live.subscriptions))) {
    if (!present(given)) continue;
    if (!(SUBSCRIPTION_NAMES as readonly string[]).includes(name)) {
      skipped.push({ path: `subscriptions.${name}`, reason: 'a subscription this version of the schema does not know' });
      continue;
    }
    const subscription = container(['subscriptions', name], given);
    const fields: Record<string, unknown> = {};
    for (const field of includeTimestamps ? [...SUBSCRIPTION_MANAGED_FIELDS, ...SUBSCRIPTION_TIMESTAMP_FIELDS] : SUBSCRIPTION_MANAGED_FIELDS) {
      const value = subscription[field];
      if (present(value)) fields[field] = value;
    }
    if (Object.keys(fields).length > 0) subscriptions[name] = fields;
  }
  if (Object.keys(subscriptions).length > 0) state.subscriptions = subscriptions;

  // The schema has the last word: a live value it refuses (say a date-time without a time zone)
  // is left out rather than written into a file that would not validate.
  for (let round = 0; ; round++) {
    const parsed = parseDesiredState(Buffer.from(formatStateFile(state)), file);
    if (parsed.ok) return { text: parsed.desired.text, settings: managedSettings(parsed.desired.state).length, skipped };
    const removable = parsed.problems.filter((problem) => problem.path !== '' && problem.path !== 'id' && problem.path !== '$schema');
    if (round >= 3 || removable.length !== parsed.problems.length) {
      throw new Error(`the exported file does not validate: ${parsed.problems.map((p) => `${p.path}: ${p.message}`).join('; ')}`);
    }
    for (const problem of removable) {
      removePath(state, problem.path.split('.'));
      skipped.push({ path: problem.path, reason: problem.message });
    }
  }
}

function removePath(root: Record<string, unknown>, path: readonly string[]): void {
  const [head, ...rest] = path;
  if (head === undefined) return;
  if (rest.length === 0) {
    delete root[head];
    return;
  }
  const child = root[head];
  if (typeof child !== 'object' || child === null) return;
  removePath(child as Record<string, unknown>, rest);
  if (Object.keys(child).length === 0) delete root[head];
}
