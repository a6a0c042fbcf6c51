import { nestsDeeperThan } from './json-depth.js';
import {
  FEATURE_NAMES,
  READ_ONLY_FIELDS,
  SUBSCRIPTION_FIELDS,
  SUBSCRIPTION_NAMES,
  SUBSCRIPTION_READ_ONLY_FIELDS,
  SUBSCRIPTION_STATES,
  WRITABLE_FIELDS,
} from './account-schema.js';

const MASK = '***';

const SECRET_WORDS = 'key|secret|token|password|passwd|credential|authorization';

/**
 * A field whose name says it holds a credential: its value is masked wherever it is seen, and so
 * is everything in an object or a list under it. The one rule for answers, files and messages.
 */
export const SECRET_FIELD_NAME = new RegExp(SECRET_WORDS, 'i');

/**
 * How a secret is known. An input (the API key, the GitHub token, a password in base-url) is a
 * secret by definition: masked wherever it appears, unless shorter than 3 characters. A value seen
 * in a secret field of an answer is always masked where it stands (by field), but masked
 * everywhere else, and registered with the runner, only when it could be a credential: not an
 * ordinary value ("true", "null", 1234, a date) nor a word of the account's own vocabulary (a
 * 422's {"key": "data_retention_in_days"}, a "keen_read_api_key" of "inactive"). Matching those
 * everywhere would wreck unrelated output: the changes, the request body, the summary.
 */
export type SecretKind = 'input' | 'field';

/**
 * A credential written as key=value, key: value, key => value, key := value or "key": "value" in
 * free text (an error page, a message inside a JSON answer): group 1, kept, is everything before
 * the value; the value is masked. After "Authorization:" an auth scheme (Bearer, Basic…) is kept
 * and the credential after it masked.
 */
const SECRET_PAIR = new RegExp(
  `((["']?)[\\w.-]*(?:${SECRET_WORDS})[\\w.-]*\\2\\s*(?:=>|:=|[:=])\\s*(?:(?:basic|bearer|digest|token)\\s+)?)("(?:[^"\\\\]|\\\\.)*"|'[^']*'|[^\\s,;&}\\]]+)`,
  'gi',
);

/** The text of an XML or HTML element named like a credential, <api_key>…</api_key>: groups 1 and 3 are kept. */
const SECRET_ELEMENT = new RegExp(`(<([\\w.:-]*(?:${SECRET_WORDS})[\\w.:-]*)(?:\\s[^<>]*)?>)[^<]*(</\\2\\s*>)`, 'gi');

/**
 * Credentials masked where they stand in free text. Not registered: in prose, "key: required"
 * is as likely as a credential, and masking "required" everywhere would wreck the output.
 */
const maskInText = (text: string) =>
  text
    .replace(SECRET_ELEMENT, (_, open: string, _name: string, close: string) => `${open}${MASK}${close}`)
    .replace(SECRET_PAIR, (_, head: string) => `${head}${MASK}`);

const MIN_INPUT = 3;
const MIN_FIELD = 8;
/** Values no credential is: words, numbers, dates, and a value already masked ("***", an answer quoting a masked text). */
const ORDINARY = /^(true|false|null|undefined|none|yes|no|-?\d+(\.\d+)?|\d{4}-\d{2}-\d{2}([T ][\d:.]+(Z|[+-]\d{2}(:?\d{2})?)?)?|\*+)$/i;

/**
 * The account's own words, lower case: every setting, field, feature and subscription name, each
 * setting's dotted path (as the changes name it), and the subscription states. Built once.
 */
const VOCABULARY: ReadonlySet<string> = new Set(
  [
    'id',
    '$schema',
    ...WRITABLE_FIELDS,
    ...READ_ONLY_FIELDS,
    ...FEATURE_NAMES,
    ...FEATURE_NAMES.map((name) => `features.${name}`),
    ...SUBSCRIPTION_NAMES,
    ...SUBSCRIPTION_FIELDS,
    ...SUBSCRIPTION_READ_ONLY_FIELDS,
    ...SUBSCRIPTION_NAMES.flatMap((name) => [`subscriptions.${name}`, ...SUBSCRIPTION_FIELDS.map((field) => `subscriptions.${name}.${field}`)]),
    ...SUBSCRIPTION_STATES,
  ].map((word) => word.toLowerCase()),
);

/** Whether a secret field's value could be a credential, rather than an ordinary value or a word of the account. */
function couldBeCredential(value: string): boolean {
  return !ORDINARY.test(value) && !VOCABULARY.has(value.toLowerCase());
}

/**
 * Holds every secret seen during the run. Each one is registered with the runner (so its log
 * masks it) and scrubbed from every text this action writes itself: the summary file, the outputs
 * file, PR comments and error messages are not masked by the runner. Scrub raw text, before it is
 * cut or escaped: a cut or escaped secret no longer matches.
 */
export class Redactor {
  readonly #secrets = new Set<string>();
  readonly #register: (secret: string) => void;

  /** `register` tells the runner to mask a secret in its log (core.setSecret in the action). */
  constructor(register: (secret: string) => void) {
    this.#register = register;
  }

  add(secret: unknown, kind: SecretKind = 'input'): void {
    if (typeof secret !== 'string') return;
    const value = secret.trim();
    if (value === '' || (kind === 'field' && !couldBeCredential(value))) return;
    // The Basic credential made from it is long and distinctive whatever the key's length.
    this.#remember(Buffer.from(`API:${value}`).toString('base64'));
    if (value.length < (kind === 'input' ? MIN_INPUT : MIN_FIELD)) return;
    this.#remember(value);
    // The same secret as it would appear inside a JSON string or a URL.
    for (const variant of [JSON.stringify(value).slice(1, -1), encodeURIComponent(value)]) this.#secrets.add(variant);
  }

  #remember(value: string): void {
    if (this.#secrets.has(value)) return;
    this.#secrets.add(value);
    this.#register(value);
  }

  /**
   * Every stretch of `text` that any secret covers, overlaps included, becomes one mask: a secret
   * that contains another, or two that overlap, leave no piece of either. Text without a secret
   * (most of it) is returned as it is, with nothing built.
   */
  scrub(text: string): string {
    let spans: [start: number, end: number][] | undefined;
    for (const secret of this.#secrets) {
      for (let at = text.indexOf(secret); at !== -1; at = text.indexOf(secret, at + 1)) (spans ??= []).push([at, at + secret.length]);
    }
    if (!spans) return text;
    spans.sort((a, b) => a[0] - b[0]);
    let result = '';
    let shown = 0;
    let [start, end] = spans[0]!;
    for (const [from, to] of spans) {
      if (from < end) {
        end = Math.max(end, to);
        continue;
      }
      result += `${text.slice(shown, start)}${MASK}`;
      shown = end;
      [start, end] = [from, to];
    }
    return `${result}${text.slice(shown, start)}${MASK}${text.slice(end)}`;
  }

  /** Every string in a plain value (a report, an answer) scrubbed; other values as they are. */
  scrubDeep<T>(value: T): T {
    if (typeof value === 'string') return this.scrub(value) as T;
    if (Array.isArray(value)) return value.map((item: unknown) => this.scrubDeep(item)) as T;
    if (typeof value === 'object' && value !== null && Object.getPrototypeOf(value) === Object.prototype) {
      return Object.fromEntries(Object.entries(value).map(([key, child]) => [key, this.scrubDeep(child)])) as T;
    }
    return value;
  }

  /**
   * Registers every value in a credential field of a parsed answer (an account, an error body): a
   * string or number under a secret-named key, and every one in an object or list under one.
   */
  addSecretFields(value: unknown): void {
    this.#walkSecretFields(value, (leaf) => this.add(String(leaf), 'field'));
  }

  /**
   * The values of credential fields in a JSON text registered and masked by field (an object or a
   * list under a secret-named key leaf by leaf, its shape kept), and credentials written as
   * key=value pairs or <key>…</key> elements in any other text (or in a string of the JSON)
   * masked, before anything reads the text.
   */
  maskSecretFields(text: string): string {
    // Known secrets first, on the raw text: a secret followed by ": " must not read as a key whose
    // value is masked, and a long number is read inexactly (a secret in its digits would no
    // longer match).
    const known = this.scrub(text);
    // JSON nested deeper than any real answer is read as text: walking its value would overflow.
    if (nestsDeeperThan(known)) return this.scrub(maskInText(known));
    let json: unknown;
    try {
      json = JSON.parse(known);
    } catch {
      return this.scrub(maskInText(known));
    }
    // Every credential field is registered before any string is masked, so a field's value quoted
    // in an earlier string is masked whole.
    this.addSecretFields(json);
    const masked = this.#walkSecretFields(
      json,
      () => MASK,
      (string) => maskInText(this.scrub(string)),
    );
    return this.scrub(JSON.stringify(masked));
  }

  /**
   * A copy of a plain value with each string or number under a secret-named key replaced by
   * `secret(leaf)`, and every other string by `other(string)`.
   */
  #walkSecretFields(value: unknown, secret: (leaf: string | number) => unknown, other: (text: string) => unknown = (text) => text): unknown {
    const walk = (node: unknown, inSecret: boolean): unknown => {
      if (typeof node === 'string' || typeof node === 'number') return inSecret ? secret(node) : typeof node === 'string' ? other(node) : node;
      if (Array.isArray(node)) return node.map((item) => walk(item, inSecret));
      if (typeof node !== 'object' || node === null) return node;
      return Object.fromEntries(Object.entries(node).map(([key, child]) => [key, walk(child, inSecret || SECRET_FIELD_NAME.test(key))]));
    };
    return walk(value, false);
  }
}
