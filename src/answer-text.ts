/**
 * What an answer said, in a few words for a message: LeadConduit's own message from an error body,
 * what an unreadable body looks like, a network failure by its code, what is wrong with an
 * answer's shape. Never the whole body: the text is cut, after it was scrubbed of secrets.
 */
import { nestsDeeperThan } from './json-depth.js';
import { describeJsonValue } from './wording.js';

/** What is wrong with the shape of an answer, in words: the field, what it is (scrubbed, then cut), what was expected. */
export function describeShapeIssue(path: readonly PropertyKey[], input: unknown, scrub: (text: string) => string): string {
  const where = path.map(String).join('.');
  // Only the id is checked (liveAccountSchema): anything else is judged by the plan, where it is managed.
  const expected = where === 'id' ? "the account's 24-character hexadecimal id" : path.length === 0 ? 'an account object' : 'another kind of value';
  return `${where || 'the answer'} is ${describeJsonValue(input, scrub)}, where ${expected} is expected`;
}

/** LeadConduit's own message from an error body, short; the whole body never reaches a log. */
export function describeErrorBody(text: string, contentType: string | null): string {
  const trimmed = text.trim();
  if (trimmed === '') return '';
  try {
    // Nested deeper than any real error body: described as text (its message is not looked for).
    const json = nestsDeeperThan(trimmed) ? undefined : (JSON.parse(trimmed) as unknown);
    const message = pickMessage(json);
    if (message) return truncate(message);
  } catch {
    // not JSON: fall through
  }
  if (/html/i.test(contentType ?? '') || /^<(!doctype|html)/i.test(trimmed)) {
    const title = /<title[^>]*>([^<]*)<\/title>/i.exec(trimmed)?.[1]?.trim();
    return `an HTML page${title ? ` titled "${truncate(title, 80)}"` : ''}, not LeadConduit's JSON`;
  }
  return truncate(trimmed.replace(/\s+/g, ' '));
}

export function pickMessage(json: unknown): string | undefined {
  if (typeof json === 'string') return json;
  if (typeof json !== 'object' || json === null) return undefined;
  const record = json as Record<string, unknown>;
  for (const key of ['message', 'error', 'error_description', 'detail', 'errors']) {
    const value = record[key];
    if (typeof value === 'string' && value.trim() !== '') return value.trim();
    if (Array.isArray(value)) {
      const parts = value.map((item) => (typeof item === 'string' ? item : pickMessage(item))).filter(Boolean);
      if (parts.length > 0) return parts.join('; ');
    }
    if (typeof value === 'object' && value !== null) {
      const nested = pickMessage(value);
      if (nested) return nested;
    }
  }
  return undefined;
}

export function describeBody(text: string, contentType: string | null): string {
  if (text.trim() === '') return 'it is empty';
  if (/html/i.test(contentType ?? '') || /^\s*<(!doctype|html)/i.test(text)) return 'it is an HTML page';
  // JSON that stops before its end was cut short on the way (a proxy, a dropped connection).
  const cutShort = /^\s*[[{]/.test(text) && endsEarly(text);
  return `it starts with ${JSON.stringify(text.slice(0, 30))}${cutShort ? ' and is cut short' : ''}`;
}

export function endsEarly(text: string): boolean {
  try {
    JSON.parse(text);
    return false;
  } catch (error) {
    const message = (error as Error).message;
    const position = /position (\d+)/.exec(message)?.[1];
    return /end of (JSON )?(input|data)|Unterminated/i.test(message) || (position !== undefined && Number(position) >= text.trimEnd().length);
  }
}

export function truncate(text: string, max = 300): string {
  return text.length > max ? `${text.slice(0, max)}…` : text;
}

export function networkReason(error: unknown): string {
  const codes: Record<string, string> = {
    ECONNREFUSED: 'connection refused',
    ECONNRESET: 'connection reset',
    ENOTFOUND: 'host not found',
    EAI_AGAIN: 'DNS lookup failed',
    ETIMEDOUT: 'connection timed out',
    EPIPE: 'connection closed',
    UND_ERR_SOCKET: 'connection closed by the server',
    CERT_HAS_EXPIRED: 'the TLS certificate has expired',
    DEPTH_ZERO_SELF_SIGNED_CERT: 'the TLS certificate is self-signed',
  };
  let current: unknown = error;
  for (let depth = 0; depth < 5 && current; depth++) {
    const code = (current as { code?: unknown }).code;
    if (typeof code === 'string') return codes[code] ? `${codes[code]} (${code})` : code;
    current = (current as { cause?: unknown }).cause;
  }
  const message = error instanceof Error ? error.message : String(error);
  return /terminated/i.test(message) ? 'the connection closed before the whole answer arrived' : message;
}
