import { isAbsolute, relative, resolve, sep } from 'node:path';
import { InputError } from './errors.js';
import type { RunContext } from './github-context.js';
import { DEFAULT_RETRY_POLICY, type RetryPolicy } from './retry.js';

export const MODES = ['auto', 'plan', 'apply', 'check', 'validate'] as const;
export type RequestedMode = (typeof MODES)[number];
export type Mode = Exclude<RequestedMode, 'auto'>;

/** Timing knobs: defaults for real runs; tests pass short ones. */
export interface Tuning {
  requestTimeoutMs: number;
  deadlineMs: number;
  retry: RetryPolicy;
}

export const DEFAULT_TUNING: Tuning = {
  requestTimeoutMs: 30_000,
  deadlineMs: 10 * 60_000,
  retry: DEFAULT_RETRY_POLICY,
};

/** Everything the run needs from its inputs, validated once. Nothing else reads inputs. */
export interface Settings {
  apiKey: string;
  /** The file as given (relative to the workspace), for messages and annotations. */
  file: string;
  /** Absolute path inside the workspace. */
  filePath: string;
  requestedMode: RequestedMode;
  mode: Mode;
  baseUrl: string;
  githubToken: string;
  comment: boolean;
  allowDestructive: boolean;
  allowUnreviewedChanges: boolean;
  tuning: Tuning;
}

export const DEFAULT_BASE_URL = 'https://app.leadconduit.com';
export const DEFAULT_FILE = 'leadconduit-account.json';

/** The value of an input as the runner passes it: INPUT_<NAME>, spaces as underscores, hyphens kept. */
export function readInput(env: NodeJS.ProcessEnv, name: string): string {
  return (env[`INPUT_${name.replace(/ /g, '_').toUpperCase()}`] ?? '').trim();
}

export function getSettings(env: NodeJS.ProcessEnv, run: RunContext, tuning: Partial<Tuning> = {}): Settings {
  const problems: string[] = [];
  const bool = (name: string, fallback: boolean): boolean => {
    const raw = readInput(env, name);
    if (raw === '') return fallback;
    if (['true', 'True', 'TRUE'].includes(raw)) return true;
    if (['false', 'False', 'FALSE'].includes(raw)) return false;
    problems.push(`Input "${name}" must be true or false, not "${raw}".`);
    return fallback;
  };

  const requestedRaw = readInput(env, 'mode') || 'auto';
  const requestedMode = (MODES as readonly string[]).includes(requestedRaw.toLowerCase()) ? (requestedRaw.toLowerCase() as RequestedMode) : undefined;
  if (!requestedMode) problems.push(`Input "mode" must be one of ${MODES.join(', ')}, not "${requestedRaw}".`);

  const { url: baseUrl, problem: baseUrlProblem } = checkBaseUrl(readInput(env, 'base-url') || DEFAULT_BASE_URL, 'Input "base-url"', 'the "api-key" input');
  if (baseUrlProblem) problems.push(baseUrlProblem);

  const file = readInput(env, 'file') || DEFAULT_FILE;
  const filePath = resolve(run.workspace, file);
  if (!isInside(resolve(run.workspace), filePath)) {
    problems.push(`Input "file" (${file}) must name a file inside the workspace (${run.workspace}); use a path relative to the repository root.`);
  }

  const settings: Settings = {
    apiKey: readInput(env, 'api-key'),
    file,
    filePath,
    requestedMode: requestedMode ?? 'auto',
    mode: resolveMode(requestedMode ?? 'auto', run.eventName),
    baseUrl,
    githubToken: readInput(env, 'github-token'),
    comment: bool('comment', true),
    allowDestructive: bool('allow-destructive', false),
    allowUnreviewedChanges: bool('allow-unreviewed-changes', false),
    tuning: { ...DEFAULT_TUNING, ...tuning },
  };
  if (problems.length === 1) throw new InputError(problems[0] ?? '');
  if (problems.length > 1) throw new InputError(`${problems.length} inputs are invalid: ${problems.join(' ')}`, problems);
  return settings;
}

/** auto: plan on pull requests, apply on push and manual runs, check on a schedule. */
export function resolveMode(mode: RequestedMode, eventName: string): Mode {
  if (mode !== 'auto') return mode;
  switch (eventName) {
    case 'push':
    case 'workflow_dispatch':
      return 'apply';
    case 'schedule':
      return 'check';
    default:
      return 'plan';
  }
}

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

/** Whether `path` is strictly below the folder `root` (a name like "..x" is below; "../x" is not). */
export function isInside(root: string, path: string): boolean {
  const inside = relative(root, path);
  return inside !== '' && inside !== '..' && !inside.startsWith(`..${sep}`) && !isAbsolute(inside);
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
