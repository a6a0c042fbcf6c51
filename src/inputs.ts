import { relative, resolve, sep } from 'node:path';
import { DEFAULT_BASE_URL, checkBaseUrl, credentialsIn, displayUrl } from './base-url.js';
import { InputError } from './errors.js';
import type { RunContext } from './github-context.js';
import type { SecretKind } from './redact.js';
import { isInside } from './workspace.js';
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
  /** The path from the repository root with "/" separators, as annotations and the contents API want it. */
  repoPath: string;
  requestedMode: RequestedMode;
  mode: Mode;
  baseUrl: string;
  githubToken: string;
  comment: boolean;
  allowDestructive: boolean;
  allowUnreviewedChanges: boolean;
  tuning: Tuning;
}

export const DEFAULT_FILE = 'leadconduit-account.json';

/** The value of an input as the runner passes it: INPUT_<NAME>, spaces as underscores, hyphens kept. */
export function readInput(env: NodeJS.ProcessEnv, name: string): string {
  return (env[`INPUT_${name.replace(/ /g, '_').toUpperCase()}`] ?? '').trim();
}

/**
 * The secrets among the inputs: masked before anything else runs, even when other inputs are
 * invalid, so that no later line (an input error quoting base-url included) can print them.
 */
export function inputSecrets(env: NodeJS.ProcessEnv): Array<{ value: string; kind: SecretKind }> {
  const { users, passwords } = credentialsIn(readInput(env, 'base-url'));
  return [
    ...[readInput(env, 'api-key'), readInput(env, 'github-token'), ...passwords].map((value) => ({ value, kind: 'input' as const })),
    ...users.map((value) => ({ value, kind: 'field' as const })),
  ];
}

/** What a summary can say of the run before the inputs are validated (a failed validation included). */
export function describeInputs(env: NodeJS.ProcessEnv): { file: string; baseUrl: string } {
  return { file: readInput(env, 'file') || DEFAULT_FILE, baseUrl: displayUrl(readInput(env, 'base-url') || DEFAULT_BASE_URL) };
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
    repoPath: relative(run.workspace, filePath).split(sep).join('/'),
    requestedMode: requestedMode ?? 'auto',
    mode: resolveMode(requestedMode ?? 'auto', run.eventName),
    baseUrl,
    githubToken: readInput(env, 'github-token'),
    comment: bool('comment', true),
    allowDestructive: bool('allow-destructive', false),
    allowUnreviewedChanges: bool('allow-unreviewed-changes', false),
    tuning: { ...DEFAULT_TUNING, ...tuning },
  };
  if (problems.length > 1) throw new InputError(`${problems.length} inputs are invalid: ${problems.join(' ')}`, problems);
  const [problem] = problems;
  if (problem !== undefined) throw new InputError(problem);
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
