/**
 * The plan, pure: the changes between the file and the live account, the live values it cannot
 * compare, the read-after-write check, the three-way split and the state to roll back to. The
 * body of the PUT that makes the changes is request-body.ts.
 */
import { isDateTimePath, liveObject, type DesiredState, type LiveAccount } from './account-schema.js';

export type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

/** One setting that differs between the file and the live account. */
export interface Change {
  /** Dotted path, e.g. "features.firehose". */
  path: string;
  /** The live value (null when the account has none). */
  before: Json;
  /** The value in the file. */
  after: Json;
  destructive: boolean;
  /** Why it is destructive, in words for the reader of the PR comment. */
  warning?: string;
  /** On a pull request: whether the PR changes it, or it is a live edit the merge would revert. */
  source?: 'pull-request' | 'drift';
}

export function countChanges(changes: readonly Change[]): { total: number; destructive: number } {
  return { total: changes.length, destructive: changes.filter((c) => c.destructive).length };
}

/** A managed setting: a leaf of the file other than `$schema` and `id`. */
export interface ManagedSetting {
  path: string[];
  value: Json;
}

/** Every leaf setting the file manages, in file order. */
export function managedSettings(desired: DesiredState): ManagedSetting[] {
  const settings: ManagedSetting[] = [];
  const walk = (value: unknown, path: string[]) => {
    if (typeof value === 'object' && value !== null && !Array.isArray(value)) {
      for (const [key, child] of Object.entries(value)) walk(child, [...path, key]);
    } else if (value !== undefined) {
      settings.push({ path, value: value as Json });
    }
  };
  for (const [key, value] of Object.entries(desired)) {
    if (key === '$schema' || key === 'id') continue;
    walk(value, [key]);
  }
  return settings;
}

export function valueAt(root: unknown, path: readonly string[]): Json {
  let current: unknown = root;
  for (const key of path) {
    if (typeof current !== 'object' || current === null) return null;
    current = (current as Record<string, unknown>)[key];
  }
  return current === undefined ? null : (current as Json);
}

/** Equal as settings: date-times compare as instants, so "…56Z" equals "…56.000Z". */
export function sameValue(path: readonly string[], a: Json, b: Json): boolean {
  if (a === b) return true;
  if (isDateTimePath(path) && typeof a === 'string' && typeof b === 'string') {
    const left = Date.parse(a);
    return !Number.isNaN(left) && left === Date.parse(b);
  }
  return false;
}

/** desired + live -> the changes an apply would make, in file order. */
export function planChanges(desired: DesiredState, live: LiveAccount): Change[] {
  const changes: Change[] = [];
  for (const { path, value } of managedSettings(desired)) {
    const before = valueAt(live, path);
    if (sameValue(path, before, value)) continue;
    const key = path.join('.');
    const warning = destructiveWarning(key, before, value);
    changes.push({ path: key, before, after: value, destructive: warning !== undefined, ...(warning ? { warning } : {}) });
  }
  return changes;
}

function destructiveWarning(key: string, before: Json, after: Json): string | undefined {
  if (key === 'data_retention_in_days' && typeof after === 'number') {
    if (typeof before !== 'number') {
      return `sets a retention period of ${after} days where none was set: lead events older than ${after} days are permanently deleted`;
    }
    if (after < before) {
      return `lowers data retention from ${before} to ${after} days: lead events older than ${after} days are permanently deleted`;
    }
  }
  if (key === 'data_truncated_at') {
    return 'moves the data truncation point: lead data before it can be permanently removed';
  }
  return undefined;
}

/**
 * What a live value must be, to be compared with the file's: at a managed setting, its kind; on
 * the way to one (`features`, `subscriptions`, a subscription), an object of named values.
 */
export function expectedKind(path: readonly string[]): { test: (value: Json) => boolean; what: string } {
  const isObject = (v: Json) => liveObject(v) !== undefined;
  if (path.length === 1 && path[0] === 'features') return { test: isObject, what: 'an object of features (each true or false) is expected' };
  if (path.length === 1 && path[0] === 'subscriptions') return { test: isObject, what: 'an object of subscriptions by name is expected' };
  if (path.length === 2 && path[0] === 'subscriptions') return { test: isObject, what: 'a subscription (an object of its fields) is expected' };
  if (path[0] === 'features') return { test: (v) => typeof v === 'boolean', what: 'a feature is true or false' };
  if (path[0] === 'data_retention_in_days') return { test: (v) => Number.isInteger(v), what: 'a whole number of days is expected' };
  return { test: (v) => typeof v === 'string', what: isDateTimePath(path) ? 'a date-time string is expected' : 'a string is expected' };
}

/**
 * Live values the file's settings cannot be compared with: a managed setting not of its kind (a
 * feature that is the string "yes"), or a container on the way to one that is not an object
 * (`features` that are "all", `subscriptions` that are a list), named once, however many settings
 * the file has beneath it. Each comes with what it is and what was expected. What the file does not
 * manage is not looked at: the plan goes on around it. Null or absent is not odd: not set.
 */
export function oddLiveValues(desired: DesiredState, live: LiveAccount): Array<{ path: string; value: Json; expected: string }> {
  const odd: Array<{ path: string; value: Json; expected: string }> = [];
  const named = new Set<string>();
  for (const { path } of managedSettings(desired)) {
    let parent: Record<string, Json> | undefined = liveObject(live);
    for (let depth = 1; parent && depth <= path.length; depth++) {
      const value = parent[path[depth - 1] ?? ''] ?? null;
      if (value === null) break;
      const at = path.slice(0, depth);
      const kind = expectedKind(at);
      if (!kind.test(value)) {
        const key = at.join('.');
        if (!named.has(key)) odd.push({ path: key, value, expected: kind.what });
        named.add(key);
        break;
      }
      parent = liveObject(value);
    }
  }
  return odd;
}

/** The entries whose value is set. */
export function definedOnly<T>(record: Record<string, T | undefined>): Record<string, T> {
  return Object.fromEntries(Object.entries(record).filter(([, v]) => v !== undefined)) as Record<string, T>;
}

/** A managed setting the account does not hold after the update. */
export interface Mismatch {
  path: string;
  expected: Json;
  actual: Json;
}

/** After the PUT: every managed setting must now equal the file. */
export function verifyAccount(desired: DesiredState, account: LiveAccount): Mismatch[] {
  const mismatches: Mismatch[] = [];
  for (const { path, value } of managedSettings(desired)) {
    const actual = valueAt(account, path);
    if (!sameValue(path, actual, value)) mismatches.push({ path: path.join('.'), expected: value, actual });
  }
  return mismatches;
}

/**
 * Three-way plan: a change the pull request makes (the file's value differs from the base
 * branch's) versus a live edit outside the file that any apply would revert.
 */
export function classifyChanges(changes: readonly Change[], base: DesiredState | undefined): Change[] {
  return changes.map((change) => {
    const path = change.path.split('.');
    // Without a base file, or where it does not set the value, valueAt is null, which no file value is.
    const unchangedByPr = sameValue(path, valueAt(base, path), change.after);
    return { ...change, source: unchangedByPr ? 'drift' : 'pull-request' };
  });
}

/** The managed settings as they are live: a desired-state file that would put them back. */
export function previousState(desired: DesiredState, live: LiveAccount): Record<string, unknown> {
  const result: Record<string, unknown> = definedOnly({ $schema: desired.$schema, id: desired.id });
  for (const { path } of managedSettings(desired)) {
    const value = valueAt(live, path);
    if (value === null) continue; // not set live: nothing to put back
    let target = result;
    for (const key of path.slice(0, -1)) {
      target[key] ??= {};
      target = target[key] as Record<string, unknown>;
    }
    target[path[path.length - 1] ?? ''] = value;
  }
  return result;
}
