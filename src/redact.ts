const MASK = '***';

/** A field whose name says it holds a credential: its value is masked wherever it is seen. */
export const SECRET_FIELD_NAME = /key|secret|token|password|passwd|credential|authorization/i;

/**
 * How a secret is known. An input (the API key, the GitHub token, a password in base-url) is a
 * secret by definition: masked wherever it appears, unless shorter than 3 characters. A value seen
 * in a secret field of an answer is masked by string only when it could not be an ordinary word
 * or value ("true", "null", 1234): matching those everywhere would wreck unrelated output, and
 * they are dropped from the account where they stand anyway.
 */
export type SecretKind = 'input' | 'field';

/**
 * A credential written as key=value, key: value or "key": "value" in free text (an error page, a
 * message inside a JSON answer): group 1, kept, is everything before the value; the value is
 * masked. After "Authorization:" an auth scheme (Bearer, Basic…) is kept and the credential after
 * it masked.
 */
const SECRET_PAIR =
  /((["']?)[\w.-]*(?:key|secret|token|password|passwd|credential|authorization)[\w.-]*\2\s*[:=]\s*(?:(?:basic|bearer|digest|token)\s+)?)("(?:[^"\\]|\\.)*"|'[^']*'|[^\s,;&}\]]+)/gi;

const maskPairs = (text: string) => text.replace(SECRET_PAIR, (_, head: string) => `${head}${MASK}`);

const MIN_INPUT = 3;
const MIN_FIELD = 8;
const ORDINARY = /^(true|false|null|undefined|none|yes|no|-?\d+(\.\d+)?)$/i;

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
    if (value === '') return;
    // The Basic credential made from it is long and distinctive whatever the key's length.
    this.#remember(Buffer.from(`API:${value}`).toString('base64'));
    if (value.length < (kind === 'input' ? MIN_INPUT : MIN_FIELD) || (kind === 'field' && ORDINARY.test(value))) return;
    this.#remember(value);
    // The same secret as it would appear inside a JSON string or a URL.
    for (const variant of [JSON.stringify(value).slice(1, -1), encodeURIComponent(value)]) this.#secrets.add(variant);
  }

  #remember(value: string): void {
    if (this.#secrets.has(value)) return;
    this.#secrets.add(value);
    this.#register(value);
  }

  scrub(text: string): string {
    let result = text;
    // Longest first, so a secret that contains another is replaced whole.
    for (const secret of [...this.#secrets].sort((a, b) => b.length - a.length)) {
      result = result.split(secret).join(MASK);
    }
    return result;
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
   * The values of credential fields in a JSON text registered and masked by field, and credentials
   * written as key=value pairs in any other text (or in a string of the JSON) masked, before
   * anything reads the text.
   */
  maskSecretFields(text: string): string {
    let json: unknown;
    try {
      json = JSON.parse(text);
    } catch {
      // Known secrets first: a secret followed by ": " must not read as a key whose value is masked.
      return this.scrub(maskPairs(this.scrub(text)));
    }
    // Two passes: every credential field is registered before any string is masked, so a field's
    // value quoted in an earlier string is masked whole.
    const walk = (value: unknown, mask: boolean): unknown => {
      if (typeof value === 'string') return mask ? maskPairs(this.scrub(value)) : value;
      if (Array.isArray(value)) return value.map((item) => walk(item, mask));
      if (typeof value !== 'object' || value === null) return value;
      return Object.fromEntries(
        Object.entries(value).map(([key, child]) => {
          if (!SECRET_FIELD_NAME.test(key) || (typeof child !== 'string' && typeof child !== 'number')) return [key, walk(child, mask)];
          this.add(String(child), 'field');
          return [key, MASK];
        }),
      );
    };
    walk(json, false);
    return this.scrub(JSON.stringify(walk(json, true)));
  }
}
