/** "1 change", "3 changes": one counting style for every message, summary and comment. */
export function plural(n: number, one: string, many = `${one}s`): string {
  return `${n} ${n === 1 ? one : many}`;
}

/** "512 KB", "1.5 MB": sizes as a person reads them. */
export function formatBytes(bytes: number): string {
  return bytes >= 1024 * 1024 ? `${(bytes / 1024 / 1024).toFixed(1)} MB` : `${Math.ceil(bytes / 1024)} KB`;
}

/**
 * Text cut to `max` characters with an ellipsis. Cut raw, before escaping (an escape is never cut in
 * half), and only text already scrubbed of secrets (a cut secret no longer matches).
 */
export function cut(text: string, max: number): string {
  return text.length > max ? `${text.slice(0, Math.max(1, max - 1))}…` : text;
}

/**
 * A value's type in words, and the value itself when short: `the string "yes"`, `a number (7)`.
 * The value is scrubbed raw (`scrub`, the run's Redactor), then cut, then quoted.
 */
export function describeJsonValue(value: unknown, scrub: (text: string) => string): string {
  if (value === undefined) return 'missing';
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'a list';
  if (typeof value === 'object') return 'an object';
  if (typeof value === 'string') return `the string ${JSON.stringify(cut(scrub(value), 38))}`;
  const short = cut(scrub(JSON.stringify(value) ?? typeof value), 40);
  return `${typeof value === 'number' ? 'a number' : typeof value === 'boolean' ? 'a boolean' : typeof value} (${short})`;
}

/** A time as people read it in a comment: "2025-06-02 14:05 UTC". */
export function formatTime(date: Date): string {
  const iso = date.toISOString();
  return `${iso.slice(0, 10)} ${iso.slice(11, 16)} UTC`;
}
