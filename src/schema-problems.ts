/**
 * What a schema problem says, in words an ops engineer can act on: zod's issues turned into
 * messages that name the setting, what it holds and what it should (with a did-you-mean for an
 * unknown key, and the corrected date-time where one can be made). Pure.
 */
import type { $ZodIssue } from 'zod/v4/core';
import {
  FEATURE_NAMES,
  READ_ONLY_FIELDS,
  SECRET_FIELDS,
  SUBSCRIPTION_FIELDS,
  SUBSCRIPTION_NAMES,
  SUBSCRIPTION_READ_ONLY_FIELDS,
  isDateTimePath,
} from './account-schema.js';
import type { Problem } from './desired-state.js';
import type { JsonSource, Position } from './json-source.js';

const TOP_LEVEL_KEYS = ['$schema', 'id', 'data_retention_in_days', 'data_truncated_at', 'features', 'subscriptions'];

/**
 * One zod issue as problems of the file (an unknown-keys issue is one problem a key), each where
 * it is. `scrub` cleans a value from the file before it is described and cut.
 */
export function describeIssue(issue: $ZodIssue, source: JsonSource, scrub: (text: string) => string = (text) => text): Problem[] {
  const path = issue.path.map(String);
  const dotted = path.join('.');
  const problem = (message: string, at: Position = source.locate(path), where = dotted): Problem => ({ path: where, message, ...at });

  switch (issue.code) {
    case 'unrecognized_keys':
      return issue.keys.map((key) => problem(unknownKeyMessage(path, key), source.locateKey(path, key), [...path, key].join('.')));
    case 'invalid_type': {
      const input = issue.input;
      if (input === null) return [problem(`${dotted} must not be null; remove the key to leave this setting unmanaged`)];
      if (issue.expected === 'int' || issue.expected === 'number') {
        if (typeof input === 'number' && !Number.isFinite(input)) {
          const node = source.node(path);
          return [problem(`${dotted} must be a whole number of days from 1 to 36500, not ${node ? source.raw(node) : String(input)}`)];
        }
        if (typeof input === 'number') return [problem(`${dotted} must be a whole number of days, not ${String(input)}`)];
        if (typeof input === 'string' && /^-?\d+$/.test(input.trim())) {
          return [problem(`${dotted} must be a number, not the string ${JSON.stringify(input)}; remove the quotes`)];
        }
        return [problem(`${dotted} must be a whole number of days without quotes or units (e.g. 365), not ${describeValue(input, scrub)}`)];
      }
      if (issue.expected === 'boolean') {
        if (input === 'true' || input === 'false') {
          return [problem(`${dotted} must be true or false, not the string ${JSON.stringify(input)}; remove the quotes`)];
        }
        return [problem(`${dotted} must be true or false, not ${describeValue(input, scrub)}`)];
      }
      if (issue.expected === 'object') {
        const example = path[0] === 'features' ? '{"firehose": true}' : path.length === 1 ? '{"pro": {"state": "active"}}' : '{"state": "active"}';
        return [problem(`${dotted} must be an object such as ${example}, not ${describeValue(input, scrub)}`)];
      }
      if (issue.expected === 'string' && dotted === 'id') {
        return [
          problem(
            `id must be the account's 24-character hexadecimal id in double quotes (e.g. "5fd4371e940df5a34a3888b2"), not ${describeValue(input, scrub)}`,
          ),
        ];
      }
      if (issue.expected === 'string' && isDateTimePath(path)) {
        return [problem(`${dotted} must be a date-time in double quotes, such as "2023-11-07T05:31:56Z", not ${describeValue(input, scrub)}`)];
      }
      if (issue.expected === 'string') {
        return [problem(`${dotted} must be a string in double quotes, not ${describeValue(input, scrub)}`)];
      }
      return [problem(`${dotted} must be ${issue.expected}, not ${describeValue(input, scrub)}`)];
    }
    case 'invalid_format':
      if (issue.format === 'datetime') return [problem(`${dotted} ${dateTimeProblem(String(issue.input))}`)];
      if (dotted === 'id') {
        return [problem(`id must be the account's 24-character hexadecimal id (e.g. 5fd4371e940df5a34a3888b2), not ${JSON.stringify(issue.input)}`)];
      }
      return [problem(`${dotted} has an invalid format: ${issue.message}`)];
    case 'too_small':
      if (issue.origin === 'string') {
        const example = path.at(-1) === 'state' ? '"active"' : '"pro"';
        return [problem(`${dotted} must not be empty: write a value such as ${example}, or remove the key to leave it unmanaged`)];
      }
      return [problem(`${dotted} must be at least ${String(issue.minimum)}, not ${String(issue.input)}`)];
    case 'too_big':
      if (issue.origin === 'string') return [problem(`${dotted} is too long (at most ${String(issue.maximum)} characters)`)];
      return [problem(`${dotted} must be at most ${String(issue.maximum)}, not ${String(issue.input)}`)];
    default:
      return [problem(`${dotted || 'the file'}: ${issue.message}`)];
  }
}

function unknownKeyMessage(objectPath: readonly string[], key: string): string {
  const full = [...objectPath, key].join('.');
  const depth = objectPath.length;
  if (depth === 0) {
    if ((READ_ONLY_FIELDS as readonly string[]).includes(key)) {
      const secret = (SECRET_FIELDS as readonly string[]).includes(key)
        ? ' It is also a secret: remove it from the repository and rotate it, since it has been committed.'
        : '';
      return `"${key}" is a read-only account field: it cannot be managed through the API. Remove it from the file.${secret}`;
    }
    if ((FEATURE_NAMES as readonly string[]).includes(key)) {
      return `"${key}" is a feature: put it inside "features", e.g. "features": {"${key}": true}`;
    }
    if ((SUBSCRIPTION_NAMES as readonly string[]).includes(key)) {
      return `"${key}" is a subscription: put it inside "subscriptions", e.g. "subscriptions": {"${key}": {"state": "active"}}`;
    }
    return `unknown setting "${key}"${suggest(key, TOP_LEVEL_KEYS, 'allowed top-level keys')}`;
  }
  if (objectPath[0] === 'features') {
    return `unknown feature "${key}" in features${suggest(key, FEATURE_NAMES, 'known features')}`;
  }
  if (depth === 1) {
    if ((SUBSCRIPTION_FIELDS as readonly string[]).includes(key) || (SUBSCRIPTION_READ_ONLY_FIELDS as readonly string[]).includes(key)) {
      return `"${key}" is a subscription field: put it inside a subscription (${SUBSCRIPTION_NAMES.join(', ')}), e.g. "subscriptions": {"pro": {"${key}": ...}}`;
    }
    return `unknown subscription "${key}" in subscriptions${suggest(key, SUBSCRIPTION_NAMES, 'known subscriptions')}`;
  }
  if ((SUBSCRIPTION_READ_ONLY_FIELDS as readonly string[]).includes(key)) {
    return `"${full}" is read-only: it cannot be managed through the API. Remove it from the file.`;
  }
  return `unknown subscription field "${key}" in ${objectPath.join('.')}${suggest(key, SUBSCRIPTION_FIELDS, 'allowed fields')}`;
}

function suggest(key: string, candidates: readonly string[], label: string): string {
  const lower = key.toLowerCase().replace(/[-\s]/g, '_');
  let best: string | undefined;
  let bestDistance = Infinity;
  for (const candidate of candidates) {
    const distance = levenshtein(lower, candidate);
    if (distance < bestDistance) {
      best = candidate;
      bestDistance = distance;
    }
  }
  if (best !== undefined && bestDistance <= Math.max(2, Math.floor(best.length / 4))) return `; did you mean "${best}"?`;
  return `; ${label}: ${candidates.join(', ')}`;
}

function levenshtein(a: string, b: string): number {
  let previous = Array.from({ length: b.length + 1 }, (_, i) => i);
  for (let i = 1; i <= a.length; i++) {
    const current = [i];
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      current[j] = Math.min((previous[j] ?? 0) + 1, (current[j - 1] ?? 0) + 1, (previous[j - 1] ?? 0) + cost);
    }
    previous = current;
  }
  return previous[b.length] ?? 0;
}

/** Why a string is not an ISO 8601 date-time with a time zone, in words, with the fix when there is one. */
export function dateTimeProblem(value: string): string {
  const example = 'e.g. "2023-11-07T05:31:56Z"';
  const generic = `must be an ISO 8601 date-time such as "2023-11-07T05:31:56Z", not ${JSON.stringify(value)}`;
  if (value.trim() !== value && value.trim() !== '') return `must not have spaces around it: write ${JSON.stringify(value.trim())}`;
  const match = /^(\d{4})-(\d{2})-(\d{2})(?:([Tt ])(\d{2}):(\d{2})(?::(\d{2})(\.\d*)?)?)?(Z|z|[+-]\d{2}(?::?\d{2})?)?$/.exec(value);
  if (!match) return generic;
  const [, year = '', month = '', day = '', separator, hour, minute = '', second, fraction, zone] = match;
  const date = new Date(0);
  date.setUTCFullYear(Number(year), Number(month) - 1, Number(day));
  // A day or month that does not exist rolls over into another month: 2023-02-30 is March 2, month 13 next January.
  if (date.getUTCMonth() !== Number(month) - 1) {
    return `is not a real date: ${year}-${month}-${day} does not exist`;
  }
  if (hour === undefined) return `needs a time and a time zone, not only a date (${example})`;
  const time = `${hour}:${minute}${second === undefined ? '' : `:${second}`}`;
  if (Number(hour) > 23 || Number(minute) > 59 || Number(second ?? 0) > 59) {
    return `is not a real time of day: ${time} (hours go up to 23, minutes and seconds up to 59)`;
  }
  if (zone === undefined) return `has no time zone; add Z for UTC or an offset such as +02:00 (${example})`;
  const offset = /^([+-])(\d{2}):?(\d{2})?$/.exec(zone);
  if (offset && (Number(offset[2]) > 23 || Number(offset[3] ?? 0) > 59)) return `has an impossible time zone offset ${zone}`;
  const fixedZone = offset ? `${offset[1] ?? ''}${offset[2] ?? ''}:${offset[3] ?? '00'}` : 'Z';
  const fixed = `${year}-${month}-${day}T${hour}:${minute}:${second ?? '00'}${fraction === '.' ? '' : (fraction ?? '')}${fixedZone}`;
  if (fixed === value) return generic;
  const write = `write ${JSON.stringify(fixed)}`;
  if (separator !== 'T') return `needs a capital T between the date and the time, not ${separator === ' ' ? 'a space' : '"t"'}: ${write}`;
  if (second === undefined) return `needs seconds: ${write}`;
  if (fraction === '.') return `has a decimal point with no digits after it: ${write}`;
  if (zone === 'z') return `needs a capital Z for UTC: ${write}`;
  return `needs its time zone offset written as ±HH:MM (${zone} is not): ${write}`;
}

/** A value from the file in words; a string is scrubbed raw, then cut, then quoted. */
export function describeValue(value: unknown, scrub: (text: string) => string = (text) => text): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  if (typeof value === 'string') {
    const text = scrub(value);
    return `the string ${JSON.stringify(text.length > 40 ? `${text.slice(0, 40)}…` : text)}`;
  }
  if (typeof value === 'object') return 'an object';
  if (value === undefined) return 'nothing';
  return JSON.stringify(value) ?? typeof value;
}
