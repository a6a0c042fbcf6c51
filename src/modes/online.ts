import { Deadline } from '../deadline.js';
import { formatDuration } from '../duration.js';
import type { Mode } from '../inputs.js';
import { createLeadConduitClient, type LeadConduitClient } from '../leadconduit.js';
import type { GitHubApi } from '../github-api.js';
import { createGitHubApi } from '../pull-request.js';
import { applyMode } from './apply.js';
import { checkMode } from './check.js';
import { planMode } from './plan.js';
import type { ModeResult, OfflineRun, Run } from './run.js';

const MODES: Record<Exclude<Mode, 'validate'>, (run: Run) => Promise<ModeResult>> = { plan: planMode, check: checkMode, apply: applyMode };

/**
 * The modes that read the live account (plan, check, apply, with the API key), and the clients
 * they use. main.ts imports this module only for such a run, so a validation loads none of it.
 */
export async function onlineMode(mode: Exclude<Mode, 'validate'>, offline: OfflineRun): Promise<ModeResult> {
  const { settings, context } = offline;
  const deadline = new Deadline(settings.tuning.deadlineMs);
  // LeadConduit's calls end before the run's deadline: however long it hangs, the run keeps time
  // to write its outcome on the pull request, so the comment never shows a plan that no longer stands.
  const reserveMs = Math.min(GITHUB_RESERVE_MS, Math.floor(settings.tuning.deadlineMs / 5));
  const leadconduitDeadline = deadline.before(
    reserveMs,
    (ms) => `the run's deadline for LeadConduit of ${formatDuration(ms)} passed (the run's last ${formatDuration(reserveMs)} are kept to report on GitHub)`,
  );
  try {
    const run = withClients(offline, { leadconduit: leadconduitDeadline, github: deadline });
    // A run that will talk to GitHub makes its client (loading @actions/github and its undici) before
    // ky's first request, and LeadConduit's calls use that undici too: Node's own copy of undici is
    // then never loaded (octokit.ts). Without a token or a repository there is no client to make.
    const callsGitHub = mode === 'plan' || mode === 'apply' ? context.pullRequest !== undefined || (mode === 'apply' && context.eventName === 'push') : false;
    if (callsGitHub && (await run.github())) (await import('../octokit.js')).shareFetchWithKy();
    return await MODES[mode](run);
  } finally {
    leadconduitDeadline.dispose();
    deadline.dispose();
  }
}

/** Time kept at the end of a run for GitHub: the comment's update, or the apply's outcome. */
const GITHUB_RESERVE_MS = 60_000;

/** The run's clients, each made once, on first use. */
function withClients(run: OfflineRun, deadlines: { leadconduit: Deadline; github: Deadline }): Run {
  const { settings, context, log, redactor } = run;
  let leadconduit: LeadConduitClient | undefined;
  let github: Promise<GitHubApi> | undefined;
  const debug = (message: string) => log.debug(message);
  const { requestTimeoutMs, retry } = settings.tuning;
  return {
    ...run,
    leadconduit: () =>
      (leadconduit ??= createLeadConduitClient({
        baseUrl: settings.baseUrl,
        apiKey: settings.apiKey,
        requestTimeoutMs,
        retry,
        deadline: deadlines.leadconduit,
        redactor,
        debug,
      })),
    github: async () => {
      if (!settings.githubToken || !context.repository) return undefined;
      const { owner, repo } = context.repository;
      return (github ??= createGitHubApi({
        token: settings.githubToken,
        apiUrl: context.apiUrl,
        owner,
        repo,
        retry,
        deadline: deadlines.github,
        requestTimeoutMs,
        debug,
        scrub: (text) => redactor.scrub(text),
      }));
    },
  };
}
