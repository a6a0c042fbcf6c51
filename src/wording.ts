/** "1 change", "3 changes": one counting style for every message, summary and comment. */
export function plural(n: number, one: string, many = `${one}s`): string {
  return `${n} ${n === 1 ? one : many}`;
}

/** "512 KB", "1.5 MB": sizes as a person reads them. */
export function formatBytes(bytes: number): string {
  return bytes >= 1024 * 1024 ? `${(bytes / 1024 / 1024).toFixed(1)} MB` : `${Math.ceil(bytes / 1024)} KB`;
}

/** A value's type in words, and the value itself when short: `the string "yes"`, `a number (7)`. */
export function describeJsonValue(value: unknown): string {
  if (value === undefined) return 'missing';
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'a list';
  if (typeof value === 'object') return 'an object';
  const shown = JSON.stringify(value) ?? typeof value;
  const short = shown.length > 40 ? `${shown.slice(0, 39)}…` : shown;
  if (typeof value === 'string') return `the string ${short}`;
  return `${typeof value === 'number' ? 'a number' : typeof value === 'boolean' ? 'a boolean' : typeof value} (${short})`;
}

/** A time as people read it in a comment: "2025-06-02 14:05 UTC". */
export function formatTime(date: Date): string {
  const iso = date.toISOString();
  return `${iso.slice(0, 10)} ${iso.slice(11, 16)} UTC`;
}
