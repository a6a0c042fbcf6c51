import { TooManyCommentsError, describeGitHubError } from '../github-errors.js';
import { writeOutcome } from '../plan-comment.js';
import { previousState } from '../plan.js';
import { renderOutcome } from '../report-comment.js';
import type { TriggerInfo } from '../report.js';
import { formatStateFile } from '../state-files.js';
import { applyPlan } from '../steps.js';
import { plural } from '../wording.js';
import { writeRunnerTempFile } from '../workspace.js';
import { lookUpReview, reviewedPlanGuard, type PullRequestReview, type ReviewLookup } from './apply-review.js';
import { failedResult, loadDesiredState, planFacts, readLivePlan, type ModeResult, type Run } from './run.js';

/**
 * Apply (push to main, workflow_dispatch): the one PUT /account, after the account, destructive
 * and reviewed-plan guards, then the read-after-write check. Every apply leaves a rollback file.
 * After a merge, the pull request's record is looked up first, so that every outcome (applied,
 * nothing to apply, refused by any guard, failed at any step) goes on top of its plan comment.
 */
export async function applyMode(run: Run): Promise<ModeResult> {
  const { log } = run;
  const review = await lookUpReview(run);
  const trigger = triggerOf(run, review.kind === 'pull-request' ? review.pullRequest : undefined);
  // What is known so far, for the summary whatever the outcome.
  const known: Partial<ModeResult> = { trigger, notes: [] };
  let result: ModeResult;
  try {
    result = await applySteps(run, review, known);
  } catch (error) {
    result = failedResult(error, known, log);
  }
  if (review.kind === 'pull-request') result = await recordOutcome(run, review, result);
  return result;
}

async function applySteps(run: Run, review: ReviewLookup, known: Partial<ModeResult>): Promise<ModeResult> {
  const { settings, context, log } = run;
  const desired = await loadDesiredState(run);
  const plan = await readLivePlan(run, desired);
  Object.assign(known, planFacts(plan));
  if (plan.changes.length === 0) {
    log.info('Nothing to apply: the live account matches the file.');
    return { ...known, ...planFacts(plan), notes: [], outcome: 'no-changes' };
  }

  const notes: string[] = [];
  known.notes = notes;
  const applied = await applyPlan(plan, {
    client: run.leadconduit(),
    allowDestructive: settings.allowDestructive,
    allowDestructiveHint: 'set allow-destructive: true for this run',
    step: (name, work) => log.group(name, work),
    guards: [
      () => {
        const check = reviewedPlanGuard(run, review, plan);
        notes.push(...check.notes);
        return Promise.resolve(check.refusal);
      },
    ],
    beforeSend: () => {
      const before = formatStateFile(previousState(desired.state, plan.live));
      const path = writeRunnerTempFile(context.runnerTemp, settings.repoPath, 'previous', log.scrub(before));
      log.info(`Sending PUT /account with ${Object.keys(plan.body).join(', ')}.`);
      Object.assign(known, { previousState: before, bodySent: true, outputs: path ? { previousStateFile: path } : {} });
    },
  });
  const facts = { ...known, ...planFacts(plan), notes } as ModeResult;
  switch (applied.status) {
    case 'refused': {
      const { reason, detail, message } = applied.refusal;
      return { ...facts, outcome: 'refused', reason, ...(detail === undefined ? {} : { detail }), error: message, failure: message };
    }
    case 'mismatched':
    case 'wrong-account': {
      const { reason, detail, message } = applied;
      return {
        ...facts,
        outcome: 'failed',
        reason,
        detail,
        error: message,
        failure: message,
        ...(applied.status === 'mismatched' ? { mismatches: applied.mismatches } : {}),
      };
    }
    case 'applied':
      log.info(`Applied ${plural(plan.changes.length, 'change')}; the account now matches ${settings.file}.`);
      return { ...facts, outcome: 'applied' };
  }
}

function triggerOf(run: Run, pullRequest: number | undefined): TriggerInfo {
  const { context } = run;
  const number = pullRequest ?? context.pullRequest?.number;
  return {
    actor: context.actor,
    event: context.eventName,
    commit: context.sha,
    ...(number === undefined ? {} : { pullRequest: { number, url: pullRequestUrl(run, number) } }),
    ...(context.runUrl ? { runUrl: context.runUrl } : {}),
  };
}

/** The pull request's address, made from the run's own settings, never taken from an answer. */
function pullRequestUrl(run: Run, number: number): string {
  const { serverUrl, repository } = run.context;
  return repository ? `${serverUrl}/${repository.owner}/${repository.repo}/pull/${number}` : '';
}

/** The outcome on top of the merged pull request's comment; a failure to write it is a warning only. */
async function recordOutcome(run: Run, review: PullRequestReview, result: ModeResult): Promise<ModeResult> {
  const { settings, log } = run;
  // Writing it would list the same comments again, past the same cap: the failure already says why.
  if (review.lookupError instanceof TooManyCommentsError) return result;
  return log.group('Comment', async () => {
    const report = log.scrubDeep({ ...result, mode: settings.mode, file: settings.file, baseUrl: settings.baseUrl });
    const record = review.reviewed && review.reviewed.found !== 'none' ? review.reviewed.comment : undefined;
    try {
      const url = await writeOutcome(review.place, record, (max) => log.scrub(renderOutcome(report, new Date(), max)));
      log.info(`Wrote the outcome on the pull request: ${url}`);
      return { ...result, outputs: { ...result.outputs, commentUrl: url } };
    } catch (error) {
      const reason = describeGitHubError(
        `write the outcome on pull request #${review.pullRequest}`,
        error,
        'To record the outcome on the pull request, give the apply job "pull-requests: write" permission.',
      );
      log.warning(reason);
      return { ...result, notes: [...result.notes, reason] };
    }
  });
}
