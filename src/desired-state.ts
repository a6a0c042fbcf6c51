import { parse as parseTolerant } from 'jsonc-parser';
import type { $ZodIssue } from 'zod/v4/core';
import {
  FEATURE_NAMES,
  READ_ONLY_FIELDS,
  SECRET_FIELDS,
  SUBSCRIPTION_FIELDS,
  SUBSCRIPTION_NAMES,
  SUBSCRIPTION_READ_ONLY_FIELDS,
  SUBSCRIPTION_TIMESTAMP_FIELDS,
  desiredStateSchema,
  isDateTimePath,
  type DesiredState,
} from './account-schema.js';
import { JsonSource, type Position } from './json-source.js';
import { formatBytes } from './wording.js';

/** One thing wrong with the file, where it is, and what to do. */
export interface Problem extends Position {
  /** Dotted JSON path of the offending key ('' for the whole file). */
  path: string;
  message: string;
}

export interface DesiredStateFile {
  /** The file as written in the workflow, relative to the workspace: used in annotations. */
  file: string;
  text: string;
  source: JsonSource;
  state: DesiredState;
  /** What a valid file holds that it had better not (a timestamp LeadConduit sets itself). */
  warnings: Problem[];
}

/** A failed parse: the first problems (at most MAX_PROBLEMS), and how many there are in all. */
export type ParseResult = { ok: true; desired: DesiredStateFile } | { ok: false; problems: Problem[]; total: number };

/**
 * Problems shown at most: a file of syntax errors can have tens of thousands, and GitHub shows only
 * the first annotations of a step anyway. The count of the rest is always said.
 */
export const MAX_PROBLEMS = 50;

/** A desired-state file holds a handful of settings; anything this large is a mistake. */
export const MAX_FILE_BYTES = 1024 * 1024;

const TOP_LEVEL_KEYS = ['$schema', 'id', 'data_retention_in_days', 'data_truncated_at', 'features', 'subscriptions'];

/**
 * Parse and validate the bytes of a desired-state file. Pure: every problem is collected and
 * returned with its line and column (the first MAX_PROBLEMS, with their total); nothing stops at
 * the first. `size` is the file's size where only its start was read (a file over the limit).
 */
export function parseDesiredState(bytes: Uint8Array, file: string, size = bytes.length): ParseResult {
  const fail = (problems: Problem[]): ParseResult => ({ ok: false, problems: problems.slice(0, MAX_PROBLEMS), total: problems.length });
  const at = (message: string, position: Position = { line: 1, column: 1 }, path = ''): Problem => ({ path, message, ...position });

  if (size > MAX_FILE_BYTES) {
    return fail([
      at(
        `the file is ${formatBytes(size)} (${size.toLocaleString('en-US')} bytes); a desired-state file holds a few settings and must be at most ${formatBytes(MAX_FILE_BYTES)} (${MAX_FILE_BYTES.toLocaleString('en-US')} bytes). Is this the right file?`,
      ),
    ]);
  }
  if ((bytes[0] === 0xff && bytes[1] === 0xfe) || (bytes[0] === 0xfe && bytes[1] === 0xff)) {
    return fail([at("the file is saved as UTF-16 (as Windows PowerShell's > and Out-File do by default); save it as UTF-8 without BOM")]);
  }
  if (bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf) {
    return fail([at('the file starts with a byte order mark (BOM); save it as UTF-8 without BOM')]);
  }
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    const lenient = new TextDecoder('utf-8').decode(bytes);
    const offset = Math.max(0, lenient.indexOf('\uFFFD'));
    return fail([
      at(
        'the file is not valid UTF-8 text: this character was saved in another encoding (such as Windows-1252 or Latin-1); save the file as UTF-8',
        new JsonSource(lenient).position(offset),
      ),
    ]);
  }
  if (text.trim() === '') {
    const what = text === '' ? 'the file is empty' : 'the file holds only white space';
    return fail([at(`${what}; it must hold a JSON object such as {"data_retention_in_days": 365}`)]);
  }

  const source = new JsonSource(text, { secretKeys: SECRET_FIELDS });
  if (source.syntaxProblems.length > 0) {
    // Each message says what is wrong with the JSON in words; the annotation's title names the file.
    return fail(source.syntaxProblems.map((p) => at(p.message, { line: p.line, column: p.column })));
  }
  const value = source.value();
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    const kind = Array.isArray(value) ? 'an array' : describeValue(value);
    return fail([at(`the file must hold one JSON object ({ ... }) at the top level, not ${kind}`, source.locate([]))]);
  }

  const problems: Problem[] = [];
  for (const duplicate of source.duplicateKeys()) {
    const where = [...duplicate.path, duplicate.key].join('.');
    const { first, again } = duplicate;
    const lines =
      first.line === again.line
        ? `first at line ${first.line}, column ${first.column}, again at column ${again.column}`
        : `first at line ${first.line}, again at line ${again.line}`;
    problems.push(at(`duplicate key "${duplicate.key}" (${lines}); JSON keeps only the last one, so remove one of them`, duplicate.again, where));
  }

  const retention = source.node(['data_retention_in_days']);
  if (retention?.type === 'number' && Number.isInteger(retention.value) && !/^-?\d+$/.test(source.raw(retention))) {
    problems.push(
      at(
        `data_retention_in_days must be written as a plain whole number (e.g. ${String(retention.value)}), not ${source.raw(retention)}`,
        source.locate(['data_retention_in_days']),
        'data_retention_in_days',
      ),
    );
  }

  const parsed = desiredStateSchema.safeParse(value, { reportInput: true });
  if (!parsed.success) {
    for (const issue of parsed.error.issues) problems.push(...describeIssue(issue, source));
  }

  if (problems.length > 0) {
    problems.sort((a, b) => a.line - b.line || a.column - b.column);
    return fail(problems);
  }
  const state = parsed.data as DesiredState;
  return { ok: true, desired: { file, text, source, state, warnings: timestampWarnings(state, source) } };
}

/**
 * Values in the file that must be masked even though they are errors (a committed api_key).
 * Parsed tolerantly, so a file with a syntax error elsewhere still has its secrets found.
 */
export function secretsInFile(text: string): string[] {
  let value: unknown;
  try {
    value = parseTolerant(text, [], { allowTrailingComma: true, disallowComments: false });
  } catch {
    return []; // nested too deep for the parser: such a file holds no top-level key to mask
  }
  if (typeof value !== 'object' || value === null) return [];
  const record = value as Record<string, unknown>;
  return SECRET_FIELDS.map((field) => record[field]).filter((v): v is string => typeof v === 'string');
}

function describeIssue(issue: $ZodIssue, source: JsonSource): Problem[] {
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
        return [problem(`${dotted} must be a whole number of days without quotes or units (e.g. 365), not ${describeValue(input)}`)];
      }
      if (issue.expected === 'boolean') {
        if (input === 'true' || input === 'false') {
          return [problem(`${dotted} must be true or false, not the string ${JSON.stringify(input)}; remove the quotes`)];
        }
        return [problem(`${dotted} must be true or false, not ${describeValue(input)}`)];
      }
      if (issue.expected === 'object') {
        const example = path[0] === 'features' ? '{"firehose": true}' : path.length === 1 ? '{"pro": {"state": "active"}}' : '{"state": "active"}';
        return [problem(`${dotted} must be an object such as ${example}, not ${describeValue(input)}`)];
      }
      if (issue.expected === 'string' && dotted === 'id') {
        return [
          problem(`id must be the account's 24-character hexadecimal id in double quotes (e.g. "5fd4371e940df5a34a3888b2"), not ${describeValue(input)}`),
        ];
      }
      if (issue.expected === 'string' && isDateTimePath(path)) {
        return [problem(`${dotted} must be a date-time in double quotes, such as "2023-11-07T05:31:56Z", not ${describeValue(input)}`)];
      }
      if (issue.expected === 'string') {
        return [problem(`${dotted} must be a string in double quotes, not ${describeValue(input)}`)];
      }
      return [problem(`${dotted} must be ${issue.expected}, not ${describeValue(input)}`)];
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

/**
 * A subscription timestamp the file sets: allowed (the API takes it), but LeadConduit stamps it
 * itself, so the file is warned what managing it means.
 */
function timestampWarning(full: string, key: string): string {
  if (key === 'created_at') {
    return `"${full}" is set by LeadConduit when the subscription is created: it is sent only where it differs from the live value, and LeadConduit may keep its own. Remove it unless you mean to manage it.`;
  }
  if (key === 'updated_at') {
    return `"${full}" is set by LeadConduit on every change of the subscription: after the next change the live value differs from this one (drift), and an apply that changes the subscription fails its final check. Remove it to stop managing it.`;
  }
  return `"${full}" is set by LeadConduit when the subscription's state changes: manage "state" instead, and remove it.`;
}

/** Warnings of a valid file: each subscription timestamp it sets. */
function timestampWarnings(state: DesiredState, source: JsonSource): Problem[] {
  const warnings: Problem[] = [];
  for (const [name, subscription] of Object.entries(state.subscriptions ?? {})) {
    for (const field of SUBSCRIPTION_TIMESTAMP_FIELDS) {
      if (subscription?.[field] === undefined) continue;
      const path = ['subscriptions', name, field];
      warnings.push({ path: path.join('.'), message: timestampWarning(path.join('.'), field), ...source.locate(path) });
    }
  }
  return warnings;
}

function suggest(key: string, candidates: readonly string[], label: string): string {
  const lower = key.toLowerCase().replace(/[-\s]/g, '_');
  let best: string | undefined;
  let bestDistance = Infinity;
  for (const candidate of candidates) {
    const distance = candidate === lower ? 0 : levenshtein(lower, candidate);
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
  if (date.getUTCFullYear() !== Number(year) || date.getUTCMonth() !== Number(month) - 1 || date.getUTCDate() !== Number(day)) {
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

function describeValue(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  if (typeof value === 'string') return `the string ${JSON.stringify(value.length > 40 ? `${value.slice(0, 40)}…` : value)}`;
  if (typeof value === 'object') return 'an object';
  if (value === undefined) return 'nothing';
  return JSON.stringify(value) ?? typeof value;
}
