/** LeadConduit's API, unless the base-url input or --base-url says otherwise. */
export const DEFAULT_BASE_URL = 'https://app.leadconduit.com';

/**
 * The base URL rule shared by the action and the CLI: https only, except on this machine, so the
 * API key never crosses a network in clear text. `name` is how the setting is called where it was
 * given (`Input "base-url"`, `--base-url`); `keyGoes` where the API key belongs instead.
 */
export function checkBaseUrl(raw: string, name: string, keyGoes: string): { url: string; problem?: string } {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    const hint = /^[a-z][a-z\d+.-]*:\/\//i.test(raw) ? '' : ' starting with https://';
    return { url: DEFAULT_BASE_URL, problem: `${name} must be a URL${hint} such as ${DEFAULT_BASE_URL}, not "${raw}".` };
  }
  const result = (problem?: string) => ({ url: url.href.replace(/\/$/, ''), ...(problem ? { problem } : {}) });
  if (url.username || url.password) return result(`${name} must not contain a user name or password; the API key goes in ${keyGoes}.`);
  if (url.search || url.hash) return result(`${name} must not have a query or fragment ("${raw}").`);
  if (url.protocol === 'http:' && !isLoopback(url.hostname)) {
    return result(`${name} must use https:// (got "${raw}"): the API key must not travel in clear text. Plain http:// is allowed only for localhost.`);
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') return result(`${name} must be an https:// URL, not "${raw}".`);
  return result();
}

/** A URL's user name and password, however malformed the rest: they must be masked before any message quotes the URL. */
export function credentialsIn(rawUrl: string): string[] {
  const match = /^[a-z][a-z\d+.-]*:\/\/([^/@]*)@/i.exec(rawUrl);
  if (!match?.[1]) return [];
  return match[1].split(':').map((part) => {
    try {
      return decodeURIComponent(part);
    } catch {
      return part;
    }
  });
}

/** The URL as it may be shown: without user name or password. */
export function displayUrl(rawUrl: string): string {
  return rawUrl.replace(/^([a-z][a-z\d+.-]*:\/\/)[^/@]*@/i, '$1');
}

export function isLoopback(hostname: string): boolean {
  const host = hostname.replace(/^\[|\]$/g, '').toLowerCase();
  if (host === 'localhost' || host.endsWith('.localhost') || host === '::1') return true;
  return /^127(\.\d{1,3}){3}$/.test(host) && host.split('.').every((octet) => Number(octet) <= 255);
}
