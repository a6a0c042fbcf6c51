import type { IssueComment } from '../pull-request.js';
import { describeGitHubError } from '../github-errors.js';
import { mergedPullRequest, readReviewedPlan, writeOutcome, type IgnoredComment, type RecordPlace } from '../plan-comment.js';
import { previousState } from '../plan.js';
import { renderOutcome } from '../report-comment.js';
import type { TriggerInfo } from '../report.js';
import { sameChanges, signingKey } from '../reviewed-plan.js';
import { formatStateFile } from '../state-files.js';
import { applyPlan, type Plan, type Refusal } from '../steps.js';
import { plural } from '../wording.js';
import { writeRunnerTempFile } from '../workspace.js';
import { failedResult, loadDesiredState, planFacts, readLivePlan, type ModeResult, type Run } from './run.js';

/**
 * Apply (push to main, workflow_dispatch): the one PUT /account, after the account, destructive
 * and reviewed-plan guards, then the read-after-write check. Every apply leaves a rollback file,
 * and after a merge its outcome goes on top of the pull request's plan comment.
 */
export async function applyMode(run: Run): Promise<ModeResult> {
  const { settings, context, log } = run;
  const desired = await loadDesiredState(run);
  const plan = await readLivePlan(run, desired);

  const trigger: TriggerInfo = {
    actor: context.actor,
    event: context.eventName,
    commit: context.sha,
    ...(context.pullRequest ? { pullRequest: { number: context.pullRequest.number, url: pullRequestUrl(run, context.pullRequest.number) } } : {}),
    ...(context.runUrl ? { runUrl: context.runUrl } : {}),
  };
  if (plan.changes.length === 0) {
    log.info('Nothing to apply: the live account matches the file.');
    return { ...planFacts(plan), trigger, notes: [], outcome: 'no-changes' };
  }

  // What is known so far, for the summary whatever the outcome.
  const notes: string[] = [];
  let review: ReviewCheck | undefined;
  let sent: Pick<ModeResult, 'previousState' | 'bodySent' | 'outputs'> = {};
  const known = (): ModeResult => ({
    ...planFacts(plan),
    ...sent,
    trigger: review?.pullRequest ? { ...trigger, pullRequest: { number: review.pullRequest, url: pullRequestUrl(run, review.pullRequest) } } : trigger,
    notes,
    outcome: 'failed',
  });

  let result: ModeResult;
  try {
    const applied = await applyPlan(plan, {
      client: run.leadconduit(),
      allowDestructive: settings.allowDestructive,
      allowDestructiveHint: 'set allow-destructive: true for this run',
      step: (name, work) => log.group(name, work),
      guards: [
        async () => {
          review = await reviewedPlanGuard(run, plan);
          notes.push(...review.notes);
          return review.refusal;
        },
      ],
      beforeSend: async () => {
        const before = formatStateFile(previousState(desired.state, plan.live));
        const path = await writeRunnerTempFile(context.runnerTemp, settings.repoPath, 'previous', log.scrub(before));
        log.info(`Sending PUT /account with ${Object.keys(plan.body).join(', ')}.`);
        sent = { previousState: before, bodySent: true, outputs: path ? { previousStateFile: path } : {} };
      },
    });
    switch (applied.status) {
      case 'refused':
        result = { ...known(), outcome: 'refused', reason: applied.refusal.reason, error: applied.refusal.message, failure: applied.refusal.message };
        break;
      case 'mismatched':
        result = { ...known(), mismatches: applied.mismatches, error: applied.message, failure: applied.message };
        break;
      case 'wrong-account':
        result = {
          ...known(),
          reason: `the update went to account ${applied.after.id}, not ${plan.live.id}`,
          error: applied.message,
          failure: applied.message,
        };
        break;
      case 'applied':
        log.info(`Applied ${plural(plan.changes.length, 'change')}; the account now matches ${settings.file}.`);
        result = { ...known(), outcome: 'applied' };
        break;
    }
  } catch (error) {
    result = failedResult(error, known(), log);
  }
  if (review?.place && review.pullRequest !== undefined) result = await recordOutcome(run, review.place, review.record, result);
  return result;
}

/** The pull request's address, made from the run's own settings, never taken from an answer. */
function pullRequestUrl(run: Run, number: number): string {
  const { serverUrl, repository } = run.context;
  return repository ? `${serverUrl}/${repository.owner}/${repository.repo}/pull/${number}` : '';
}

/** The outcome on top of the merged pull request's comment; a failure to write it is a warning only. */
async function recordOutcome(run: Run, place: RecordPlace, record: IssueComment | undefined, result: ModeResult): Promise<ModeResult> {
  const { settings, log } = run;
  return log.group('Comment', async () => {
    const report = log.scrubDeep({ ...result, mode: settings.mode, file: settings.file, baseUrl: settings.baseUrl });
    try {
      const url = await writeOutcome(place, record, log.scrub(renderOutcome(report, new Date())));
      log.info(`Wrote the outcome on the pull request: ${url}`);
      return { ...result, outputs: { ...result.outputs, commentUrl: url } };
    } catch (error) {
      const reason = describeGitHubError(
        `write the outcome on pull request #${place.scope.pullRequest}`,
        error,
        'To record the outcome on the pull request, give the apply job "pull-requests: write" permission.',
      );
      log.warning(reason);
      return { ...result, notes: [...result.notes, reason] };
    }
  });
}

interface ReviewCheck {
  notes: string[];
  refusal?: Refusal;
  /** The merged pull request the commit belongs to, where its record is, and the record found. */
  pullRequest?: number;
  place?: RecordPlace;
  record?: IssueComment;
}

/**
 * After a merge, the changes about to be sent must be the ones reviewers saw on the pull request,
 * as the action's own signed record says. Where that cannot be shown (no record, a failed last
 * plan, a live edit since the review, GitHub not answering), nothing is sent unless
 * allow-unreviewed-changes says otherwise.
 */
async function reviewedPlanGuard(run: Run, plan: Plan): Promise<ReviewCheck> {
  const { context, settings, log } = run;
  if (context.eventName !== 'push') {
    return { notes: [`No reviewed plan was looked for (a ${context.eventName || 'manual'} run); the changes below were applied as planned now.`] };
  }
  /** No reviewed plan to show for these changes: refused, or applied with a note when allowed. */
  const unreviewed = (
    reason: string,
    what: string,
    rest: Omit<ReviewCheck, 'notes' | 'refusal'> = {},
    howTo = ` Nothing was sent. ${HOW_TO_APPLY}`,
    allowed = 'Applied without comparing with a reviewed plan because allow-unreviewed-changes is true.',
  ): ReviewCheck => {
    if (settings.allowUnreviewedChanges) {
      log.warning(what);
      return { ...rest, notes: [`${what} ${allowed}`] };
    }
    return { ...rest, notes: [], refusal: { guard: 'reviewed-plan', reason, message: `${what}${howTo}` } };
  };
  const LOOKUP_FAILED =
    ' Nothing was sent: the changes could not be compared with the plan reviewed on the pull request. Re-run the job, or set allow-unreviewed-changes: true.';

  const github = await run.github();
  if (!github || !context.repository) {
    return unreviewed(
      'no reviewed plan could be looked up',
      'No reviewed plan could be looked up: the github-token input is empty (or the repository is unknown).',
      {},
      ' Nothing was sent. Leave github-token at its default (${{ github.token }}), or set allow-unreviewed-changes: true.',
    );
  }
  let prNumber: number | undefined;
  try {
    prNumber = await mergedPullRequest(github, context.sha);
  } catch (error) {
    // Not "no reviewed plan": there may be one we cannot see.
    return unreviewed('the reviewed plan could not be looked up', describeGitHubError('look up the reviewed plan', error, READ_PERMISSIONS), {}, LOOKUP_FAILED);
  }
  if (prNumber === undefined) {
    return { notes: ['No reviewed plan was found: this commit belongs to no pull request (a direct push). Applied without comparing with a reviewed plan.'] };
  }
  const place: RecordPlace = {
    github,
    scope: { repository: `${context.repository.owner}/${context.repository.repo}`, pullRequest: prNumber, file: settings.repoPath },
    key: signingKey(settings.apiKey),
  };
  const at = { pullRequest: prNumber, place };
  let reviewed: Awaited<ReturnType<typeof readReviewedPlan>>;
  try {
    reviewed = await readReviewedPlan(place);
  } catch (error) {
    return unreviewed('the reviewed plan could not be looked up', describeGitHubError('look up the reviewed plan', error, READ_PERMISSIONS), at, LOOKUP_FAILED);
  }
  const ignoredNotes = reviewed.ignored.map((c) => ignoredNote(c, prNumber));
  const withIgnored = (check: ReviewCheck): ReviewCheck => ({ ...check, notes: [...ignoredNotes, ...check.notes] });
  if (reviewed.found === 'none') {
    return withIgnored(
      unreviewed(
        `no reviewed plan on pull request #${prNumber}`,
        `No reviewed plan for ${settings.file} on pull request #${prNumber}: the action's plan comment is not there (the plan job could not write it, it was deleted, or it was signed with another API key).`,
        at,
      ),
    );
  }
  const withRecord = { ...at, record: reviewed.comment };
  if (reviewed.found === 'failed-plan') {
    return withIgnored(
      unreviewed(
        `the last plan on pull request #${prNumber} failed`,
        `No reviewed plan for ${settings.file} on pull request #${prNumber}: its last plan run failed, so no plan was reviewed for what was merged.`,
        withRecord,
      ),
    );
  }
  if (sameChanges(reviewed.changes, plan.changes)) {
    return withIgnored({ ...withRecord, notes: [`The changes match the plan reviewed on pull request #${prNumber}.`] });
  }
  const show = (list: readonly { path: string; before: unknown; after: unknown }[]) =>
    list.length === 0 ? 'no changes' : list.map((c) => `${c.path} ${JSON.stringify(c.before)} -> ${JSON.stringify(c.after)}`).join(', ');
  return withIgnored(
    unreviewed(
      `the changes differ from the plan reviewed on pull request #${prNumber}`,
      `The changes to send differ from the plan reviewed on pull request #${prNumber}: reviewed ${show(reviewed.changes)}; now ${show(plan.changes)}. The live account changed after the review.`,
      withRecord,
      ` Nothing was sent. ${HOW_TO_APPLY}`,
      'Applied anyway because allow-unreviewed-changes is true.',
    ),
  );
}

const READ_PERMISSIONS =
  'Give the job "contents: read" and "pull-requests: write" permissions (the apply reads the plan comment and writes its outcome there).';

const HOW_TO_APPLY =
  'To apply: re-run the plan job of the pull request and then this job (the plan comment records what reviewers see); or run this workflow by hand (workflow_dispatch), which applies what the file says now and records that no review was compared; or set allow-unreviewed-changes: true.';

function ignoredNote(comment: IgnoredComment, prNumber: number): string {
  return `Ignored a comment on pull request #${prNumber} by ${comment.author || 'a deleted user'} that carries this action's marker but not its signature: it was not read as a plan and not edited.`;
}
