import { parse as parseTolerant } from 'jsonc-parser';
import { SUBSCRIPTION_TIMESTAMP_FIELDS, desiredStateSchema, type DesiredState } from './account-schema.js';
import { SECRET_FIELD_NAME } from './redact.js';
import { JsonSource, type Position } from './json-source.js';
import { describeIssue, describeValue } from './schema-problems.js';
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

export interface ParseOptions {
  /**
   * Cleans the file's text (the run's Redactor) before a message quotes and cuts it: a secret cut
   * short no longer matches. Without it, messages quote the file as it is.
   */
  scrub?: (text: string) => string;
}

/**
 * Parse and validate the bytes of a desired-state file. Pure: every problem is collected and
 * returned with its line and column (the first MAX_PROBLEMS, with their total); nothing stops at
 * the first. `size` is the file's size where only its start was read (a file over the limit).
 */
export function parseDesiredState(bytes: Uint8Array, file: string, size = bytes.length, options: ParseOptions = {}): ParseResult {
  const scrub = options.scrub ?? ((text: string) => text);
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

  const source = new JsonSource(text, { isSecretKey: (key) => SECRET_FIELD_NAME.test(key), scrub });
  if (source.syntaxProblems.length > 0) {
    // Each message says what is wrong with the JSON in words; the annotation's title names the file.
    return fail(source.syntaxProblems.map((p) => at(p.message, { line: p.line, column: p.column })));
  }
  const value = source.value();
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    const kind = Array.isArray(value) ? 'an array' : describeValue(value, scrub);
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
    for (const issue of parsed.error.issues) problems.push(...describeIssue(issue, source, scrub));
  }

  if (problems.length > 0) {
    problems.sort((a, b) => a.line - b.line || a.column - b.column);
    return fail(problems);
  }
  const state = parsed.data as DesiredState;
  return { ok: true, desired: { file, text, source, state, warnings: timestampWarnings(state, source) } };
}

/**
 * Values in the file that must be masked even though they are errors (a committed api_key): every
 * string under a key SECRET_FIELD_NAME names, at any depth (a number is no credential to mask). Parsed tolerantly, so a
 * file with a syntax error elsewhere still has its secrets found.
 */
export function secretsInFile(text: string): string[] {
  let value: unknown;
  try {
    // jsonc-parser always recovers (trailing commas, comments, a missing comma); its options
    // only choose which errors it reports, and those are not wanted here.
    value = parseTolerant(text);
  } catch {
    return []; // nested too deep for the parser: such a file holds no top-level key to mask
  }
  const secrets: string[] = [];
  // A stack, not recursion: the parser may have read a file thousands of levels deep.
  const pending: Array<[node: unknown, inSecret: boolean]> = [[value, false]];
  for (let next = pending.pop(); next !== undefined; next = pending.pop()) {
    const [node, inSecret] = next;
    if (inSecret && typeof node === 'string') secrets.push(node);
    // Children pushed last first, so the secrets come out in the file's order.
    else if (Array.isArray(node)) for (const item of (node as unknown[]).toReversed()) pending.push([item, inSecret]);
    else if (typeof node === 'object' && node !== null)
      for (const [key, child] of Object.entries(node).reverse()) pending.push([child, inSecret || SECRET_FIELD_NAME.test(key)]);
  }
  return secrets;
}

/**
 * A subscription timestamp the file sets: allowed (the API takes it), but LeadConduit stamps it
 * itself, so the file is warned what managing it means.
 */
function timestampWarning(full: string, key: string): string {
  if (key === 'created_at') {
    return `"${full}" is set by LeadConduit when the subscription is created: the file's value is sent with every update that changes a subscription, even where it equals the live value, and LeadConduit may keep its own. Remove it unless you mean to manage it.`;
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
