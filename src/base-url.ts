/** LeadConduit's API, unless the base-url input or --base-url says otherwise. */
export const DEFAULT_BASE_URL = 'https://app.leadconduit.com';

/**
 * The base URL rule shared by the action and the CLI: https only, except on this machine, so the
 * API key never crosses a network in clear text. `name` is how the setting is called where it was
 * given (`Input "base-url"`, `--base-url`); `keyGoes` where the API key belongs instead.
 */
export function checkBaseUrl(raw: string, name: string, keyGoes: string): { url: string; problem?: string } {
  // Messages quote what was given, but never a user name or password in it.
  const shown = displayUrl(raw);
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    const hint = /^[a-z][a-z\d+.-]*:\/\//i.test(raw) ? '' : ' starting with https://';
    return { url: DEFAULT_BASE_URL, problem: `${name} must be a URL${hint} such as ${DEFAULT_BASE_URL}, not "${shown}".` };
  }
  const result = (problem?: string) => ({ url: url.href.replace(/\/$/, ''), ...(problem ? { problem } : {}) });
  const credentials = credentialsIn(raw);
  if (url.username || url.password || credentials.users.length + credentials.passwords.length > 0) {
    return result(`${name} must not contain a user name or password; the API key goes in ${keyGoes}.`);
  }
  if (url.search || url.hash) return result(`${name} must not have a query or fragment ("${shown}").`);
  if (url.protocol === 'http:' && !isLoopback(url.hostname)) {
    return result(`${name} must use https:// (got "${shown}"): the API key must not travel in clear text. Plain http:// is allowed only for localhost.`);
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') return result(`${name} must be an https:// URL, not "${shown}".`);
  return result();
}

/**
 * Where a URL's user name and password may stand, however it is written: "https://u:p@h", but
 * also "https:u:p@h" or "https:\\u:p@h", which a URL parser reads the same way. Everything from
 * the scheme to the last "@" could be userinfo: a password may hold "/", "?", "#" or "@" (a
 * parser then fails, or reads a host and a path), so none of it is ever shown.
 */
const USERINFO = /^([a-z][a-z\d+.-]*:[\\/]*)([\s\S]*)@/i;
/**
 * "user:password@" (or ":password@") anywhere in text that is no URL at all: a value pasted with a
 * typo in its scheme, "https//user:password@host" included. The password runs to the last "@"
 * before white space, whatever it holds.
 */
const LOOSE_USERINFO = /(^|[\s"'(/])([^\s"'()/@:?#]*):(\S*)@/;

/**
 * A URL's user names and passwords, however malformed the rest: they must be masked before any
 * message quotes the URL. A user name is often an ordinary word ("API"), so it is kept apart.
 */
export function credentialsIn(rawUrl: string): { users: string[]; passwords: string[] } {
  const users = new Set<string>();
  const passwords = new Set<string>();
  const userinfo = USERINFO.exec(rawUrl)?.[2];
  if (userinfo) {
    const [user = '', ...password] = userinfo.split(':');
    users.add(decode(user));
    if (password.length > 0) passwords.add(decode(password.join(':')));
  }
  // Text that is no URL at all ("https//u:p@h"); a URL's userinfo is found above.
  const loose = userinfo === undefined ? LOOSE_USERINFO.exec(rawUrl) : null;
  if (loose) {
    users.add(decode(loose[2] ?? ''));
    passwords.add(decode(loose[3] ?? ''));
  }
  try {
    const url = new URL(rawUrl);
    users.add(decode(url.username));
    passwords.add(decode(url.password));
  } catch {
    // not a URL at all: what the pattern found is all there is
  }
  users.delete('');
  passwords.delete('');
  return { users: [...users], passwords: [...passwords] };
}

function decode(part: string): string {
  try {
    return decodeURIComponent(part);
  } catch {
    return part;
  }
}

/** The URL as it may be shown: without user name or password. */
export function displayUrl(rawUrl: string): string {
  return rawUrl.replace(USERINFO, '$1').replace(LOOSE_USERINFO, '$1');
}

export function isLoopback(hostname: string): boolean {
  const host = hostname.replace(/^\[|\]$/g, '').toLowerCase();
  if (host === 'localhost' || host.endsWith('.localhost') || host === '::1') return true;
  return /^127(\.\d{1,3}){3}$/.test(host) && host.split('.').every((octet) => Number(octet) <= 255);
}
