import { readFileSync } from 'node:fs';

/** What the runner tells us about this run, read once from its environment. */
export interface RunContext {
  eventName: string;
  repository: { owner: string; repo: string } | undefined;
  sha: string;
  ref: string;
  actor: string;
  serverUrl: string;
  apiUrl: string;
  runUrl: string | undefined;
  workspace: string;
  runnerTemp: string | undefined;
  pullRequest:
    | {
        number: number;
        baseSha: string | undefined;
        headSha: string | undefined;
        url: string | undefined;
        /** From another repository (a fork): GitHub gives such runs a read-only token and, on pull_request, no secrets. */
        fromFork: boolean;
        /** Merged already (a pull_request "closed" event of a merge). */
        merged: boolean;
      }
    | undefined;
}

/**
 * Read from the environment the runner sets. Deliberately not @actions/github's `context`: that
 * module loads octokit, which a validation or an apply without a pull request does not need.
 */
export function readRunContext(env: NodeJS.ProcessEnv = process.env): RunContext {
  const payload = readPayload(env.GITHUB_EVENT_PATH);
  const [owner, repo] = (env.GITHUB_REPOSITORY ?? '').split('/');
  const serverUrl = (env.GITHUB_SERVER_URL ?? 'https://github.com').replace(/\/$/, '');
  const pr = (payload.pull_request ?? undefined) as Record<string, unknown> | undefined;
  const issue = payload.issue as Record<string, unknown> | undefined;
  const number = typeof pr?.number === 'number' ? pr.number : typeof payload.number === 'number' && pr ? payload.number : undefined;
  const repository = owner && repo ? { owner, repo } : undefined;
  return {
    eventName: env.GITHUB_EVENT_NAME ?? '',
    repository,
    sha: env.GITHUB_SHA ?? '',
    ref: env.GITHUB_REF ?? '',
    actor: env.GITHUB_ACTOR ?? '',
    serverUrl,
    apiUrl: (env.GITHUB_API_URL ?? 'https://api.github.com').replace(/\/$/, ''),
    runUrl: repository && env.GITHUB_RUN_ID ? `${serverUrl}/${owner}/${repo}/actions/runs/${env.GITHUB_RUN_ID}` : undefined,
    workspace: env.GITHUB_WORKSPACE || process.cwd(),
    runnerTemp: env.RUNNER_TEMP || undefined,
    pullRequest:
      number !== undefined && issue === undefined
        ? {
            number,
            baseSha: stringAt(pr, 'base', 'sha'),
            headSha: stringAt(pr, 'head', 'sha'),
            url: typeof pr?.html_url === 'string' ? pr.html_url : undefined,
            fromFork: isFromFork(pr),
            merged: pr?.merged === true,
          }
        : undefined,
  };
}

function readPayload(path: string | undefined): Record<string, unknown> {
  if (!path) return {};
  try {
    const value = JSON.parse(readFileSync(path, 'utf8')) as unknown;
    return typeof value === 'object' && value !== null ? (value as Record<string, unknown>) : {};
  } catch {
    return {};
  }
}

function stringAt(record: Record<string, unknown> | undefined, key: string, field: string): string | undefined {
  const child = record?.[key] as Record<string, unknown> | undefined;
  const value = child?.[field];
  return typeof value === 'string' ? value : undefined;
}

/** The head repository differs from the base one, or is gone (a deleted fork answers null). */
function isFromFork(pr: Record<string, unknown> | undefined): boolean {
  const head = pr?.head as Record<string, unknown> | undefined;
  const base = pr?.base as Record<string, unknown> | undefined;
  if (!head || !('repo' in head)) return false;
  const headRepo = head.repo as Record<string, unknown> | null;
  if (headRepo === null) return true;
  if (headRepo.fork === true) return true;
  const headName = stringAt(head, 'repo', 'full_name');
  const baseName = stringAt(base, 'repo', 'full_name');
  return headName !== undefined && baseName !== undefined && headName.toLowerCase() !== baseName.toLowerCase();
}
