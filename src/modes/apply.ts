import { TooManyCommentsError, describeGitHubError } from '../github-errors.js';
import { groupIgnored, mergedPullRequest, readReviewedPlan, writeOutcome, type ReviewedPlan, type RecordPlace } from '../plan-comment.js';
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

/** After a merge: the pull request, where its record is, and the record as read (or why it could not be). */
interface PullRequestReview {
  kind: 'pull-request';
  pullRequest: number;
  place: RecordPlace;
  reviewed?: ReviewedPlan;
  /** Reading the record failed: there may be one that cannot be seen. */
  lookupError?: unknown;
}

/** What the reviewed-plan guard has to go on, looked up before anything else happens. */
type ReviewLookup =
  /** Nothing to compare with, by design: a manual or scheduled run, a direct push. */
  | { kind: 'no-review'; note: string }
  /** No reviewed plan can be shown, so the apply is refused (unless allow-unreviewed-changes). */
  | { kind: 'unreviewable'; reason: string; what: string; howTo: string }
  | PullRequestReview;

/**
 * Which pull request's record the changes must match. A push of a merged pull request's commit,
 * or a pull request event of a merge, has one; a manual or scheduled run applies the file as it
 * is on purpose; any other start (an unmerged pull request, another event) cannot be matched with
 * a review, so it is refused unless allow-unreviewed-changes says otherwise.
 */
async function lookUpReview(run: Run): Promise<ReviewLookup> {
  const { context } = run;
  const event = context.eventName;
  if (event === 'workflow_dispatch' || event === 'schedule' || event === '') {
    return { kind: 'no-review', note: `No reviewed plan was looked for (a ${event || 'manual'} run); the changes below were applied as planned now.` };
  }
  const pr = context.pullRequest;
  const fromPullRequestEvent = event === 'pull_request' || event === 'pull_request_target';
  if (fromPullRequestEvent && pr && !pr.merged) {
    return {
      kind: 'unreviewable',
      reason: `pull request #${pr.number} is not merged`,
      what: `This apply runs on a ${event} event of pull request #${pr.number}, which is not merged: applying it would change the account before the change is reviewed and merged.`,
      howTo: ' Nothing was sent. Apply after the merge (on push to the default branch), or set allow-unreviewed-changes: true.',
    };
  }
  if (event !== 'push' && !(fromPullRequestEvent && pr)) {
    return {
      kind: 'unreviewable',
      reason: `a ${event} run cannot be matched with a reviewed plan`,
      what: `This apply runs on a ${event} event, which cannot be matched with a plan reviewed on a pull request.`,
      howTo:
        ' Nothing was sent. Apply on push to the default branch (after each merge) or with a manual run (workflow_dispatch), or set allow-unreviewed-changes: true.',
    };
  }
  return lookUpPullRequest(run, fromPullRequestEvent ? pr?.number : undefined);
}

/** The merged pull request (the event's, or the pushed commit's) and its record. */
async function lookUpPullRequest(run: Run, fromEvent: number | undefined): Promise<ReviewLookup> {
  const { context, settings, log } = run;
  const github = await run.github();
  if (!github || !context.repository) {
    return {
      kind: 'unreviewable',
      reason: 'no reviewed plan could be looked up',
      what: 'No reviewed plan could be looked up: the github-token input is empty (or the repository is unknown).',
      howTo: ' Nothing was sent. Leave github-token at its default (${{ github.token }}), or set allow-unreviewed-changes: true.',
    };
  }
  let pullRequest = fromEvent;
  if (pullRequest === undefined) {
    try {
      pullRequest = await mergedPullRequest(github, context.sha);
    } catch (error) {
      // Not "no reviewed plan": there may be one we cannot see.
      return {
        kind: 'unreviewable',
        reason: 'the reviewed plan could not be looked up',
        what: describeGitHubError('look up the reviewed plan', error, READ_PERMISSIONS),
        howTo: LOOKUP_FAILED,
      };
    }
  }
  if (pullRequest === undefined) {
    return {
      kind: 'no-review',
      note: 'No reviewed plan was found: this commit belongs to no pull request (a direct push). Applied without comparing with a reviewed plan.',
    };
  }
  const place: RecordPlace = {
    github,
    scope: { repository: `${context.repository.owner}/${context.repository.repo}`, pullRequest, file: settings.repoPath },
    key: signingKey(settings.apiKey),
  };
  try {
    const reviewed = await readReviewedPlan(place);
    log.info(`Pull request #${pullRequest}: ${reviewed.found === 'plan' ? 'the reviewed plan was found' : 'no reviewed plan stands'}.`);
    return { kind: 'pull-request', pullRequest, place, reviewed };
  } catch (error) {
    return { kind: 'pull-request', pullRequest, place, lookupError: error };
  }
}

interface ReviewCheck {
  notes: string[];
  refusal?: Refusal;
}

/**
 * After a merge, the changes about to be sent must be the ones reviewers saw on the pull request,
 * as the action's own signed record says. Where that cannot be shown (no record, a failed last
 * plan, an edited comment, a live edit since the review,
 * GitHub not answering), nothing is sent unless allow-unreviewed-changes says otherwise.
 */
function reviewedPlanGuard(run: Run, review: ReviewLookup, plan: Plan): ReviewCheck {
  const { settings, log } = run;
  /** No reviewed plan to show for these changes: refused, or applied with a note when allowed. */
  const unreviewed = (
    reason: string,
    what: string,
    howTo = ` Nothing was sent. ${HOW_TO_APPLY}`,
    allowed = 'Applied without comparing with a reviewed plan because allow-unreviewed-changes is true.',
  ): ReviewCheck => {
    if (settings.allowUnreviewedChanges) {
      log.warning(what);
      return { notes: [`${what} ${allowed}`] };
    }
    return { notes: [], refusal: { guard: 'reviewed-plan', reason, message: `${what}${howTo}` } };
  };

  if (review.kind === 'no-review') return { notes: [review.note] };
  if (review.kind === 'unreviewable') return unreviewed(review.reason, review.what, review.howTo);
  const { pullRequest: number, reviewed } = review;
  if (!reviewed) {
    return unreviewed(
      'the reviewed plan could not be looked up',
      describeGitHubError('look up the reviewed plan', review.lookupError, READ_PERMISSIONS),
      LOOKUP_FAILED,
    );
  }
  const withIgnored = (check: ReviewCheck): ReviewCheck => ({
    ...check,
    notes: [...groupIgnored(reviewed.ignored, `on pull request #${number} `), ...check.notes],
  });
  const file = settings.file;
  switch (reviewed.found) {
    case 'none':
      return withIgnored(
        unreviewed(
          `no reviewed plan on pull request #${number}`,
          reviewed.unverified.length > 0
            ? `No reviewed plan for ${file} on pull request #${number}: the plan record in the comment by ${reviewed.unverified.join(', ')} does not verify with this API key (it was signed with another key, or forged), so it is not read as a plan.`
            : `No reviewed plan for ${file} on pull request #${number}: the action's plan comment is not there (the plan job could not write it, or it was deleted).`,
        ),
      );
    case 'failed-plan':
      return withIgnored(
        unreviewed(
          `the last plan on pull request #${number} failed`,
          `No reviewed plan for ${file} on pull request #${number}: its last plan run failed, so no plan was reviewed for what was merged.`,
        ),
      );
    case 'plan':
      break;
  }
  if (reviewed.edited) {
    return withIgnored(
      unreviewed(
        `the plan comment on pull request #${number} was edited`,
        `No reviewed plan for ${file} on pull request #${number}: its plan comment was edited after the action wrote it, so what reviewers read cannot be shown to be the plan.`,
      ),
    );
  }
  const planned = log.scrubDeep(plan.changes);
  if (sameChanges(reviewed.changes, planned)) {
    return withIgnored({ notes: [`The changes match the plan reviewed on pull request #${number}.`] });
  }
  const show = (list: readonly { path: string; before: unknown; after: unknown }[]) =>
    list.length === 0 ? 'no changes' : list.map((c) => `${c.path} ${JSON.stringify(c.before)} -> ${JSON.stringify(c.after)}`).join(', ');
  return withIgnored(
    unreviewed(
      `the changes differ from the plan reviewed on pull request #${number}`,
      `The changes to send differ from the plan reviewed on pull request #${number}: reviewed ${show(reviewed.changes)}; now ${show(planned)}. The live account changed after the review.`,
      ` Nothing was sent. ${HOW_TO_APPLY}`,
      'Applied anyway because allow-unreviewed-changes is true.',
    ),
  );
}

const READ_PERMISSIONS =
  'Give the job "contents: read" and "pull-requests: write" permissions (the apply reads the plan comment and writes its outcome there).';

const LOOKUP_FAILED =
  ' Nothing was sent: the changes could not be compared with the plan reviewed on the pull request. Re-run the job, or set allow-unreviewed-changes: true.';

const HOW_TO_APPLY =
  'To apply: re-run the plan job of the pull request and then this job (the plan comment records what reviewers see); or run this workflow by hand (workflow_dispatch), which applies what the file says now and records that no review was compared; or set allow-unreviewed-changes: true.';
