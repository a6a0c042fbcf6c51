const MASK = '***';

/**
 * Holds every secret seen during the run. Each one is registered with the runner (so its log
 * masks it) and scrubbed from every text this action writes itself: the summary file, the
 * outputs file, PR comments and error messages are not masked by the runner.
 */
export class Redactor {
  readonly #secrets = new Set<string>();
  readonly #register: (secret: string) => void;

  /** `register` tells the runner to mask a secret in its log (core.setSecret in the action). */
  constructor(register: (secret: string) => void) {
    this.#register = register;
  }

  add(secret: unknown): void {
    if (typeof secret !== 'string') return;
    const value = secret.trim();
    // Very short values would scrub ordinary words; no real key is this short.
    if (value.length < 4 || this.#secrets.has(value)) return;
    this.#secrets.add(value);
    this.#register(value);
    // The same secret as it would appear inside a JSON string, a URL or Basic auth.
    for (const variant of [JSON.stringify(value).slice(1, -1), encodeURIComponent(value)]) {
      if (variant !== value) this.#secrets.add(variant);
    }
    this.#secrets.add(Buffer.from(`API:${value}`).toString('base64'));
  }

  scrub(text: string): string {
    if (this.#secrets.size === 0 || text.length === 0) return text;
    let result = text;
    // Longest first, so a secret that contains another is replaced whole.
    for (const secret of [...this.#secrets].sort((a, b) => b.length - a.length)) {
      result = result.split(secret).join(MASK);
    }
    return result;
  }
}
